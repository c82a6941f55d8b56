/*
 * fuzz_utf8.c — the UTF-8 check at the doors (util.c's utf8_valid) against
 * a decoder written here from RFC 3629's table: both must agree on every
 * input — no overlong forms, no surrogates, nothing above U+10FFFF, no
 * sequence cut short.
 */
#include "fuzz.h"

/* RFC 3629, section 4: the byte sequences of UTF-8, one range at a time. */
static int reference_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = s[i];
		size_t len;
		uint8_t lo = 0x80, hi = 0xBF; /* the second byte's range */
		if (c <= 0x7F) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0; /* no overlong */
			if (c == 0xED)
				hi = 0x9F; /* no surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90; /* no overlong */
			if (c == 0xF4)
				hi = 0x8F; /* nothing past U+10FFFF */
		} else {
			return 0;
		}
		if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (size_t k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return 0;
		i += len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int ours = utf8_valid((const char *)data, size) != 0;
	int ref = reference_valid(data, size);
	if (ours != ref)
		fprintf(stderr, "utf8_valid says %d, RFC 3629 says %d\n", ours, ref);
	FUZZ_CHECK(ours == ref);
	return 0;
}
