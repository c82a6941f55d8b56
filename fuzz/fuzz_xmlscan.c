/*
 * fuzz_xmlscan.c — the XML scanner of the imported sheets (xml_scan.c) on
 * any bytes, fed whole and in pieces cut where the first byte says: both
 * ways give the same code and the same events; a refusal always says why
 * and where; names are never empty and attributes come in pairs.
 */
#include "fuzz.h"
#include "xml_scan.h"

typedef struct Sum {
	unsigned long long h; /* a hash of the events, text joined */
	int depth;
} Sum;

static void mix(Sum *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		s->h = (s->h ^ (unsigned char)p[i]) * 1099511628211ULL;
}

static void on_start(void *ud, const char *name, const char **atts)
{
	Sum *s = ud;
	FUZZ_CHECK(name && *name);
	mix(s, "<", 1);
	mix(s, name, strlen(name));
	for (int i = 0; atts[i]; i += 2) {
		FUZZ_CHECK(atts[i + 1] != NULL);
		mix(s, " ", 1);
		mix(s, atts[i], strlen(atts[i]));
		mix(s, "=", 1);
		mix(s, atts[i + 1], strlen(atts[i + 1]));
	}
	s->depth++;
	FUZZ_CHECK(s->depth <= XML_SCAN_MAX_DEPTH);
}

static void on_end(void *ud, const char *name)
{
	Sum *s = ud;
	FUZZ_CHECK(s->depth > 0);
	s->depth--;
	mix(s, "/", 1);
	mix(s, name, strlen(name));
}

static void on_text(void *ud, const char *t, int len)
{
	Sum *s = ud;
	FUZZ_CHECK(len > 0 && s->depth > 0);
	mix(s, t, (size_t)len);
}

static int run(const uint8_t *data, size_t size, size_t step, Sum *sum)
{
	XmlScan *x = xml_scan_new(sum, on_start, on_end, on_text);
	int rc;
	size_t off = 0;
	do {
		size_t n = step && size - off > step ? step : size - off;
		memcpy(xml_scan_buffer(x, n), data + off, n);
		off += n;
		rc = xml_scan_parse(x, n, off == size);
	} while (rc == XML_SCAN_OK && off < size);
	unsigned long line, col;
	const char *why = xml_scan_error(x, &line, &col);
	if (rc == XML_SCAN_BAD)
		FUZZ_CHECK(why[0] && line >= 1 && col >= 1);
	if (rc == XML_SCAN_OK)
		FUZZ_CHECK(sum->depth == 0);
	xml_scan_free(x);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	size_t step = 1 + data[0] % 16;
	Sum whole = {.h = 1469598103934665603ULL}, cut = whole;
	int a = run(data + 1, size - 1, 0, &whole), b = run(data + 1, size - 1, step, &cut);
	FUZZ_CHECK(a == b);
	if (a == XML_SCAN_OK)
		FUZZ_CHECK(whole.h == cut.h);
	return 0;
}
