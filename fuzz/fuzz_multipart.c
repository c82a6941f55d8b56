/*
 * fuzz_multipart.c — multipart/form-data bodies as the server reads a
 * plain form's photo (multipart.h): the input's first line is the
 * Content-Type's parameters ("boundary=…"), read by multipart_boundary;
 * the rest is the body, split by multipart_parse. Whatever the bytes, the
 * parser answers a count within MULTIPART_MAX_PARTS or -1 with a reason,
 * and every part it gives lies inside the body.
 */
#include "fuzz.h"
#include "multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Arena a = {0};
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hl = nl ? (size_t)(nl - data) : 0;
	const char *ct = arena_printf(&a, "multipart/form-data; %s", fuzz_cstr(&a, data, hl));
	const char *boundary = multipart_boundary(&a, ct);
	if (!boundary)
		boundary = "XyZ";
	FUZZ_CHECK(strlen(boundary) >= 1 && strlen(boundary) <= MULTIPART_MAX_BOUNDARY);
	const char *body = (const char *)data + (nl ? hl + 1 : 0);
	size_t len = size - (nl ? hl + 1 : 0);
	MultipartPart *p;
	const char *err;
	int n = multipart_parse(&a, boundary, body, len, &p, &err);
	FUZZ_CHECK(n >= -1 && n <= MULTIPART_MAX_PARTS);
	FUZZ_CHECK((n < 0) == (err != NULL));
	for (int i = 0; i < n; i++) {
		FUZZ_CHECK(p[i].name);
		FUZZ_CHECK(p[i].len <= len);
		if (p[i].filename)
			FUZZ_CHECK(p[i].data >= body && p[i].data + p[i].len <= body + len);
		else
			FUZZ_CHECK(strlen(p[i].data) <= p[i].len && p[i].data[p[i].len] == 0);
	}
	arena_free(&a);
	return 0;
}
