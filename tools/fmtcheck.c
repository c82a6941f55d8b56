/*
 * fmtcheck.c — a build-time check of every printf-like call in the C
 * sources, in the manner of Fossil's codecheck1. It reads the files (a
 * directory: every .c and .h in it), prints one line "file:line: what" per
 * finding and exits 1 when there is one. It refuses:
 *
 *   1. in html_printf, and in every wrapper of html_vprintf (a function
 *      taking "const char *fmt, ..." that hands its format to html_vprintf,
 *      found by reading the sources), a format that is not a string literal,
 *      and a %s whose argument is not a string literal, a ?: between such,
 *      or SAFE_HTML(...) (html.h: markup the program made itself);
 *      html_vprintf called from anywhere but such a wrapper;
 *   2. a count of arguments that differs from what the format's conversions
 *      take, in those and in every other printf-like call with a literal
 *      format (printf, fprintf, snprintf, buf_printf, arena_printf, fatal,
 *      and every function declared with __attribute__((format(printf,..))));
 *      html_printf's own conversions are counted as html.c reads them
 *      (%h %u %j take a string, %lu %zu %llu a number, * a width);
 *   3. JSON built with a format ({" or ": in it): JSON is made with jansson;
 *   4. in the page files (page_*.c, api_*.c, chart.c), text put into a
 *      response (->out) with buf_puts, buf_printf, buf_append or buf_putc
 *      instead of html_printf, unless it is a literal or SAFE_HTML(...);
 *   5. atoi, atol, atoll and atof anywhere: they take "12abc" as 12 and ""
 *      as 0 and overflow silently; numbers are read with util.h's
 *      parse_int/parse_real and, from a request, http.h's typed readers.
 *
 * It reads C loosely (comments dropped, strings and parentheses matched),
 * which is enough for the way this project writes calls. Usage:
 *   fmtcheck PATH...
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
	char name[64];
	int fmt;        /* index of the format argument */
	int html;       /* html_printf's conversions and %s rule */
	const char *file; /* declared static in this file only; NULL: everywhere */
} Printer;

static Printer printers[256];
static int nprinters;

typedef struct {
	char *path;
	char *text;   /* the file with comments blanked (newlines kept) */
	size_t len;
} Src;

/* Names #defined as one string literal ("#define XLSX_MIME \"...\""): a %s
 * may take them as it takes the literal. */
typedef struct {
	char name[64];
	const char *file; /* NULL: from a header, everywhere */
} LiteralMacro;

static LiteralMacro literal_macros[256];
static int nliteral_macros;

static Src *srcs;
static int nsrcs;
static int findings;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "fmtcheck: out of memory\n");
		exit(2);
	}
	return p;
}

static void add_printer(const char *name, size_t len, int fmt, int html, const char *file)
{
	if (len >= sizeof printers[0].name || nprinters == (int)(sizeof printers / sizeof printers[0]))
		return;
	for (int i = 0; i < nprinters; i++)
		if (strlen(printers[i].name) == len && !strncmp(printers[i].name, name, len) &&
		    printers[i].file == file)
			return;
	Printer *p = &printers[nprinters++];
	memcpy(p->name, name, len);
	p->name[len] = 0;
	p->fmt = fmt;
	p->html = html;
	p->file = file;
}

static const Printer *find_printer(const char *name, size_t len, const char *file)
{
	const Printer *global = NULL;
	for (int i = 0; i < nprinters; i++) {
		if (strlen(printers[i].name) != len || strncmp(printers[i].name, name, len))
			continue;
		if (printers[i].file == file)
			return &printers[i];
		if (!printers[i].file)
			global = &printers[i];
	}
	return global;
}

static int line_of(const Src *s, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off && i < s->len; i++)
		line += s->text[i] == '\n';
	return line;
}

static void report(const Src *s, size_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s:%d: ", s->path, line_of(s, off));
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	findings++;
}

/* ---- reading ---- */

/* Blanks comments (keeping newlines) so that later scans see code, strings
 * and character constants only. */
static void blank_comments(char *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i] == '"' || t[i] == '\'') {
			char q = t[i];
			for (i++; i < n && t[i] != q; i++)
				if (t[i] == '\\')
					i++;
		} else if (t[i] == '/' && i + 1 < n && t[i + 1] == '/') {
			for (; i < n && t[i] != '\n'; i++)
				t[i] = ' ';
		} else if (t[i] == '/' && i + 1 < n && t[i + 1] == '*') {
			size_t j = i;
			for (; j + 1 < n && !(t[j] == '*' && t[j + 1] == '/'); j++)
				if (t[j] != '\n')
					t[j] = ' ';
			if (j + 1 < n)
				t[j] = t[j + 1] = ' ';
			i = j + 1;
		}
	}
}

static void load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fmtcheck: cannot read %s\n", path);
		exit(2);
	}
	char *t = NULL;
	size_t len = 0, cap = 0, n;
	char chunk[65536];
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			t = xrealloc(t, cap);
		}
		memcpy(t + len, chunk, n);
		len += n;
	}
	fclose(f);
	t = xrealloc(t, len + 1);
	t[len] = 0;
	blank_comments(t, len);
	srcs = xrealloc(srcs, sizeof *srcs * (size_t)(nsrcs + 1));
	srcs[nsrcs].path = strdup(path);
	srcs[nsrcs].text = t;
	srcs[nsrcs].len = len;
	nsrcs++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "fmtcheck: no such file or directory: %s\n", path);
		exit(2);
	}
	if (!S_ISDIR(st.st_mode)) {
		load(path);
		return;
	}
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "fmtcheck: cannot list %s\n", path);
		exit(2);
	}
	char **names = NULL;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l > 2 && e->d_name[l - 2] == '.' && (e->d_name[l - 1] == 'c' || e->d_name[l - 1] == 'h')) {
			names = xrealloc(names, sizeof *names * (size_t)(n + 1));
			names[n] = xrealloc(NULL, strlen(path) + l + 2);
			sprintf(names[n], "%s/%s", path, e->d_name);
			n++;
		}
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, by_name);
	for (int i = 0; i < n; i++) {
		load(names[i]);
		free(names[i]);
	}
	free(names);
}

/* ---- C, loosely ---- */

static int is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The offset just past the string or character constant starting at i. */
static size_t skip_quoted(const char *t, size_t n, size_t i)
{
	char q = t[i];
	for (i++; i < n && t[i] != q; i++)
		if (t[i] == '\\')
			i++;
	return i < n ? i + 1 : n;
}

/* The offset of the bracket closing the one at open, or n. */
static size_t match_close(const char *t, size_t n, size_t open)
{
	int depth = 0;
	for (size_t i = open; i < n; i++) {
		char c = t[i];
		if (c == '"' || c == '\'') {
			i = skip_quoted(t, n, i) - 1;
		} else if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (--depth == 0)
				return i;
		}
	}
	return n;
}

typedef struct {
	size_t start, end; /* [start, end) in the text, trimmed */
} Span;

static Span trim(const char *t, size_t a, size_t b)
{
	while (a < b && isspace((unsigned char)t[a]))
		a++;
	while (b > a && isspace((unsigned char)t[b - 1]))
		b--;
	return (Span){a, b};
}

/* Splits the arguments between the parentheses at open and close. */
static int split_args(const char *t, size_t open, size_t close, Span *args, int max)
{
	int n = 0, depth = 0;
	size_t start = open + 1;
	for (size_t i = open + 1; i < close; i++) {
		char c = t[i];
		if (c == '"' || c == '\'') {
			i = skip_quoted(t, close, i) - 1;
		} else if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			depth--;
		} else if (c == ',' && depth == 0) {
			if (n < max)
				args[n] = trim(t, start, i);
			n++;
			start = i + 1;
		}
	}
	Span last = trim(t, start, close);
	if (last.end > last.start || n > 0) {
		if (n < max)
			args[n] = last;
		n++;
	}
	return n;
}

/* Whether the span is one or more string literals and nothing else; when
 * out is given, appends their decoded text (enough for '%' and quotes). */
static int literal_text(const char *t, Span s, char **out, size_t *outlen)
{
	size_t i = s.start;
	int any = 0;
	while (i < s.end) {
		if (isspace((unsigned char)t[i])) {
			i++;
			continue;
		}
		if (t[i] != '"')
			return 0;
		any = 1;
		size_t end = skip_quoted(t, s.end, i);
		for (size_t k = i + 1; k + 1 < end; k++) {
			char c = t[k];
			if (c == '\\' && k + 2 < end) {
				char e = t[++k];
				c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : isdigit((unsigned char)e) ? '?' :
				    e == 'x' ? '?' : e;
				if (e == 'x')
					while (k + 2 < end && isxdigit((unsigned char)t[k + 1]))
						k++;
				else if (isdigit((unsigned char)e))
					while (k + 2 < end && isdigit((unsigned char)t[k + 1]))
						k++;
			}
			if (out) {
				*out = xrealloc(*out, *outlen + 2);
				(*out)[(*outlen)++] = c;
				(*out)[*outlen] = 0;
			}
		}
		i = end;
	}
	return any;
}

/* Strips parentheses around the whole span. */
static Span unparen(const char *t, Span s)
{
	while (s.end - s.start >= 2 && t[s.start] == '(' && match_close(t, s.end, s.start) == s.end - 1)
		s = trim(t, s.start + 1, s.end - 1);
	return s;
}

static const char *checking_file; /* the file safe_arg reads */

static int is_literal_macro(const char *t, Span s)
{
	for (int i = 0; i < nliteral_macros; i++) {
		const LiteralMacro *m = &literal_macros[i];
		if ((!m->file || !strcmp(m->file, checking_file)) && s.end - s.start == strlen(m->name) &&
		    !strncmp(t + s.start, m->name, s.end - s.start))
			return 1;
	}
	return 0;
}

/* A %s argument html_printf may take: a string literal (or a name #defined
 * as one), SAFE_HTML(...), or a ?: whose two results are such. */
static int safe_arg(const char *t, Span s)
{
	s = unparen(t, s);
	if (s.end <= s.start)
		return 0;
	if (literal_text(t, s, NULL, NULL) || is_literal_macro(t, s))
		return 1;
	static const char mark[] = "SAFE_HTML";
	size_t ml = sizeof mark - 1;
	if (s.end - s.start > ml && !strncmp(t + s.start, mark, ml)) {
		size_t p = s.start + ml;
		while (p < s.end && isspace((unsigned char)t[p]))
			p++;
		if (p < s.end && t[p] == '(' && match_close(t, s.end, p) == s.end - 1)
			return 1;
	}
	/* cond ? a : b, with the ':' that matches the first top-level '?' */
	int depth = 0, q = 0;
	size_t qpos = 0, cpos = 0;
	for (size_t i = s.start; i < s.end; i++) {
		char c = t[i];
		if (c == '"' || c == '\'') {
			i = skip_quoted(t, s.end, i) - 1;
		} else if (c == '(' || c == '[' || c == '{') {
			depth++;
		} else if (c == ')' || c == ']' || c == '}') {
			depth--;
		} else if (depth == 0 && c == '?') {
			if (q++ == 0)
				qpos = i;
		} else if (depth == 0 && c == ':' && q > 0) {
			if (--q == 0) {
				cpos = i;
				break;
			}
		}
	}
	if (!qpos || !cpos)
		return 0;
	return safe_arg(t, trim(t, qpos + 1, cpos)) && safe_arg(t, trim(t, cpos + 1, s.end));
}

/* ---- formats ---- */

enum { ARG_NUM, ARG_STR_RAW, ARG_STR_ESC };

/* Reads the conversions of fmt into kinds (one per argument taken);
 * returns the count, or -1 after reporting an unknown conversion. */
static int conversions(const Src *src, size_t off, const char *fmt, int html, int *kinds, int max)
{
	int n = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while (*p && strchr("-+ #0'", *p))
			p++;
		int width = 0, prec = 0;
		if (*p == '*') {
			if (n < max)
				kinds[n] = ARG_NUM;
			n++;
			p++;
			width = 1;
		}
		while (isdigit((unsigned char)*p)) {
			p++;
			width = 1;
		}
		if (*p == '.') {
			p++;
			prec = 1;
			if (*p == '*') {
				if (n < max)
					kinds[n] = ARG_NUM;
				n++;
				p++;
			}
			while (isdigit((unsigned char)*p))
				p++;
		}
		int lng = 0;
		/* html_printf knows the lengths l, ll and z only: %h and %j are its escapes */
		while (*p && strchr(html ? "lz" : "hlLqjzt", *p)) {
			lng++;
			p++;
		}
		char c = *p;
		if (!c) {
			report(src, off, "format ends inside a conversion");
			return -1;
		}
		int kind;
		if (html) {
			if (c == 's')
				kind = ARG_STR_RAW;
			else if ((c == 'h' || c == 'j' || c == 'u') && !lng)
				kind = ARG_STR_ESC;
			else if (strchr("diuxXoc", c))
				kind = ARG_NUM;
			else if (strchr("fgeFGE", c))
				kind = ARG_NUM;
			else {
				report(src, off, "html_printf has no conversion %%%c (html.h lists them)", c);
				return -1;
			}
			if ((kind != ARG_NUM) && (width || prec)) {
				report(src, off, "html_printf ignores width and precision of %%%c: cut the string first", c);
				return -1;
			}
		} else {
			if (c == 'm')
				continue;
			if (c == 's')
				kind = ARG_STR_RAW;
			else if (strchr("diouxXcfFeEgGaApn", c))
				kind = ARG_NUM;
			else {
				report(src, off, "unknown conversion %%%c", c);
				return -1;
			}
		}
		if (n < max)
			kinds[n] = kind;
		n++;
	}
	return n;
}

/* JSON made by a format: an object's opening brace before a quoted key, or
 * a quoted key followed by its colon. */
static int looks_like_json(const char *fmt)
{
	return strstr(fmt, "{\"") || strstr(fmt, "\":") || strstr(fmt, "\" :");
}

/* ---- the checks ---- */

/* The identifier before offset i (skipping spaces), as [*a, i'). */
static int prev_token(const char *t, size_t i, size_t *a, size_t *b)
{
	while (i > 0 && isspace((unsigned char)t[i - 1]))
		i--;
	*b = i;
	if (i == 0)
		return 0;
	if (!is_ident(t[i - 1])) {
		*a = i - 1;
		return t[i - 1];
	}
	while (i > 0 && is_ident(t[i - 1]))
		i--;
	*a = i;
	return 'a';
}

/* Whether the name at [a, b) followed by the parentheses is a declaration
 * or definition rather than a call: a type or a '*' stands before it. */
static int is_declaration(const char *t, size_t a)
{
	size_t pa, pb;
	int k = prev_token(t, a, &pa, &pb);
	if (k == '*')
		return 1;
	if (k != 'a')
		return 0;
	static const char *const not_types[] = {"return", "else", "case", "do", "sizeof", NULL};
	for (int i = 0; not_types[i]; i++)
		if (pb - pa == strlen(not_types[i]) && !strncmp(t + pa, not_types[i], pb - pa))
			return 0;
	return 1;
}

static int span_is(const char *t, Span s, const char *word)
{
	return s.end - s.start == strlen(word) && !strncmp(t + s.start, word, s.end - s.start);
}

static int contains(const char *t, size_t a, size_t b, const char *word)
{
	size_t l = strlen(word);
	for (size_t i = a; i + l <= b; i++)
		if (!strncmp(t + i, word, l) && (i == 0 || !is_ident(t[i - 1])) && !is_ident(t[i + l]))
			return 1;
	return 0;
}

static int is_page_file(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return !strncmp(base, "page_", 5) || !strncmp(base, "api_", 4) || !strcmp(base, "chart.c");
}

/* First pass: functions declared with a printf format attribute, and the
 * wrappers of html_vprintf. */
static void find_printers(const Src *s)
{
	const char *t = s->text;
	int header = strlen(s->path) > 2 && !strcmp(s->path + strlen(s->path) - 2, ".h");
	/* #define NAME "literal" */
	for (size_t i = 0; i + 7 < s->len; i++) {
		if (strncmp(t + i, "#define", 7) || (i > 0 && t[i - 1] != '\n'))
			continue;
		size_t a = i + 7;
		while (a < s->len && (t[a] == ' ' || t[a] == '\t'))
			a++;
		size_t b = a;
		while (b < s->len && is_ident(t[b]))
			b++;
		size_t v = b, e = b;
		while (e < s->len && t[e] != '\n')
			e++;
		Span val = trim(t, v, e);
		if (b > a && b - a < sizeof literal_macros[0].name && t[b] != '(' &&
		    literal_text(t, val, NULL, NULL) && nliteral_macros < (int)(sizeof literal_macros / sizeof literal_macros[0])) {
			LiteralMacro *m = &literal_macros[nliteral_macros++];
			memcpy(m->name, t + a, b - a);
			m->name[b - a] = 0;
			m->file = header ? NULL : s->path;
		}
	}
	for (size_t i = 0; i < s->len; i++) {
		if (t[i] == '"' || t[i] == '\'') {
			i = skip_quoted(t, s->len, i) - 1;
			continue;
		}
		if (!is_ident(t[i]) || (i > 0 && is_ident(t[i - 1])) || isdigit((unsigned char)t[i]))
			continue;
		size_t a = i;
		while (i < s->len && is_ident(t[i]))
			i++;
		size_t b = i, p = i;
		while (p < s->len && isspace((unsigned char)t[p]))
			p++;
		if (p >= s->len || t[p] != '(' || !is_declaration(t, a)) {
			i = b - 1;
			continue;
		}
		size_t close = match_close(t, s->len, p);
		Span params[32];
		int np = split_args(t, p, close, params, 32);
		int variadic = np >= 2 && np <= 32 && span_is(t, params[np - 1], "...");
		size_t q = close + 1;
		while (q < s->len && isspace((unsigned char)t[q]))
			q++;
		/* __attribute__((format(printf, N, M))) */
		if (!strncmp(t + q, "__attribute__", 13)) {
			size_t ao = q + 13;
			while (ao < s->len && t[ao] != '(')
				ao++;
			size_t ac = match_close(t, s->len, ao);
			for (size_t k = ao; k + 6 < ac; k++) {
				if (strncmp(t + k, "printf", 6) || (k > 0 && is_ident(t[k - 1])) || is_ident(t[k + 6]))
					continue;
				size_t d = k + 6;
				while (d < ac && (t[d] == ',' || isspace((unsigned char)t[d])))
					d++;
				int fmt = atoi(t + d);
				if (fmt > 0)
					add_printer(t + a, b - a, fmt - 1, 0, header ? NULL : s->path);
				break;
			}
			q = ac + 1;
			while (q < s->len && isspace((unsigned char)t[q]))
				q++;
		}
		if (q < s->len && t[q] == '{') {
			size_t end = match_close(t, s->len, q);
			if (variadic && contains(t, q, end, "html_vprintf"))
				add_printer(t + a, b - a, np - 2, 1, NULL);
			i = end;
		} else {
			i = close;
		}
	}
}

/* Checks one call: name at [a, b), parentheses at open..close. */
static void check_call(const Src *s, const Printer *pr, size_t a, size_t open, size_t close)
{
	const char *t = s->text;
	Span args[64];
	int n = split_args(t, open, close, args, 64);
	if (n > 64) {
		report(s, a, "%s: too many arguments to check", pr->name);
		return;
	}
	if (n <= pr->fmt) {
		report(s, a, "%s: no format argument", pr->name);
		return;
	}
	char *fmt = NULL;
	size_t fl = 0;
	if (!literal_text(t, args[pr->fmt], &fmt, &fl)) {
		if (pr->html)
			report(s, args[pr->fmt].start, "%s: the format is not a string literal, so it cannot be checked", pr->name);
		free(fmt);
		return;
	}
	if (!fmt)
		fmt = calloc(1, 1);
	if (looks_like_json(fmt))
		report(s, args[pr->fmt].start, "%s: builds JSON with a format: use jansson (json_pack, json_object_set_new)",
		       pr->name);
	int kinds[64];
	int want = conversions(s, args[pr->fmt].start, fmt, pr->html, kinds, 64);
	free(fmt);
	if (want < 0)
		return;
	int have = n - pr->fmt - 1;
	if (want != have) {
		report(s, a, "%s: the format's conversions take %d argument%s, the call gives %d", pr->name, want,
		       want == 1 ? "" : "s", have);
		return;
	}
	if (!pr->html)
		return;
	for (int k = 0; k < want && k < 64; k++) {
		Span arg = args[pr->fmt + 1 + k];
		if (kinds[k] == ARG_STR_RAW && !safe_arg(t, arg)) {
			int l = (int)(arg.end - arg.start);
			report(s, arg.start,
			       "%s: %%s takes `%.*s`%s: write it with %%h (escaped), or mark markup the program made with SAFE_HTML()",
			       pr->name, l > 60 ? 60 : l, t + arg.start, l > 60 ? "..." : "");
		}
	}
}

/* buf_puts(&r->out, x) and the like in a page file. */
static void check_out_write(const Src *s, const char *name, size_t open, size_t close)
{
	const char *t = s->text;
	Span args[16];
	int n = split_args(t, open, close, args, 16);
	if (n < 2 || n > 16)
		return;
	int to_out = 0;
	for (size_t k = args[0].start; k + 5 <= args[0].end; k++)
		if (!strncmp(t + k, "->out", 5) && (k + 5 == args[0].end || !is_ident(t[k + 5])))
			to_out = 1;
	if (!to_out)
		return;
	int from = 1, to = !strcmp(name, "buf_append") ? 1 : n - 1;
	if (!strcmp(name, "buf_putc"))
		return; /* one character the program chose */
	for (int k = from; k <= to; k++)
		if (!safe_arg(t, args[k]))
			report(s, args[k].start,
			       "%s writes into the response: write pages with html_printf, or mark markup the program made with SAFE_HTML()",
			       name);
}

static void check_file(const Src *s)
{
	const char *t = s->text;
	int page = is_page_file(s->path);
	checking_file = s->path;
	for (size_t i = 0; i < s->len; i++) {
		if (t[i] == '"' || t[i] == '\'') {
			i = skip_quoted(t, s->len, i) - 1;
			continue;
		}
		if (!is_ident(t[i]) || (i > 0 && is_ident(t[i - 1])) || isdigit((unsigned char)t[i]))
			continue;
		size_t a = i;
		while (i < s->len && is_ident(t[i]))
			i++;
		size_t b = i, p = i;
		i = b - 1;
		if (a >= 1 && (t[a - 1] == '.' || (a >= 2 && t[a - 1] == '>' && t[a - 2] == '-')))
			continue;
		while (p < s->len && isspace((unsigned char)t[p]))
			p++;
		if (p >= s->len || t[p] != '(' || is_declaration(t, a))
			continue;
		size_t close = match_close(t, s->len, p);
		char name[64];
		size_t l = b - a < sizeof name - 1 ? b - a : sizeof name - 1;
		memcpy(name, t + a, l);
		name[l] = 0;
		const Printer *pr = find_printer(t + a, b - a, s->path);
		if (!strcmp(name, "atoi") || !strcmp(name, "atol") || !strcmp(name, "atoll") || !strcmp(name, "atof"))
			report(s, a, "%s reads \"12abc\" as 12 and \"\" as 0: use parse_int/parse_real (util.h) or a typed request reader (http.h)",
			       name);
		if (pr) {
			check_call(s, pr, a, p, close);
		} else if (!strcmp(name, "html_vprintf")) {
			/* only inside a wrapper: the enclosing function must be one */
			size_t k = a;
			int depth = 0;
			while (k > 0) {
				k--;
				if (t[k] == '}')
					depth++;
				else if (t[k] == '{' && depth-- == 0)
					break;
			}
			size_t ce = k;
			while (ce > 0 && t[ce - 1] != ')')
				ce--;
			size_t po = ce;
			int d = 0;
			while (po > 0) {
				po--;
				if (t[po] == ')')
					d++;
				else if (t[po] == '(' && --d == 0)
					break;
			}
			size_t ne = po;
			while (ne > 0 && isspace((unsigned char)t[ne - 1]))
				ne--;
			size_t na = ne;
			while (na > 0 && is_ident(t[na - 1]))
				na--;
			const Printer *w = find_printer(t + na, ne - na, s->path);
			if (!w || !w->html)
				report(s, a, "html_vprintf outside a printf-like wrapper (const char *fmt, ...): its calls cannot be checked");
		} else if (page && (!strcmp(name, "buf_puts") || !strcmp(name, "buf_printf") || !strcmp(name, "buf_append") ||
		                    !strcmp(name, "buf_putc"))) {
			check_out_write(s, name, p, close);
		}
		if (page && !strcmp(name, "buf_printf") && pr)
			check_out_write(s, name, p, close);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: fmtcheck PATH...  (a directory: its .c and .h files)\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		load_path(argv[i]);
	static const struct {
		const char *name;
		int fmt, html;
	} builtin[] = {
		{"html_printf", 1, 1}, {"printf", 0, 0},   {"fprintf", 1, 0},      {"sprintf", 1, 0},
		{"snprintf", 2, 0},    {"dprintf", 1, 0},  {"asprintf", 1, 0},     {"buf_printf", 1, 0},
		{"arena_printf", 1, 0}, {"fatal", 0, 0},
	};
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		add_printer(builtin[i].name, strlen(builtin[i].name), builtin[i].fmt, builtin[i].html, NULL);
	for (int i = 0; i < nsrcs; i++)
		find_printers(&srcs[i]);
	for (int i = 0; i < nsrcs; i++)
		check_file(&srcs[i]);
	if (findings)
		fprintf(stderr, "fmtcheck: %d finding%s in %d file%s\n", findings, findings == 1 ? "" : "s", nsrcs,
		        nsrcs == 1 ? "" : "s");
	else
		printf("fmtcheck: %d files, no findings\n", nsrcs);
	return findings ? 1 : 0;
}
