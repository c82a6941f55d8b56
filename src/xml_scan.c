/*
 * xml_scan.c — the streaming XML scanner of xml_scan.h: one pass over the
 * bytes, items (a tag, a text run, a comment, a processing instruction, a
 * CDATA section) handled as soon as they are whole in the buffer; an item
 * cut by the end of the buffer waits for the next bytes. A tag is read in
 * two phases: first found whole without touching the bytes, then its names
 * and values are ended with NULs and decoded in place (decoding only
 * shortens), so the handlers get C strings without copies.
 */
#include "xml_scan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

struct XmlScan {
	void *ud;
	XmlScanStart start;
	XmlScanEnd end;
	XmlScanText text;
	char *buf;              /* buf[pos..len): bytes not yet scanned */
	size_t len, cap, pos;
	int code;               /* XML_SCAN_OK until something else */
	int began;              /* the byte-order mark and the declaration were looked at */
	int root_seen, root_closed;
	int pending_cr;         /* the last text piece ended with CR: an LF after it goes */
	/* the open elements' names, each NUL-ended in names at offs[i] */
	char *names;
	size_t nlen, ncap;
	size_t offs[XML_SCAN_MAX_DEPTH];
	int depth;
	const char *atts[2 * XML_SCAN_MAX_ATTS + 1];
	/* positions: buf[0] is byte `gone` of the document; newlines counted up
	 * to byte `counted` (never past bytes already changed in place) */
	unsigned long long gone, counted, line_start;
	unsigned long line;
	const char *why;
	unsigned long err_line, err_col;
};

XmlScan *xml_scan_new(void *ud, XmlScanStart start, XmlScanEnd end, XmlScanText text)
{
	XmlScan *x = xcalloc(1, sizeof *x);
	x->ud = ud;
	x->start = start;
	x->end = end;
	x->text = text;
	x->line = 1;
	return x;
}

void xml_scan_free(XmlScan *x)
{
	if (!x)
		return;
	free(x->buf);
	free(x->names);
	free(x);
}

void xml_scan_stop(XmlScan *x)
{
	if (x && x->code == XML_SCAN_OK)
		x->code = XML_SCAN_STOPPED;
}

const char *xml_scan_error(const XmlScan *x, unsigned long *line, unsigned long *col)
{
	if (line)
		*line = x->err_line;
	if (col)
		*col = x->err_col;
	return x->why ? x->why : "";
}

/* Counts the line ends of buf[..upto) not counted yet. */
static void count_to(XmlScan *x, size_t upto)
{
	unsigned long long abs = x->gone + upto;
	if (abs <= x->counted)
		return;
	const char *p = x->buf + (x->counted - x->gone), *e = x->buf + upto;
	while (p < e && (p = memchr(p, '\n', (size_t)(e - p)))) {
		x->line++;
		p++;
		x->line_start = x->gone + (unsigned long long)(p - x->buf);
	}
	x->counted = abs;
}

/* Refuses the document at buf[at]. Returns XML_SCAN_BAD. */
static int bad(XmlScan *x, size_t at, const char *why)
{
	if (x->code != XML_SCAN_OK)
		return x->code;
	count_to(x, at);
	unsigned long long abs = x->gone + at;
	x->err_line = x->line;
	x->err_col = abs >= x->line_start ? (unsigned long)(abs - x->line_start) + 1 : 1;
	x->why = why;
	x->code = XML_SCAN_BAD;
	return XML_SCAN_BAD;
}

char *xml_scan_buffer(XmlScan *x, size_t n)
{
	if (x->pos) { /* drop what was scanned */
		count_to(x, x->pos);
		memmove(x->buf, x->buf + x->pos, x->len - x->pos);
		x->gone += x->pos;
		x->len -= x->pos;
		x->pos = 0;
	}
	if (x->len + n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 65536;
		while (cap < x->len + n + 1)
			cap *= 2;
		x->buf = xrealloc(x->buf, cap);
		x->cap = cap;
	}
	return x->buf + x->len;
}

/* 1 when s[0..] (up to e) starts with lit, 0 when it does not, -1 when
 * the bytes end first. */
static int starts(const char *s, const char *e, const char *lit)
{
	for (; *lit; s++, lit++) {
		if (s >= e)
			return -1;
		if (*s != *lit)
			return 0;
	}
	return 1;
}

static inline int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Where a name ends. */
static inline int name_end(char c)
{
	return is_space(c) || c == '/' || c == '>' || c == '=' || c == '<' || c == '"' || c == '\'' || c == '&' || c == 0;
}

static size_t put_utf8(unsigned c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3F));
	out[2] = (char)(0x80 | (c >> 6 & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* The entity or character reference at p ('&') up to e into out (1 to 4
 * bytes): its length in out, and *after past its ';'. 0 when the
 * reference is not whole before e, -1 when it is no reference XML allows. */
static int entity(const char *p, const char *e, char out[4], const char **after)
{
	const char *semi = memchr(p, ';', (size_t)(e - p) < 12 ? (size_t)(e - p) : 12);
	if (!semi)
		return (size_t)(e - p) < 12 ? 0 : -1;
	const char *n = p + 1;
	size_t nl = (size_t)(semi - n);
	*after = semi + 1;
	if (nl == 2 && !memcmp(n, "lt", 2))
		return out[0] = '<', 1;
	if (nl == 2 && !memcmp(n, "gt", 2))
		return out[0] = '>', 1;
	if (nl == 3 && !memcmp(n, "amp", 3))
		return out[0] = '&', 1;
	if (nl == 4 && !memcmp(n, "quot", 4))
		return out[0] = '"', 1;
	if (nl == 4 && !memcmp(n, "apos", 4))
		return out[0] = '\'', 1;
	if (nl < 2 || n[0] != '#')
		return -1;
	unsigned long c = 0;
	int hex = n[1] == 'x', digits = 0;
	for (const char *q = n + 1 + hex; q < semi; q++, digits++) {
		int d = *q >= '0' && *q <= '9' ? *q - '0'
		      : hex && *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
		      : hex && *q >= 'A' && *q <= 'F' ? *q - 'A' + 10 : -1;
		if (d < 0 || c > 0x10FFFF)
			return -1;
		c = c * (hex ? 16 : 10) + (unsigned long)d;
	}
	/* XML's characters: tab, LF, CR, and from space on but the surrogates and FFFE, FFFF */
	if (!digits || c > 0x10FFFF || (c < 0x20 && c != 9 && c != 10 && c != 13) || (c >= 0xD800 && c <= 0xDFFF) ||
	    c == 0xFFFE || c == 0xFFFF)
		return -1;
	return (int)put_utf8((unsigned)c, out);
}

/* Hands text[0..n) to the text handler: line ends as XML makes them, and
 * (refs) references decoded; outside the root element only white space
 * may stand. at: the offset of text in buf (for an error). */
static int emit_text(XmlScan *x, const char *text, size_t n, int refs, size_t at)
{
	const char *p = text, *e = text + n;
	if (x->depth == 0) {
		for (; p < e; p++)
			if (!is_space(*p))
				return bad(x, at + (size_t)(p - text), "text outside the root element");
		return XML_SCAN_OK;
	}
	if (x->pending_cr && p < e) {
		if (*p == '\n')
			p++;
		x->pending_cr = 0;
	}
	const char *run = p;
	while (p < e && x->code == XML_SCAN_OK) {
		char c = *p;
		if (c != '\r' && (c != '&' || !refs)) {
			p++;
			continue;
		}
		if (p > run && x->text)
			x->text(x->ud, run, (int)(p - run));
		if (x->code != XML_SCAN_OK)
			break;
		if (c == '\r') {
			if (x->text)
				x->text(x->ud, "\n", 1);
			p++;
			if (p == e)
				x->pending_cr = 1;
			else if (*p == '\n')
				p++;
		} else {
			char out[4];
			const char *after;
			int k = entity(p, e, out, &after);
			if (k <= 0)
				return bad(x, at + (size_t)(p - text), "undefined entity or bad character reference");
			if (x->text)
				x->text(x->ud, out, k);
			p = after;
		}
		run = p;
	}
	if (p > run && x->text && x->code == XML_SCAN_OK)
		x->text(x->ud, run, (int)(p - run));
	return x->code;
}

/* Decodes an attribute value in place (references, white space as
 * spaces, CR LF as one) and ends it with a NUL. -1 when a reference is bad. */
static int attr_value(char *v, char *ve)
{
	char *o = v;
	for (char *p = v; p < ve;) {
		if (*p == '&') {
			char out[4];
			const char *after;
			int k = entity(p, ve, out, &after);
			if (k <= 0)
				return -1;
			memcpy(o, out, (size_t)k); /* k ≤ the reference's own length */
			o += k;
			p = (char *)after;
		} else if (*p == '\r' || *p == '\n' || *p == '\t') {
			if (*p == '\r' && p + 1 < ve && p[1] == '\n')
				p++;
			*o++ = ' ';
			p++;
		} else
			*o++ = *p++;
	}
	*o = 0;
	return 0;
}

/* Need more bytes (0), or at the end of the document a token cut short. */
static int need(XmlScan *x, int final, size_t at)
{
	return final ? bad(x, at, "unclosed token") : 0;
}

/* The start tag at buf[pos]: 1 when handled, 0 when not whole yet, or an error code < 0. */
static int start_tag(XmlScan *x, int final)
{
	char *b = x->buf, *p = b + x->pos, *e = b + x->len, *q = p + 1, *local = q;
	while (q < e && !name_end(*q))
		if (*q++ == ':')
			local = q;
	if (q == e)
		return need(x, final, x->pos);
	if (q == p + 1 || local == q) /* no name, or a prefix without one ("<x:>") */
		return bad(x, x->pos, "not well-formed (invalid token)");
	char *nend = q;
	struct { char *n, *local, *ne, *v, *ve; } at[XML_SCAN_MAX_ATTS];
	int natts = 0, self = 0;
	for (;;) {
		int spaced = 0;
		while (q < e && is_space(*q))
			q++, spaced = 1;
		if (q == e)
			return need(x, final, x->pos);
		if (*q == '>') {
			q++;
			break;
		}
		if (*q == '/') {
			if (q + 1 == e)
				return need(x, final, x->pos);
			if (q[1] != '>')
				return bad(x, (size_t)(q - b), "not well-formed (invalid token)");
			q += 2;
			self = 1;
			break;
		}
		if (!spaced || name_end(*q))
			return bad(x, (size_t)(q - b), "not well-formed (invalid token)");
		if (natts == XML_SCAN_MAX_ATTS)
			return bad(x, (size_t)(q - b), "too many attributes");
		char *an = q, *al = q;
		while (q < e && !name_end(*q))
			if (*q++ == ':')
				al = q;
		char *ane = q;
		if (al == q && q < e)
			return bad(x, (size_t)(an - b), "not well-formed (invalid token)");
		while (q < e && is_space(*q))
			q++;
		if (q == e)
			return need(x, final, x->pos);
		if (*q != '=')
			return bad(x, (size_t)(q - b), "not well-formed (invalid token)");
		q++;
		while (q < e && is_space(*q))
			q++;
		if (q == e)
			return need(x, final, x->pos);
		if (*q != '"' && *q != '\'')
			return bad(x, (size_t)(q - b), "not well-formed (invalid token)");
		char *v = q + 1, *ve = memchr(v, *q, (size_t)(e - v));
		if (!ve)
			return need(x, final, x->pos);
		if (memchr(v, '<', (size_t)(ve - v)) || memchr(v, 0, (size_t)(ve - v))) /* a NUL is no XML character */
			return bad(x, (size_t)(v - b), "not well-formed (invalid token)");
		at[natts].n = an;
		at[natts].local = al;
		at[natts].ne = ane;
		at[natts].v = v;
		at[natts].ve = ve;
		natts++;
		q = ve + 1;
	}
	/* whole: count its line ends, then change it in place */
	size_t tag_end = (size_t)(q - b);
	count_to(x, tag_end);
	if (x->root_closed)
		return bad(x, x->pos, "junk after document element");
	if (!self && x->depth == XML_SCAN_MAX_DEPTH)
		return bad(x, x->pos, "elements nested too deep");
	*nend = 0;
	int na = 0;
	for (int i = 0; i < natts; i++) {
		*at[i].ne = 0;
		if (attr_value(at[i].v, at[i].ve) < 0)
			return bad(x, x->pos, "undefined entity or bad character reference");
		if (at[i].n[0] == 'x' && (!strcmp(at[i].n, "xmlns") || !strncmp(at[i].n, "xmlns:", 6)))
			continue;
		x->atts[na++] = at[i].local;
		x->atts[na++] = at[i].v;
	}
	x->atts[na] = NULL;
	const char *name = p + 1;
	x->root_seen = 1;
	x->pending_cr = 0;
	x->pos = tag_end;
	if (!self) {
		size_t nl = strlen(name) + 1;
		if (x->nlen + nl > x->ncap) {
			x->ncap = (x->nlen + nl) * 2 + 64;
			x->names = xrealloc(x->names, x->ncap);
		}
		memcpy(x->names + x->nlen, name, nl);
		x->offs[x->depth++] = x->nlen;
		x->nlen += nl;
	}
	x->start(x->ud, local, x->atts);
	if (self && x->code == XML_SCAN_OK) {
		x->end(x->ud, local);
		if (x->depth == 0)
			x->root_closed = 1;
	}
	return 1;
}

/* The end tag at buf[pos] ("</"). */
static int end_tag(XmlScan *x, int final)
{
	char *b = x->buf, *p = b + x->pos, *e = b + x->len, *q = p + 2;
	while (q < e && !name_end(*q))
		q++;
	char *nend = q;
	while (q < e && is_space(*q))
		q++;
	if (q == e)
		return need(x, final, x->pos);
	if (*q != '>' || nend == p + 2)
		return bad(x, (size_t)(q - b), "not well-formed (invalid token)");
	size_t nl = (size_t)(nend - (p + 2));
	const char *local = p + 2;
	for (const char *c = p + 2; c < nend; c++)
		if (*c == ':')
			local = c + 1;
	if (x->depth == 0)
		return bad(x, x->pos, "end tag without a start tag");
	const char *open = x->names + x->offs[x->depth - 1];
	if (strlen(open) != nl || memcmp(open, p + 2, nl) != 0)
		return bad(x, x->pos, "mismatched tag");
	count_to(x, (size_t)(q + 1 - b));
	*nend = 0;
	x->pos = (size_t)(q + 1 - b);
	x->depth--;
	x->nlen = x->offs[x->depth];
	x->pending_cr = 0;
	if (x->depth == 0)
		x->root_closed = 1;
	x->end(x->ud, local);
	return 1;
}

/* The byte-order mark and the XML declaration: 1 when looked at, 0 when
 * more bytes are needed, else a code. */
static int begin(XmlScan *x, int final)
{
	const unsigned char *u = (const unsigned char *)x->buf + x->pos;
	size_t n = x->len - x->pos;
	if (n < 4 && !final)
		return 0;
	if (n >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0 && u[1] == '<') ||
	               (u[0] == '<' && u[1] == 0)))
		return x->code = XML_SCAN_ENCODING;
	if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		x->pos += 3;
		u += 3;
		n -= 3;
	}
	const char *s = (const char *)u, *e = s + n;
	int decl = starts(s, e, "<?xml");
	if (decl < 0 || (decl > 0 && s + 5 >= e))
		return final ? 1 : 0;
	if (decl > 0 && is_space(s[5])) {
		const char *close = memmem(s, n, "?>", 2);
		if (!close)
			return final ? bad(x, x->pos, "unclosed token") : 0;
		const char *enc = memmem(s, (size_t)(close - s), "encoding", 8);
		if (enc) {
			const char *q = enc + 8;
			while (q < close && (is_space(*q) || *q == '='))
				q++;
			if (q < close && (*q == '"' || *q == '\'')) {
				const char *v = q + 1, *ve = memchr(v, *q, (size_t)(close - v));
				size_t vl = ve ? (size_t)(ve - v) : 0;
				if (!(vl == 5 && !strncasecmp(v, "UTF-8", 5)) && !(vl == 4 && !strncasecmp(v, "UTF8", 4)))
					return x->code = XML_SCAN_ENCODING;
			}
		}
	}
	return 1;
}

int xml_scan_parse(XmlScan *x, size_t n, int final)
{
	x->len += n;
	if (x->code != XML_SCAN_OK)
		return x->code;
	if (!x->began) {
		int r = begin(x, final);
		if (r <= 0)
			return r < 0 ? r : x->code;
		x->began = 1;
	}
	while (x->code == XML_SCAN_OK && x->pos < x->len) {
		char *b = x->buf, *p = b + x->pos, *e = b + x->len;
		int r;
		if (*p != '<') {
			char *lt = memchr(p, '<', (size_t)(e - p)), *stop = lt ? lt : e;
			if (!lt && !final) {
				/* a long text: pass on what is whole (not a reference cut short) */
				char *amp = stop;
				while (amp > p && amp[-1] != '&' && stop - amp < 12)
					amp--;
				if (amp > p && amp[-1] == '&' && !memchr(amp, ';', (size_t)(stop - amp)))
					stop = amp - 1;
				if (stop == p)
					break;
			}
			size_t at = x->pos;
			x->pos = (size_t)(stop - b);
			emit_text(x, p, (size_t)(stop - p), 1, at);
			continue;
		}
		if (e - p < 2) {
			need(x, final, x->pos);
			break;
		}
		if (p[1] == '?') {
			char *close = memmem(p + 2, (size_t)(e - p - 2), "?>", 2);
			if (!close) {
				need(x, final, x->pos);
				break;
			}
			x->pos = (size_t)(close + 2 - b);
			continue;
		}
		if (p[1] == '!') {
			int cm = starts(p, e, "<!--"), cd = starts(p, e, "<![CDATA["), dt = starts(p, e, "<!DOCTYPE");
			if (cm > 0) {
				char *close = memmem(p + 4, (size_t)(e - p - 4), "-->", 3);
				if (!close) {
					need(x, final, x->pos);
					break;
				}
				x->pos = (size_t)(close + 3 - b);
			} else if (cd > 0) {
				char *close = memmem(p + 9, (size_t)(e - p - 9), "]]>", 3);
				if (!close) {
					need(x, final, x->pos);
					break;
				}
				if (x->depth == 0) {
					bad(x, x->pos, "CDATA outside the root element");
					break;
				}
				size_t at = x->pos;
				x->pos = (size_t)(close + 3 - b);
				emit_text(x, p + 9, (size_t)(close - p - 9), 0, at);
			} else if (dt > 0) {
				x->code = XML_SCAN_DTD;
			} else if (cm < 0 || cd < 0 || dt < 0) {
				need(x, final, x->pos);
				break;
			} else
				bad(x, x->pos, "not well-formed (invalid token)");
			continue;
		}
		r = p[1] == '/' ? end_tag(x, final) : start_tag(x, final);
		if (r == 0)
			break;
	}
	/* an item not whole yet is scanned again from its start with each new
	 * piece: bounded, so that a tag without end costs linear time */
	if (!final && x->code == XML_SCAN_OK && x->len - x->pos > XML_SCAN_MAX_ITEM)
		bad(x, x->pos, "a tag, comment or CDATA section too long");
	if (final && x->code == XML_SCAN_OK) {
		if (!x->root_seen)
			bad(x, x->len, "no element found");
		else if (x->depth > 0)
			bad(x, x->len, "unclosed element at the end of the document");
	}
	return x->code;
}
