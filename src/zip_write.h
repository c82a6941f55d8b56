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

/* A zip written as it goes, for an archive too large to hold (a streamed
 * export): each entry's local header carries no sizes (general purpose
 * bit 3) and a data descriptor follows its data; only the central
 * directory (a few dozen bytes an entry) is kept until the end. The bytes
 * are appended to *out, which the caller drains as it likes (buf_reset).
 *
 *   ZipStream z = {.out = &pending, .level = 1};
 *   zips_begin(&z, "xl/worksheets/sheet1.xml");
 *   zips_write(&z, xml, n); ...
 *   zips_end(&z);
 *   zips_finish(&z);        // the central directory; z->failed says whether all went well
 *   zips_free(&z);
 */
#include <zlib.h>
typedef struct ZipStream {
	Buf *out;                 /* where the archive's bytes go */
	int level;                /* zlib's level: 1 fastest .. 9 smallest (0: 6) */
	Buf central;
	int count, failed;
	unsigned long long offset; /* bytes of the archive so far */
	/* the open entry */
	int open;
	z_stream zs;
	unsigned long crc;
	unsigned long long in, start;
	size_t cen_at, name_len;  /* its central entry in central, its name's length */
	unsigned char obuf[16384];
} ZipStream;

void zips_begin(ZipStream *z, const char *name);
void zips_write(ZipStream *z, const void *p, size_t n);
void zips_end(ZipStream *z);
void zips_finish(ZipStream *z);
void zips_free(ZipStream *z);

#endif
