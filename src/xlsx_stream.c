/*
 * xlsx_stream.c — a table as an .xlsx workbook, written while its rows are
 * read (see xlsx_stream.h). The parts are SpreadsheetML as Excel, WPS,
 * LibreOffice, openpyxl and xlsx_read.c read it: inline strings, a styles
 * part with the four formats xlsx_write.c uses (header, date, text, wrap),
 * and the data validations after the sheet's data, where the number of
 * rows is known.
 *
 * Memory: the sheet's XML is deflated in pieces of about XML_PIECE bytes,
 * and xlsx_stream_read makes pieces only while the caller takes the bytes;
 * what is kept besides is the zip's central directory (six entries),
 * zlib's state (about 300 kB), at most JOBS_MAX pieces waiting to be
 * deflated and the first rows (to fit the widths).
 *
 * Threads: deflating is a quarter of an export's CPU, so a thread of the
 * stream's own does it (the deflater) while the caller's thread reads and
 * writes the next rows: the zip's calls are jobs done in order, the
 * compressed bytes handed back in zout. Only the deflater touches zip.
 */
#include "xlsx_stream.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx_write.h"
#include "zip_write.h"

#define INSTRUCTIONS_SHEET "说明"
#define LISTS_SHEET "_选项"
#define DEFAULT_INPUT_ROWS 1000
#define INLINE_LIST_MAX 255 /* bytes of "a,b,c" kept in the validation itself */
#define XML_PIECE 65536     /* XML bytes handed to zlib at once */
#define OUT_PIECE 32768     /* compressed bytes made before the caller takes them */
#define JOBS_MAX 3          /* the deflater's jobs waiting at most (pieces of XML) */

/* cellXfs of styles.xml */
enum { XF_NONE = 0, XF_HEADER = 1, XF_DATE = 2, XF_TEXT = 3, XF_WRAP = 4 };

enum { PH_START, PH_ROWS, PH_TAIL, PH_DONE, PH_FAILED };

/* One of the zip's calls, for the deflater. */
enum { J_BEGIN, J_WRITE, J_END, J_FINISH };
typedef struct Job {
	int op;
	char *name;   /* J_BEGIN */
	Buf data;     /* J_WRITE */
	struct Job *next;
} Job;

struct XlsxStream {
	XlsxStreamSpec spec;
	char err[256];
	int phase;
	ZipStream zip; /* the deflater's only */
	Buf out;      /* compressed bytes not yet taken */
	size_t taken; /* of out */
	Buf xml;      /* XML not yet deflated */
	/* the deflater and what it shares, under mu */
	pthread_t deflater;
	pthread_mutex_t mu;
	pthread_cond_t cv;   /* a job added or done, room in the queue, stop */
	Job *head, *tail;
	int njobs;           /* waiting */
	int stop, finished, zip_failed;
	Buf zout;            /* deflated, not yet moved to out */
	Buf spare;           /* a done piece's buffer, to write the next one in */
	XlsxCell *cells;
	char (*letters)[4];
	int rows;     /* data rows written */
	int nlists;   /* columns that need the hidden sheet */
	int max_rows;
	Arena arena;  /* the first rows (kept to fit the widths) and other small things */
};

/* ---- text ---- */

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* s as XML text (attr: inside a "quoted" attribute), with OOXML's escapes: a
 * literal "_xHHHH_" as "_x005F_xHHHH_", control characters as "_xHHHH_"
 * (XML 1.0 has no place for them), invalid UTF-8 as U+FFFD. */
static void put_text(Buf *b, const char *s, int attr)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
#define FLUSH() (p > run ? buf_append(b, run, (size_t)(p - run)) : (void)0)
	for (;;) {
		unsigned char c = *p;
		if (c >= 0x20 && c < 0x80 && c != '&' && c != '<' && c != '>' && c != '"' && c != '_') {
			p++;
			continue;
		}
		if (!c)
			break;
		FLUSH();
		if (c == '&')
			buf_append(b, "&amp;", 5), p++;
		else if (c == '<')
			buf_append(b, "&lt;", 4), p++;
		else if (c == '>')
			buf_append(b, "&gt;", 4), p++;
		else if (c == '"')
			buf_append(b, attr ? "&quot;" : "\"", attr ? 6 : 1), p++;
		else if (c == '_') {
			if (p[1] == 'x' && is_hex(p[2]) && is_hex(p[3]) && is_hex(p[4]) && is_hex(p[5]) && p[6] == '_')
				buf_append(b, "_x005F_", 7);
			else
				buf_putc(b, '_');
			p++;
		} else if (c < 0x20) {
			if (c == '\n' || c == '\t' || c == '\r') {
				if (attr) {
					char e[8];
					snprintf(e, sizeof e, "&#%d;", c);
					buf_puts(b, e);
				} else {
					buf_putc(b, (char)c);
				}
			} else {
				char e[8];
				snprintf(e, sizeof e, "_x%04X_", c);
				buf_append(b, e, 7);
			}
			p++;
		} else {
			/* one UTF-8 sequence, checked */
			int n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
			int ok = n > 0 && !(n == 2 && c < 0xC2);
			for (int k = 1; ok && k < n; k++)
				ok = (p[k] & 0xC0) == 0x80;
			if (ok && n == 3) {
				unsigned u = (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
				ok = u >= 0x800 && (u < 0xD800 || u > 0xDFFF) && u != 0xFFFE && u != 0xFFFF;
			} else if (ok && n == 4) {
				unsigned u = (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3F) << 12 |
				             (unsigned)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
				ok = u >= 0x10000 && u <= 0x10FFFF;
			}
			if (ok) {
				buf_append(b, p, (size_t)n);
				p += n;
			} else {
				buf_append(b, "\xEF\xBF\xBD", 3);
				p++;
			}
		}
		run = p;
	}
	FLUSH();
#undef FLUSH
}

/* The first max characters of s, in a. */
static const char *utf8_prefix(Arena *a, const char *s, size_t max)
{
	size_t n = utf8_prefix_len(s, max);
	char *out = arena_alloc(a, n + 1);
	memcpy(out, s, n);
	out[n] = 0;
	return out;
}

static double text_width(const char *s)
{
	double w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80)
			w += 1;
		else if ((*p & 0xC0) == 0xC0)
			w += 2;
	}
	return w;
}

/* Appends the decimal digits of n (n >= 0). */
static void put_uint(Buf *b, unsigned long long n)
{
	char d[24];
	int i = sizeof d;
	do {
		d[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	buf_append(b, d + i, sizeof d - (size_t)i);
}

void xlsx_put_number(Buf *b, double v)
{
	if (v == floor(v) && fabs(v) < 1e15) {
		if (v < 0) {
			buf_putc(b, '-');
			v = -v;
		}
		put_uint(b, (unsigned long long)v);
		return;
	}
	char s[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(s, sizeof s, "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	buf_puts(b, s);
}

long xlsx_date_serial(const char *iso)
{
	if (!iso || !date_valid(iso))
		return 0;
	int y = digits_value(iso, 4), m = digits_value(iso + 5, 2), d = digits_value(iso + 8, 2);
	if (y < 1900)
		return 0;
	/* days from civil (Howard Hinnant's algorithm) */
	int yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	unsigned yoe = (unsigned)(yy - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long days = era * 146097 + (long)doe - 719468; /* since 1970-01-01 */
	long serial = days + 25569;                     /* 1970-01-01 is 25569 */
	if (serial < 61)
		serial--; /* before Excel's phantom 1900-02-29 */
	return serial;
}

/* ---- the static parts ---- */

static const char xml_head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PKG_REL "http://schemas.openxmlformats.org/package/2006/relationships"

static const char styles_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<styleSheet xmlns=\"" NS_MAIN "\">"
	"<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy\\-mm\\-dd\"/></numFmts>"
	"<fonts count=\"2\"><font><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/><family val=\"2\"/>"
	"<scheme val=\"minor\"/></font><font><b/><sz val=\"11\"/><color theme=\"1\"/><name val=\"Calibri\"/>"
	"<family val=\"2\"/><scheme val=\"minor\"/></font></fonts>"
	"<fills count=\"3\"><fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>"
	"<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFDDEBF7\"/><bgColor indexed=\"64\"/></patternFill></fill></fills>"
	"<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>"
	"<border><left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right>"
	"<top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom><diagonal/></border></borders>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>"
	"<cellXfs count=\"5\">"
	"<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
	"<xf numFmtId=\"0\" fontId=\"1\" fillId=\"2\" borderId=\"1\" xfId=\"0\" applyFont=\"1\" applyFill=\"1\" applyBorder=\"1\" "
	"applyAlignment=\"1\"><alignment vertical=\"center\" wrapText=\"1\"/></xf>"
	"<xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
	"<xf numFmtId=\"49\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>"
	"<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\">"
	"<alignment vertical=\"top\" wrapText=\"1\"/></xf>"
	"</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>"
	"<dxfs count=\"0\"/><tableStyles count=\"0\"/></styleSheet>\n";

static const char root_rels_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"" NS_PKG_REL "\"><Relationship Id=\"rId1\" "
	"Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
	"Target=\"xl/workbook.xml\"/></Relationships>\n";

/* ---- writing ---- */

static void fail(XlsxStream *x, const char *msg)
{
	if (x->phase == PH_FAILED)
		return;
	snprintf(x->err, sizeof x->err, "%s", msg);
	x->phase = PH_FAILED;
}

/* The deflater: the jobs in order, until stopped. */
static void *deflater_main(void *arg)
{
	XlsxStream *x = arg;
	Buf made = {0};
	x->zip.out = &made;
	pthread_mutex_lock(&x->mu);
	for (;;) {
		while (!x->head && !x->stop)
			pthread_cond_wait(&x->cv, &x->mu);
		if (x->stop)
			break;
		Job *j = x->head;
		if (!(x->head = j->next))
			x->tail = NULL;
		x->njobs--;
		pthread_cond_broadcast(&x->cv); /* room in the queue */
		pthread_mutex_unlock(&x->mu);
		switch (j->op) {
		case J_BEGIN:
			zips_begin(&x->zip, j->name);
			break;
		case J_WRITE:
			zips_write(&x->zip, j->data.data, j->data.len);
			break;
		case J_END:
			zips_end(&x->zip);
			break;
		default:
			zips_finish(&x->zip);
			break;
		}
		pthread_mutex_lock(&x->mu);
		buf_append(&x->zout, made.data, made.len);
		buf_reset(&made);
		x->zip_failed = x->zip.failed;
		x->finished = j->op == J_FINISH;
		if (!x->spare.data && j->data.data) {
			buf_reset(&j->data);
			x->spare = j->data;
		} else {
			buf_free(&j->data);
		}
		free(j->name);
		free(j);
		pthread_cond_broadcast(&x->cv); /* a job done */
	}
	pthread_mutex_unlock(&x->mu);
	buf_free(&made);
	return NULL;
}

/* Queues one of the zip's calls (data, when given, is moved into the job),
 * waiting while JOBS_MAX wait. */
static void job_add(XlsxStream *x, int op, const char *name, Buf *data)
{
	Job *j = xcalloc(1, sizeof *j);
	j->op = op;
	j->name = name ? xstrdup(name) : NULL;
	if (data) {
		j->data = *data;
		*data = (Buf){0};
	}
	pthread_mutex_lock(&x->mu);
	while (x->njobs >= JOBS_MAX)
		pthread_cond_wait(&x->cv, &x->mu);
	if (x->tail)
		x->tail->next = j;
	else
		x->head = j;
	x->tail = j;
	x->njobs++;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
}

/* Hands the XML gathered so far to the zip; the next is written in a done
 * piece's buffer. */
static void flush_xml(XlsxStream *x)
{
	if (!x->xml.len)
		return;
	job_add(x, J_WRITE, NULL, &x->xml);
	pthread_mutex_lock(&x->mu);
	x->xml = x->spare;
	x->spare = (Buf){0};
	pthread_mutex_unlock(&x->mu);
}

/* A whole small part. */
static void put_part(XlsxStream *x, const char *name, const char *xml, size_t n)
{
	job_add(x, J_BEGIN, name, NULL);
	Buf b = {0};
	buf_append(&b, xml, n);
	job_add(x, J_WRITE, NULL, &b);
	job_add(x, J_END, NULL, NULL);
}

static int has_sheet_lists(const XlsxColumn *col)
{
	size_t bytes = 0;
	int n = 0;
	for (; col->choices && col->choices[n]; n++) {
		bytes += strlen(col->choices[n]) + (n ? 1 : 0);
		if (strchr(col->choices[n], ',') || strchr(col->choices[n], '"') || !*col->choices[n])
			return 1;
	}
	return n > 0 && bytes > INLINE_LIST_MAX;
}

static void put_package(XlsxStream *x)
{
	int with_instr = x->spec.instructions != NULL;
	Buf b = {0};
	/* [Content_Types].xml */
	buf_puts(&b, xml_head);
	buf_puts(&b, "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	             "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	             "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	             "<Override PartName=\"/xl/workbook.xml\" "
	             "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
	             "<Override PartName=\"/xl/styles.xml\" "
	             "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>");
	int nsheets = 1 + with_instr + (x->nlists > 0);
	for (int i = 1; i <= nsheets; i++)
		buf_printf(&b, "<Override PartName=\"/xl/worksheets/sheet%d.xml\" "
		               "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>",
		           i);
	buf_puts(&b, "</Types>\n");
	put_part(x, "[Content_Types].xml", b.data, b.len);
	put_part(x, "_rels/.rels", root_rels_xml, sizeof root_rels_xml - 1);
	/* the workbook: the table, 说明, the hidden lists */
	buf_reset(&b);
	buf_puts(&b, xml_head);
	buf_puts(&b, "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><workbookPr/>"
	             "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>");
	buf_puts(&b, "<sheet name=\"");
	put_text(&b, x->spec.name, 1);
	buf_puts(&b, "\" sheetId=\"1\" r:id=\"rId1\"/>");
	int id = 2;
	if (with_instr) {
		buf_printf(&b, "<sheet name=\"" INSTRUCTIONS_SHEET "\" sheetId=\"%d\" r:id=\"rId%d\"/>", id, id);
		id++;
	}
	if (x->nlists)
		buf_printf(&b, "<sheet name=\"" LISTS_SHEET "\" sheetId=\"%d\" state=\"hidden\" r:id=\"rId%d\"/>", id, id);
	buf_puts(&b, "</sheets><calcPr calcId=\"124519\" fullCalcOnLoad=\"1\"/></workbook>\n");
	put_part(x, "xl/workbook.xml", b.data, b.len);
	buf_reset(&b);
	buf_puts(&b, xml_head);
	buf_puts(&b, "<Relationships xmlns=\"" NS_PKG_REL "\">");
	for (int i = 1; i <= nsheets; i++)
		buf_printf(&b, "<Relationship Id=\"rId%d\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet%d.xml\"/>", i, i);
	buf_printf(&b, "<Relationship Id=\"rId%d\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/></Relationships>\n",
	           nsheets + 1);
	put_part(x, "xl/_rels/workbook.xml.rels", b.data, b.len);
	put_part(x, "xl/styles.xml", styles_xml, sizeof styles_xml - 1);
	buf_free(&b);
}

/* A cell's start: "<c r="B2"", or "<c" when ref is NULL (the cell right
 * after the row's last one: readers count it on, and a million rows are
 * 10 % smaller). */
static void open_c(Buf *b, const char *ref, int row)
{
	if (!ref) {
		buf_append(b, "<c", 2);
		return;
	}
	buf_append(b, "<c r=\"", 6);
	buf_puts(b, ref);
	put_uint(b, (unsigned long long)row);
	buf_putc(b, '"');
}

/* One string cell. */
static void put_str_cell(Buf *b, const char *ref, int row, const char *s, int xf)
{
	open_c(b, ref, row);
	if (xf) {
		buf_append(b, " s=\"", 4);
		buf_putc(b, (char)('0' + xf));
		buf_putc(b, '"');
	}
	size_t n = strlen(s);
	int keep = n && (s[0] == ' ' || s[n - 1] == ' ' || strchr(s, '\n') || s[0] == '\t' || s[n - 1] == '\t');
	if (keep)
		buf_append(b, " t=\"inlineStr\"><is><t xml:space=\"preserve\">", 43);
	else
		buf_append(b, " t=\"inlineStr\"><is><t>", 22);
	put_text(b, s, 0);
	buf_append(b, "</t></is></c>", 13);
}

/* One data row (1-based sheet row). The first cell of a row and a cell
 * after an empty one say where they are. */
static void put_row(XlsxStream *x, int row, const XlsxCell *cells)
{
	Buf *b = &x->xml;
	buf_append(b, "<row r=\"", 8);
	put_uint(b, (unsigned long long)row);
	buf_append(b, "\">", 2);
	int last = -1; /* the column of the last cell written */
	for (int c = 0; c < x->spec.ncols; c++) {
		const XlsxCell *cell = &cells[c];
		const char *ref = c == 0 || last != c - 1 ? x->letters[c] : NULL;
		int text_col = x->spec.cols[c].type == XLSX_STRING;
		switch (cell->type) {
		case XLSX_STRING:
		case XLSX_ERROR:
			if (!cell->text || !*cell->text)
				continue;
			put_str_cell(b, ref, row, cell->text, text_col ? XF_TEXT : XF_NONE);
			break;
		case XLSX_NUMBER:
			if (!isfinite(cell->number))
				continue;
			open_c(b, ref, row);
			buf_append(b, "><v>", 4);
			xlsx_put_number(b, cell->number);
			buf_append(b, "</v></c>", 8);
			break;
		case XLSX_BOOL:
			open_c(b, ref, row);
			buf_append(b, cell->number != 0 ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>", 19);
			break;
		case XLSX_DATE: {
			if (!cell->text || !*cell->text)
				continue;
			long serial = xlsx_date_serial(cell->text);
			if (serial <= 0) {
				put_str_cell(b, ref, row, cell->text, XF_NONE);
				break;
			}
			open_c(b, ref, row);
			buf_append(b, " s=\"2\"><v>", 10);
			put_uint(b, (unsigned long long)serial);
			buf_append(b, "</v></c>", 8);
			break;
		}
		default:
			continue;
		}
		last = c;
	}
	buf_append(b, "</row>", 6);
}

/* The sheet up to its data: the view (header frozen), the widths fitted to
 * the header and the first rows, the header row. */
static void put_sheet_head(XlsxStream *x, const XlsxCell *first, int nfirst)
{
	Buf *b = &x->xml;
	buf_puts(b, xml_head);
	buf_puts(b, "<worksheet xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
	            "<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\">"
	            "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
	            "<selection pane=\"bottomLeft\"/></sheetView></sheetViews>"
	            "<sheetFormatPr defaultRowHeight=\"15\"/>");
	if (x->spec.ncols > 0)
		buf_puts(b, "<cols>");
	for (int c = 0; c < x->spec.ncols; c++) {
		const XlsxColumn *col = &x->spec.cols[c];
		double w = col->width;
		if (w <= 0) {
			w = col->header ? text_width(col->header) + 2 : 0;
			if (col->type == XLSX_DATE && w < 12)
				w = 12;
			for (int r = 0; r < nfirst && w < 50; r++) {
				const XlsxCell *cell = &first[(size_t)r * (size_t)x->spec.ncols + (size_t)c];
				double cw = cell->type == XLSX_DATE ? 11 : cell->type == XLSX_NUMBER ? 12
				          : cell->text ? text_width(cell->text) : 0;
				if (cw + 1 > w)
					w = cw + 1;
			}
			w = w < 8 ? 8 : w > 50 ? 50 : w;
		}
		int xf = col->type == XLSX_DATE ? XF_DATE : col->type == XLSX_STRING ? XF_TEXT : XF_NONE;
		buf_printf(b, "<col min=\"%d\" max=\"%d\" width=\"%.2f\" customWidth=\"1\"", c + 1, c + 1, w + 0.71);
		if (xf)
			buf_printf(b, " style=\"%d\"", xf);
		buf_puts(b, "/>");
	}
	if (x->spec.ncols > 0)
		buf_puts(b, "</cols>");
	buf_puts(b, "<sheetData><row r=\"1\">");
	for (int c = 0; c < x->spec.ncols; c++) {
		const char *h = x->spec.cols[c].header;
		put_str_cell(b, x->letters[c], 1, h ? h : "", XF_HEADER);
	}
	buf_puts(b, "</row>");
}

/* The drop-downs and notes, after the data (rows 2..last+1). */
static void put_validations(XlsxStream *x, int last)
{
	Buf *b = &x->xml;
	int count = 0;
	for (int c = 0; c < x->spec.ncols; c++)
		count += (x->spec.cols[c].choices && x->spec.cols[c].choices[0]) ||
		         (x->spec.cols[c].note && *x->spec.cols[c].note);
	if (!count)
		return;
	Arena a = {0};
	buf_printf(b, "<dataValidations count=\"%d\">", count);
	int lc = 0;
	for (int c = 0; c < x->spec.ncols; c++) {
		const XlsxColumn *col = &x->spec.cols[c];
		int list = col->choices && col->choices[0];
		if (!list && !(col->note && *col->note))
			continue;
		buf_puts(b, list ? "<dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\""
		                 : "<dataValidation allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\"");
		if (list) {
			Buf msg = {0};
			buf_puts(&msg, "请从下拉列表中选择：");
			for (int i = 0; col->choices[i] && utf8_chars(buf_str(&msg)) < 200; i++)
				buf_printf(&msg, "%s%s", i ? "、" : "", col->choices[i]);
			buf_puts(b, " errorTitle=\"输入有误\" error=\"");
			put_text(b, utf8_prefix(&a, buf_str(&msg), 250), 1);
			buf_putc(b, '"');
			buf_free(&msg);
		}
		if (col->note && *col->note) {
			buf_puts(b, " promptTitle=\"");
			put_text(b, utf8_prefix(&a, col->header ? col->header : "", 30), 1);
			buf_puts(b, "\" prompt=\"");
			put_text(b, utf8_prefix(&a, col->note, 250), 1);
			buf_putc(b, '"');
		}
		buf_printf(b, " sqref=\"%s2:%s%d\">", x->letters[c], x->letters[c], last + 1);
		if (list) {
			buf_puts(b, "<formula1>");
			if (has_sheet_lists(col)) {
				char letters[4];
				xlsx_col_name(lc++, letters);
				int k = 0;
				for (int i = 0; col->choices[i]; i++)
					k += *col->choices[i] != 0;
				buf_printf(b, "'" LISTS_SHEET "'!$%s$1:$%s$%d", letters, letters, k ? k : 1);
			} else {
				Buf v = {0};
				buf_putc(&v, '"');
				for (int i = 0; col->choices[i]; i++)
					buf_printf(&v, "%s%s", i ? "," : "", col->choices[i]);
				buf_putc(&v, '"');
				put_text(b, v.data, 0);
				buf_free(&v);
			}
			buf_puts(b, "</formula1>");
		}
		buf_puts(b, "</dataValidation>");
	}
	buf_puts(b, "</dataValidations>");
	arena_free(&a);
}

static const char sheet_tail[] =
	"<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>\n";

/* The sheets after the table: 说明 and the hidden lists. */
static void put_other_sheets(XlsxStream *x)
{
	int n = 2;
	if (x->spec.instructions) {
		const char *const *lines = x->spec.instructions(x->spec.cls, x->rows);
		char name[32];
		snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", n++);
		job_add(x, J_BEGIN, name, NULL);
		Buf *b = &x->xml;
		buf_puts(b, xml_head);
		buf_puts(b, "<worksheet xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheetViews><sheetView workbookViewId=\"0\"/>"
		            "</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
		            "<cols><col min=\"1\" max=\"1\" width=\"100.71\" style=\"4\" customWidth=\"1\"/></cols><sheetData>");
		for (int i = 0; lines && lines[i]; i++) {
			buf_printf(b, "<row r=\"%d\">", i + 1);
			if (*lines[i])
				put_str_cell(b, "A", i + 1, lines[i], XF_WRAP);
			buf_puts(b, "</row>");
			if (b->len > XML_PIECE)
				flush_xml(x);
		}
		buf_puts(b, "</sheetData>");
		buf_puts(b, sheet_tail);
		flush_xml(x);
		job_add(x, J_END, NULL, NULL);
	}
	if (x->nlists) {
		char name[32];
		snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", n++);
		job_add(x, J_BEGIN, name, NULL);
		Buf *b = &x->xml;
		buf_puts(b, xml_head);
		buf_puts(b, "<worksheet xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheetData>");
		/* column lc holds the lc-th long list, one value a row */
		int maxlen = 0;
		for (int c = 0; c < x->spec.ncols; c++)
			if (x->spec.cols[c].choices && has_sheet_lists(&x->spec.cols[c])) {
				int k = 0;
				for (int i = 0; x->spec.cols[c].choices[i]; i++)
					k += *x->spec.cols[c].choices[i] != 0;
				if (k > maxlen)
					maxlen = k;
			}
		for (int r = 0; r < maxlen; r++) {
			buf_printf(b, "<row r=\"%d\">", r + 1);
			int lc = 0;
			for (int c = 0; c < x->spec.ncols; c++) {
				const XlsxColumn *col = &x->spec.cols[c];
				if (!col->choices || !has_sheet_lists(col))
					continue;
				int k = 0;
				const char *v = NULL;
				for (int i = 0; col->choices[i] && !v; i++)
					if (*col->choices[i] && k++ == r)
						v = col->choices[i];
				char letters[4];
				xlsx_col_name(lc++, letters);
				if (v)
					put_str_cell(b, letters, r + 1, v, XF_TEXT);
			}
			buf_puts(b, "</row>");
			if (b->len > XML_PIECE)
				flush_xml(x);
		}
		buf_puts(b, "</sheetData>");
		buf_puts(b, sheet_tail);
		flush_xml(x);
		job_add(x, J_END, NULL, NULL);
	}
}

/* Makes the next piece of the file into x->out. */
static void produce(XlsxStream *x)
{
	switch (x->phase) {
	case PH_START: {
		put_package(x);
		job_add(x, J_BEGIN, "xl/worksheets/sheet1.xml", NULL);
		/* the first rows, kept to fit the widths */
		size_t nc = (size_t)x->spec.ncols;
		XlsxCell *first = arena_alloc(&x->arena, sizeof *first * (nc * XLSX_STREAM_FIT_ROWS + 1));
		int nfirst = 0, rc = 1;
		while (nfirst < XLSX_STREAM_FIT_ROWS && nfirst < x->max_rows && (rc = x->spec.next_row(x->spec.cls, x->cells)) == 1) {
			for (size_t c = 0; c < nc; c++) {
				XlsxCell cell = x->cells[c];
				if (cell.text)
					cell.text = arena_strdup(&x->arena, cell.text);
				first[(size_t)nfirst * nc + c] = cell;
			}
			nfirst++;
		}
		if (rc < 0) {
			fail(x, "读取记录失败");
			return;
		}
		put_sheet_head(x, first, nfirst);
		for (int r = 0; r < nfirst; r++)
			put_row(x, r + 2, &first[(size_t)r * nc]);
		x->rows = nfirst;
		arena_free(&x->arena);
		x->phase = rc == 0 || nfirst >= x->max_rows ? PH_TAIL : PH_ROWS;
		flush_xml(x);
		break;
	}
	case PH_ROWS:
		while (x->xml.len < XML_PIECE) {
			if (x->rows >= x->max_rows) {
				x->phase = PH_TAIL;
				break;
			}
			int rc = x->spec.next_row(x->spec.cls, x->cells);
			if (rc < 0) {
				fail(x, "读取记录失败");
				return;
			}
			if (rc == 0) {
				x->phase = PH_TAIL;
				break;
			}
			put_row(x, x->rows + 2, x->cells);
			x->rows++;
		}
		flush_xml(x);
		break;
	case PH_TAIL: {
		buf_puts(&x->xml, "</sheetData>");
		int last = x->rows > DEFAULT_INPUT_ROWS ? x->rows : DEFAULT_INPUT_ROWS;
		if (last > XLSX_MAX_ROWS - 1)
			last = XLSX_MAX_ROWS - 1;
		put_validations(x, last);
		buf_puts(&x->xml, sheet_tail);
		flush_xml(x);
		job_add(x, J_END, NULL, NULL);
		put_other_sheets(x);
		job_add(x, J_FINISH, NULL, NULL);
		x->phase = PH_DONE;
		break;
	}
	default:
		break;
	}
}

XlsxStream *xlsx_stream_new(const XlsxStreamSpec *spec, char *err, size_t errsz)
{
	const char *why = NULL;
	if (!spec || !spec->name || !*spec->name || !spec->next_row || spec->ncols < 0 || spec->ncols > XLSX_MAX_COLS ||
	    (spec->ncols && !spec->cols))
		why = "没有要写入的表格";
	else if (utf8_chars(spec->name) > 31 || strpbrk(spec->name, "[]:*?/\\") || spec->name[0] == '\'' ||
	         spec->name[strlen(spec->name) - 1] == '\'' || strcmp(spec->name, INSTRUCTIONS_SHEET) == 0 ||
	         strcmp(spec->name, LISTS_SHEET) == 0)
		why = "工作表名称不被 Excel 接受";
	if (why) {
		if (err && errsz)
			snprintf(err, errsz, "%s", why);
		return NULL;
	}
	XlsxStream *x = xcalloc(1, sizeof *x);
	x->spec = *spec;
	x->max_rows = spec->max_rows > 0 && spec->max_rows < XLSX_MAX_ROWS - 1 ? spec->max_rows : XLSX_MAX_ROWS - 1;
	x->zip.level = spec->level > 0 ? spec->level : 1;
	pthread_mutex_init(&x->mu, NULL);
	pthread_cond_init(&x->cv, NULL);
	if (pthread_create(&x->deflater, NULL, deflater_main, x) != 0) {
		pthread_cond_destroy(&x->cv);
		pthread_mutex_destroy(&x->mu);
		free(x);
		if (err && errsz)
			snprintf(err, errsz, "无法启动压缩线程");
		return NULL;
	}
	x->cells = xcalloc((size_t)spec->ncols + 1, sizeof *x->cells);
	x->letters = xcalloc((size_t)spec->ncols + 1, sizeof *x->letters);
	for (int c = 0; c < spec->ncols; c++) {
		xlsx_col_name(c, x->letters[c]);
		x->nlists += spec->cols[c].choices && has_sheet_lists(&spec->cols[c]);
	}
	return x;
}

/* The next deflated bytes into out, x->out, emptied (buf_pull's more):
 * pieces are made (and queued for the deflater) until it has deflated
 * OUT_PIECE bytes or the file is complete. */
static int more(void *cls, Buf *out)
{
	XlsxStream *x = cls;
	for (;;) {
		if (x->phase == PH_FAILED)
			return -1;
		pthread_mutex_lock(&x->mu);
		int failed = x->zip_failed, finished = x->finished;
		size_t have = x->zout.len;
		if (!failed && (have >= OUT_PIECE || (have && x->phase == PH_DONE))) {
			Buf t = x->zout; /* out is empty: the buffers change places */
			x->zout = *out;
			*out = t;
		}
		pthread_mutex_unlock(&x->mu);
		if (failed) {
			fail(x, "压缩失败（文件超过 4 GB 或内存不足）");
			return -1;
		}
		if (out->len)
			return 1;
		if (finished)
			return 0;
		if (x->phase != PH_DONE) {
			produce(x); /* waits while the deflater has JOBS_MAX pieces */
			continue;
		}
		pthread_mutex_lock(&x->mu); /* all is queued: wait for the deflater */
		while (!x->zout.len && !x->finished && !x->zip_failed)
			pthread_cond_wait(&x->cv, &x->mu);
		pthread_mutex_unlock(&x->mu);
	}
}

long xlsx_stream_read(XlsxStream *x, void *buf, size_t max)
{
	return buf_pull(&x->out, &x->taken, more, x, buf, max);
}

const char *xlsx_stream_error(const XlsxStream *x)
{
	return x->err;
}

int xlsx_stream_rows(const XlsxStream *x)
{
	return x->rows;
}

void xlsx_stream_free(XlsxStream *x)
{
	if (!x)
		return;
	pthread_mutex_lock(&x->mu);
	x->stop = 1;
	pthread_cond_broadcast(&x->cv);
	pthread_mutex_unlock(&x->mu);
	pthread_join(x->deflater, NULL);
	pthread_cond_destroy(&x->cv);
	pthread_mutex_destroy(&x->mu);
	for (Job *j = x->head, *next; j; j = next) {
		next = j->next;
		buf_free(&j->data);
		free(j->name);
		free(j);
	}
	buf_free(&x->zout);
	buf_free(&x->spare);
	zips_free(&x->zip);
	buf_free(&x->out);
	buf_free(&x->xml);
	free(x->cells);
	free(x->letters);
	arena_free(&x->arena);
	free(x);
}
