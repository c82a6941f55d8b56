/*
 * multipart.h — reading a multipart/form-data body (RFC 7578), what a
 * plain HTML form with <input type="file"> sends: a phone's browser posts
 * the photo with the form's other fields, no script needed. The server
 * (http.c) parses a request's body once, before its handler runs: text
 * parts become form fields (req_form), file parts request files
 * (req_file).
 *
 * Bounded and fuzz-safe (fuzz/fuzz_multipart.c): the body is already
 * bounded by the server's body limit when it is parsed; a part's data is
 * not copied (it points into the body), text values are copied once;
 * at most MULTIPART_MAX_PARTS parts, MULTIPART_MAX_HEADER bytes of headers
 * per part, a boundary of 1–70 characters (RFC 2046). Anything malformed
 * (no closing delimiter, a part without a name, headers too long) is
 * refused with a Chinese message, never guessed at.
 */
#ifndef HATCHERY_MULTIPART_H
#define HATCHERY_MULTIPART_H

#include <stddef.h>

#include "util.h"

#define MULTIPART_MAX_PARTS 64
#define MULTIPART_MAX_HEADER 2048
#define MULTIPART_MAX_BOUNDARY 70

typedef struct MultipartPart {
	const char *name;         /* the field's name (NUL-terminated, in the arena) */
	const char *filename;     /* NULL: a text field; "" a file input left empty */
	const char *content_type; /* as the browser sent it, NULL when none (never trusted: files are sniffed) */
	const char *data;         /* the part's bytes: into the body for files, a NUL-terminated copy for text */
	size_t len;
} MultipartPart;

/* The boundary of a Content-Type "multipart/form-data; boundary=…" (quoted
 * or not), in a; NULL when the type is not multipart/form-data or the
 * boundary is missing or not 1–70 characters of the allowed set. */
const char *multipart_boundary(Arena *a, const char *content_type);

/* Splits body (len bytes) by boundary into parts, in order. Returns their
 * number (0 or more), or -1 with a Chinese message in *err. */
int multipart_parse(Arena *a, const char *boundary, const char *body, size_t len, MultipartPart **out,
                    const char **err);

#endif
