/*
 * zip_write.c — the zip writer of zip_write.h: local file headers, raw
 * deflate data (zlib), the central directory and its end record (PKWARE
 * APPNOTE 4.3). No zip64: an archive and its entries stay under 4 GiB,
 * which the documents written with it never approach.
 */
#include "zip_write.h"

#include <string.h>
#include <stdlib.h>
#include <zlib.h>

static void put16(Buf *b, unsigned v)
{
	unsigned char x[2] = {v & 0xff, (v >> 8) & 0xff};
	buf_append(b, x, 2);
}

static void put32(Buf *b, unsigned long v)
{
	unsigned char x[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff};
	buf_append(b, x, 4);
}

#define DOS_TIME 0
#define DOS_DATE ((0 << 9) | (1 << 5) | 1) /* 1980-01-01 */

void zip_add(ZipWriter *z, const char *name, const void *p, size_t n)
{
	if (z->failed)
		return;
	uLong crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, p, (uInt)n);
	/* raw deflate into a buffer sized by deflateBound */
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		z->failed = 1;
		return;
	}
	uLong bound = deflateBound(&zs, (uLong)n);
	unsigned char *comp = xmalloc(bound + 16);
	zs.next_in = (Bytef *)p;
	zs.avail_in = (uInt)n;
	zs.next_out = comp;
	zs.avail_out = (uInt)(bound + 16);
	int rc = deflate(&zs, Z_FINISH);
	size_t clen = zs.total_out;
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(comp);
		z->failed = 1;
		return;
	}
	size_t nlen = strlen(name);
	unsigned long offset = (unsigned long)z->data.len;
	/* local file header */
	put32(&z->data, 0x04034b50);
	put16(&z->data, 20);      /* version needed */
	put16(&z->data, 1u << 11); /* UTF-8 names */
	put16(&z->data, 8);       /* deflate */
	put16(&z->data, DOS_TIME);
	put16(&z->data, DOS_DATE);
	put32(&z->data, crc);
	put32(&z->data, (unsigned long)clen);
	put32(&z->data, (unsigned long)n);
	put16(&z->data, (unsigned)nlen);
	put16(&z->data, 0);
	buf_append(&z->data, name, nlen);
	buf_append(&z->data, comp, clen);
	free(comp);
	/* its central directory entry */
	put32(&z->central, 0x02014b50);
	put16(&z->central, 20);   /* made by: MS-DOS, 2.0 */
	put16(&z->central, 20);
	put16(&z->central, 1u << 11);
	put16(&z->central, 8);
	put16(&z->central, DOS_TIME);
	put16(&z->central, DOS_DATE);
	put32(&z->central, crc);
	put32(&z->central, (unsigned long)clen);
	put32(&z->central, (unsigned long)n);
	put16(&z->central, (unsigned)nlen);
	put16(&z->central, 0);    /* extra */
	put16(&z->central, 0);    /* comment */
	put16(&z->central, 0);    /* disk */
	put16(&z->central, 0);    /* internal attributes */
	put32(&z->central, 0);    /* external attributes */
	put32(&z->central, offset);
	buf_append(&z->central, name, nlen);
	z->count++;
}

int zip_finish(ZipWriter *z, Buf *out)
{
	if (z->failed || z->count > 0xffff || z->data.len > 0xffffffffu - z->central.len) {
		zip_free(z);
		return H_ERR;
	}
	unsigned long cd_offset = (unsigned long)z->data.len;
	buf_append(out, z->data.data ? z->data.data : "", z->data.len);
	buf_append(out, z->central.data ? z->central.data : "", z->central.len);
	Buf end = {0};
	put32(&end, 0x06054b50);
	put16(&end, 0);
	put16(&end, 0);
	put16(&end, (unsigned)z->count);
	put16(&end, (unsigned)z->count);
	put32(&end, (unsigned long)z->central.len);
	put32(&end, cd_offset);
	put16(&end, 0);
	buf_append(out, end.data, end.len);
	buf_free(&end);
	zip_free(z);
	return H_OK;
}

void zip_free(ZipWriter *z)
{
	buf_free(&z->data);
	buf_free(&z->central);
	z->count = 0;
}

/* ---- the streamed archive ---- */

static void zs_put(ZipStream *z, const void *p, size_t n)
{
	buf_append(z->out, p, n);
	z->offset += n;
}

static void zs_put16(ZipStream *z, unsigned v)
{
	unsigned char x[2] = {v & 0xff, (v >> 8) & 0xff};
	zs_put(z, x, 2);
}

static void zs_put32(ZipStream *z, unsigned long v)
{
	unsigned char x[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >> 24) & 0xff};
	zs_put(z, x, 4);
}

#define STREAM_FLAGS ((1u << 11) | (1u << 3)) /* UTF-8 names; sizes in the data descriptor */

void zips_begin(ZipStream *z, const char *name)
{
	if (z->failed)
		return;
	if (z->open)
		zips_end(z);
	memset(&z->zs, 0, sizeof z->zs);
	if (deflateInit2(&z->zs, z->level > 0 ? z->level : Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8,
	                 Z_DEFAULT_STRATEGY) != Z_OK) {
		z->failed = 1;
		return;
	}
	z->open = 1;
	z->crc = crc32(0L, Z_NULL, 0);
	z->in = 0;
	z->start = z->offset;
	size_t nlen = strlen(name);
	zs_put32(z, 0x04034b50);
	zs_put16(z, 20);
	zs_put16(z, STREAM_FLAGS);
	zs_put16(z, 8);
	zs_put16(z, DOS_TIME);
	zs_put16(z, DOS_DATE);
	zs_put32(z, 0); /* crc, sizes: in the data descriptor */
	zs_put32(z, 0);
	zs_put32(z, 0);
	zs_put16(z, (unsigned)nlen);
	zs_put16(z, 0);
	zs_put(z, name, nlen);
	/* its central directory entry, all but crc and sizes (patched at the end) */
	z->cen_at = z->central.len;
	z->name_len = nlen;
	put32(&z->central, 0x02014b50);
	put16(&z->central, 20);
	put16(&z->central, 20);
	put16(&z->central, STREAM_FLAGS);
	put16(&z->central, 8);
	put16(&z->central, DOS_TIME);
	put16(&z->central, DOS_DATE);
	put32(&z->central, 0);
	put32(&z->central, 0);
	put32(&z->central, 0);
	put16(&z->central, (unsigned)nlen);
	put16(&z->central, 0);
	put16(&z->central, 0);
	put16(&z->central, 0);
	put16(&z->central, 0);
	put32(&z->central, 0);
	put32(&z->central, (unsigned long)z->start);
	buf_append(&z->central, name, nlen);
	z->count++;
}

static void deflate_some(ZipStream *z, int flush)
{
	int rc;
	do {
		z->zs.next_out = z->obuf;
		z->zs.avail_out = sizeof z->obuf;
		rc = deflate(&z->zs, flush);
		if (rc == Z_STREAM_ERROR) {
			z->failed = 1;
			return;
		}
		zs_put(z, z->obuf, sizeof z->obuf - z->zs.avail_out);
	} while (z->zs.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
}

void zips_write(ZipStream *z, const void *p, size_t n)
{
	if (z->failed || !z->open || !n)
		return;
	z->crc = crc32(z->crc, p, (uInt)n);
	z->in += n;
	z->zs.next_in = (Bytef *)p;
	z->zs.avail_in = (uInt)n;
	deflate_some(z, Z_NO_FLUSH);
}

void zips_end(ZipStream *z)
{
	if (!z->open)
		return;
	z->open = 0;
	if (!z->failed) {
		z->zs.next_in = NULL;
		z->zs.avail_in = 0;
		deflate_some(z, Z_FINISH);
	}
	unsigned long long clen = z->offset - z->start;
	deflateEnd(&z->zs);
	if (z->failed)
		return;
	unsigned char *c = (unsigned char *)z->central.data + z->cen_at;
	clen -= 30 + z->name_len; /* the local header */
	if (z->in > 0xffffffffu || clen > 0xffffffffu || z->offset > 0xffffffffu) {
		z->failed = 1; /* no zip64 */
		return;
	}
	zs_put32(z, 0x08074b50);
	zs_put32(z, z->crc);
	zs_put32(z, (unsigned long)clen);
	zs_put32(z, (unsigned long)z->in);
	unsigned char v[12];
	unsigned long vals[3] = {z->crc, (unsigned long)clen, (unsigned long)z->in};
	for (int i = 0; i < 3; i++)
		for (int b = 0; b < 4; b++)
			v[i * 4 + b] = (vals[i] >> (8 * b)) & 0xff;
	memcpy(c + 16, v, 12);
}

void zips_finish(ZipStream *z)
{
	if (z->open)
		zips_end(z);
	if (z->failed || z->count > 0xffff || z->offset + z->central.len > 0xffffffffu) {
		z->failed = 1;
		return;
	}
	unsigned long cd_offset = (unsigned long)z->offset;
	zs_put(z, z->central.data ? z->central.data : "", z->central.len);
	zs_put32(z, 0x06054b50);
	zs_put16(z, 0);
	zs_put16(z, 0);
	zs_put16(z, (unsigned)z->count);
	zs_put16(z, (unsigned)z->count);
	zs_put32(z, (unsigned long)z->central.len);
	zs_put32(z, cd_offset);
	zs_put16(z, 0);
}

void zips_free(ZipStream *z)
{
	if (z->open) {
		deflateEnd(&z->zs);
		z->open = 0;
	}
	buf_free(&z->central);
}
