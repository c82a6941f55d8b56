/*
 * zip_write.h — a small zip writer of our own, in memory (zlib's raw
 * deflate and crc32): enough for the packages of Office Open XML (.docx).
 * Entries are written in the order they are added, with a fixed time
 * (1980-01-01 00:00), so the same parts give the same bytes.
 *
 *   ZipWriter z = {0};
 *   zip_add(&z, "[Content_Types].xml", xml, strlen(xml));
 *   ...
 *   zip_finish(&z, &out);   // appends the archive's bytes to out, frees z
 */
#ifndef HATCHERY_ZIP_WRITE_H
#define HATCHERY_ZIP_WRITE_H

#include "util.h"

typedef struct ZipWriter {
	Buf data;     /* local headers and compressed data */
	Buf central;  /* the central directory */
	int count;
	int failed;   /* deflate failed once: zip_finish answers H_ERR */
} ZipWriter;

/* Adds the file name (ASCII or UTF-8) with n bytes of p, deflated. */
void zip_add(ZipWriter *z, const char *name, const void *p, size_t n);
/* Appends the whole archive to out and frees z's memory. H_OK or H_ERR. */
int zip_finish(ZipWriter *z, Buf *out);
/* Frees z's memory without writing. */
void zip_free(ZipWriter *z);

#endif
