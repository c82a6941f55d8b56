/*
 * xml_scan.h — a small streaming XML scanner for the two large parts of an
 * .xlsx workbook (a sheet and its shared strings), where expat was most of
 * the time of reading an import (xlsx_read.c). It calls handlers shaped as
 * expat's (start with NULL-terminated name/value pairs, end, text) with
 * names without their prefix ("x:c" → "c"; xmlns declarations are not
 * passed), entities and character references decoded, and line ends as
 * XML makes them (CR LF and CR → LF).
 *
 * It reads UTF-8 only: a document with a byte-order mark of UTF-16 or a
 * declared encoding other than UTF-8 is XML_SCAN_ENCODING before any
 * handler runs, for the caller to read it with expat instead. A document
 * type declaration is XML_SCAN_DTD (never read). It refuses what is not
 * well-formed as far as the handlers could be misled: an unclosed or
 * mismatched tag, a tag or an attribute cut short, an undefined entity or
 * a reference to a character XML does not allow, text outside the root
 * element, nesting deeper than XML_SCAN_MAX_DEPTH, more than
 * XML_SCAN_MAX_ATTS attributes on one tag, a tag, comment or CDATA section
 * longer than XML_SCAN_MAX_ITEM (so that scanning stays linear). It does not check what no
 * handler reads (the characters of names, duplicate attributes). Text is
 * passed on as it is: the caller checks what it keeps (utf8_text_bad).
 *
 * Memory: the bytes of the item being read (a tag or a text run is passed
 * on in pieces), so a part is never held whole.
 */
#ifndef HATCHERY_XML_SCAN_H
#define HATCHERY_XML_SCAN_H

#include <stddef.h>

#define XML_SCAN_MAX_DEPTH 256
#define XML_SCAN_MAX_ATTS 256
#define XML_SCAN_MAX_ITEM (4u * 1024 * 1024) /* bytes of one tag, comment or CDATA section */

typedef void (*XmlScanStart)(void *ud, const char *name, const char **atts);
typedef void (*XmlScanEnd)(void *ud, const char *name);
typedef void (*XmlScanText)(void *ud, const char *text, int len);

enum {
	XML_SCAN_OK = 0,
	XML_SCAN_STOPPED = 1,   /* a handler called xml_scan_stop */
	XML_SCAN_BAD = -1,      /* not well-formed: xml_scan_error says where and why */
	XML_SCAN_DTD = -2,      /* a document type declaration */
	XML_SCAN_ENCODING = -3, /* not UTF-8: read it another way */
};

typedef struct XmlScan XmlScan;

/* A scanner calling start, end and text (text may be NULL) with ud. */
XmlScan *xml_scan_new(void *ud, XmlScanStart start, XmlScanEnd end, XmlScanText text);
void xml_scan_free(XmlScan *x);

/* Room for the next n bytes of the document (as XML_GetBuffer): write them
 * there, then call xml_scan_parse with how many were written. */
char *xml_scan_buffer(XmlScan *x, size_t n);

/* Scans the n bytes written into the buffer; final = 1 with the last (n
 * may be 0). Returns one of the codes above; once not XML_SCAN_OK, it
 * stays so. */
int xml_scan_parse(XmlScan *x, size_t n, int final);

/* Stops the scan from a handler: no handler runs after this one. */
void xml_scan_stop(XmlScan *x);

/* Why the document was refused (English, for the log; the caller words it
 * for people) and where: line and column (1-based, the column in bytes). */
const char *xml_scan_error(const XmlScan *x, unsigned long *line, unsigned long *col);

#endif
