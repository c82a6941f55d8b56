/*
 * doc_docx.c — a Doc (doc.h) as a Word document (.docx): WordprocessingML
 * parts packed by our zip writer (zip_write.c), made to open and edit
 * cleanly in Word and WPS, in the office's usual layout (GB/T 9704-2012):
 *   A4, margins 37/35/28/26 mm, 22 lines of 三号 (16 pt) a page;
 *   the faces the office uses, with east-Asian fallbacks in the font
 *   table: 方正小标宋简体 (title, red header; else 宋体), 仿宋_GB2312 (body;
 *   else 仿宋), 黑体 (一、 headings), 楷体_GB2312 ((一) headings; else 楷体);
 *   named styles (正文, 标题, 标题 1/2, 表格文字, 表题) the office can change;
 *   tables whose header rows repeat on every page (w:tblHeader) and whose
 *   rows do not split (w:cantSplit);
 *   charts as PNG pictures (drawn by doc_pdf.c's chart code);
 *   page numbers "— 1 —" in the footers, odd pages right, even pages left.
 * Parts: [Content_Types].xml, _rels/.rels, docProps/core.xml and app.xml,
 * word/document.xml, styles.xml, settings.xml, fontTable.xml, footer1.xml
 * (odd), footer2.xml (even), word/_rels/document.xml.rels and the pictures under word/media.
 */
#include "doc.h"
#include "zip_write.h"

#include <math.h>
#include <string.h>

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define TEXT_TWIPS 8845 /* 156 mm */
#define EMU_PER_PT 12700

/* Writes s escaped for XML text and attributes; control characters that
 * XML 1.0 forbids are dropped, a line break becomes a space. */
static void xml_esc(Buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		switch (*p) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\n': case '\r': case '\t': buf_putc(b, ' '); break;
		default:
			if (*p >= 0x20)
				buf_putc(b, (char)*p);
		}
	}
}

/* A run of text with optional run properties (markup made here). */
static void run(Buf *b, const char *rpr, const char *text)
{
	buf_puts(b, "<w:r>");
	if (rpr && *rpr) {
		buf_puts(b, "<w:rPr>");
		buf_puts(b, rpr);
		buf_puts(b, "</w:rPr>");
	}
	buf_puts(b, "<w:t xml:space=\"preserve\">");
	xml_esc(b, text);
	buf_puts(b, "</w:t></w:r>");
}

/* A paragraph of style (NULL: 正文) with extra paragraph properties. */
static void para(Buf *b, const char *style, const char *ppr, const char *rpr, const char *text)
{
	buf_puts(b, "<w:p><w:pPr>");
	if (style) {
		buf_puts(b, "<w:pStyle w:val=\"");
		buf_puts(b, style);
		buf_puts(b, "\"/>");
	}
	if (ppr)
		buf_puts(b, ppr);
	buf_puts(b, "</w:pPr>");
	run(b, rpr, text);
	buf_puts(b, "</w:p>");
}

static void table(Buf *b, const DocTable *t)
{
	if (t->caption)
		para(b, "TableCaption", NULL, NULL, t->caption);
	double sum = 0;
	for (int c = 0; c < t->ncols; c++)
		sum += t->widths && t->widths[c] > 0 ? t->widths[c] : 1;
	int *tw = xcalloc((size_t)t->ncols, sizeof *tw);
	int used = 0;
	for (int c = 0; c < t->ncols; c++) {
		tw[c] = (int)floor(TEXT_TWIPS * (t->widths && t->widths[c] > 0 ? t->widths[c] : 1) / sum);
		used += tw[c];
	}
	tw[t->ncols - 1] += TEXT_TWIPS - used;
	buf_puts(b, "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>"
	            "<w:jc w:val=\"center\"/><w:tblBorders>"
	            "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	            "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	            "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	            "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	            "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	            "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
	            "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
	            "<w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar>"
	            "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" "
	            "w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>");
	for (int c = 0; c < t->ncols; c++)
		buf_printf(b, "<w:gridCol w:w=\"%d\"/>", tw[c]);
	buf_puts(b, "</w:tblGrid>");
	for (int r = 0; r < t->nrows; r++) {
		int header = r < t->header_rows;
		buf_puts(b, header ? "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" : "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
		for (int c = 0; c < t->ncols; c++) {
			const DocCell *cell = &t->cells[r * t->ncols + c];
			buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>", tw[c]);
			const char *jc = header ? "<w:jc w:val=\"center\"/>"
			                 : t->right && t->right[c] ? "<w:jc w:val=\"right\"/>" : "<w:jc w:val=\"left\"/>";
			para(b, "TableText", jc, header ? "<w:rFonts w:eastAsia=\"黑体\"/><w:b/>" : NULL, cell->text);
			buf_puts(b, "</w:tc>");
		}
		buf_puts(b, "</w:tr>");
	}
	buf_puts(b, "</w:tbl>");
	free(tw);
	if (t->note)
		para(b, "TableText", NULL, NULL, t->note);
}

/* A picture of a chart: the PNG goes to media (its relationship rIdImg<n>);
 * keep_next keeps it on the page of what follows (the caption). */
static int picture(Buf *b, ZipWriter *z, Buf *rels, const DocChart *c, int n, int keep_next)
{
	Buf png = {0};
	double h = 0, w = 440;
	if (doc_chart_png(c, w, &png, &h) != H_OK) {
		buf_free(&png);
		return H_ERR;
	}
	char name[64];
	snprintf(name, sizeof name, "word/media/chart%d.png", n);
	zip_add(z, name, png.data, png.len);
	buf_free(&png);
	buf_printf(rels, "<Relationship Id=\"rIdImg%d\" Type=\"" NS_R "/image\" Target=\"media/chart%d.png\"/>", n, n);
	long long cx = (long long)(w * EMU_PER_PT), cy = (long long)(h * EMU_PER_PT);
	buf_puts(b, keep_next ? "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/><w:keepNext/>" : "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/>");
	buf_puts(b, "<w:spacing w:before=\"120\"/><w:jc w:val=\"center\"/></w:pPr><w:r><w:drawing>");
	buf_printf(b, "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"%lld\" cy=\"%lld\"/>"
	              "<wp:docPr id=\"%d\" name=\"chart%d\"/>", cx, cy, n, n);
	buf_puts(b, "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
	            "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>");
	buf_printf(b, "<pic:nvPicPr><pic:cNvPr id=\"%d\" name=\"chart%d.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
	              "<pic:blipFill><a:blip r:embed=\"rIdImg%d\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
	              "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%lld\" cy=\"%lld\"/></a:xfrm>",
	           n, n, n, cx, cy);
	buf_puts(b, "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>"
	            "</a:graphic></wp:inline></w:drawing></w:r></w:p>");
	return H_OK;
}

/* Bars of one picture at most: 20 + 36 × 15 + 18 = 578 pt, within a page's
 * 638 pt of text. A taller chart (the country's 350 cities and counties)
 * is drawn as several pictures on the same scale, one after another: one
 * picture of it all was 880 × 10,600 pixels, 37 MB to draw, taller than
 * any page. */
#define CHART_PART_BARS 36

/* A chart as pictures; *pics counts the document's pictures. */
static int chart(Buf *b, ZipWriter *z, Buf *rels, const DocChart *c, int *pics)
{
	if (c->n <= CHART_PART_BARS)
		return picture(b, z, rels, c, ++*pics, 1);
	double max = c->has_mark ? c->mark : 0;
	for (int i = 0; i < c->n; i++)
		if (c->values[i] > max)
			max = c->values[i];
	for (int from = 0; from < c->n; from += CHART_PART_BARS) {
		DocChart part = *c;
		part.labels = c->labels + from;
		part.values = c->values + from;
		part.n = c->n - from < CHART_PART_BARS ? c->n - from : CHART_PART_BARS;
		part.max = c->max > 0 ? c->max : max > 0 ? max : 1;
		if (picture(b, z, rels, &part, ++*pics, from + part.n >= c->n) != H_OK)
			return H_ERR;
	}
	return H_OK;
}

static const char styles_xml[] = XML_DECL
    "<w:styles xmlns:w=\"" NS_W "\">"
    "<w:docDefaults><w:rPrDefault><w:rPr>"
    "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"仿宋_GB2312\" w:cs=\"Times New Roman\"/>"
    "<w:kern w:val=\"2\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
    "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
    "<w:pPrDefault><w:pPr><w:spacing w:line=\"579\" w:lineRule=\"exact\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault>"
    "</w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>"
    "<w:pPr><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/></w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"NoIndent\"><w:name w:val=\"不缩进正文\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:qFormat/><w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/></w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:next w:val=\"NoIndent\"/><w:qFormat/><w:pPr><w:spacing w:before=\"0\" w:after=\"579\" w:line=\"700\" "
    "w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/>"
    "<w:outlineLvl w:val=\"0\"/></w:pPr>"
    "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"方正小标宋简体\"/>"
    "<w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val=\"1\"/></w:pPr>"
    "<w:rPr><w:rFonts w:eastAsia=\"黑体\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val=\"2\"/></w:pPr>"
    "<w:rPr><w:rFonts w:eastAsia=\"楷体_GB2312\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"表格文字\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:qFormat/><w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>"
    "</w:pPr><w:rPr><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"TableCaption\"><w:name w:val=\"表题\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:next w:val=\"TableText\"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"60\" "
    "w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>"
    "<w:rPr><w:rFonts w:eastAsia=\"黑体\"/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>"
    "<w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/></w:pPr>"
    "<w:rPr><w:rFonts w:ascii=\"宋体\" w:hAnsi=\"宋体\" w:eastAsia=\"宋体\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>"
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
    "<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
    "<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/>"
    "</w:tblCellMar></w:tblPr></w:style>"
    "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/>"
    "<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
    "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tblBorders></w:tblPr></w:style>"
    "</w:styles>";

/* The office's faces with what stands in for them where they are missing. */
static const char font_table_xml[] = XML_DECL
    "<w:fonts xmlns:w=\"" NS_W "\">"
    "<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"仿宋\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/>"
    "<w:pitch w:val=\"fixed\"/></w:font>"
    "<w:font w:name=\"方正小标宋简体\"><w:altName w:val=\"宋体\"/><w:charset w:val=\"86\"/><w:family w:val=\"script\"/>"
    "<w:pitch w:val=\"fixed\"/></w:font>"
    "<w:font w:name=\"黑体\"><w:altName w:val=\"SimHei\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/>"
    "<w:pitch w:val=\"fixed\"/></w:font>"
    "<w:font w:name=\"楷体_GB2312\"><w:altName w:val=\"楷体\"/><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/>"
    "<w:pitch w:val=\"fixed\"/></w:font>"
    "<w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:charset w:val=\"86\"/><w:family w:val=\"auto\"/>"
    "<w:pitch w:val=\"variable\"/></w:font>"
    "<w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/>"
    "<w:pitch w:val=\"variable\"/></w:font>"
    "</w:fonts>";

static const char settings_xml[] = XML_DECL
    "<w:settings xmlns:w=\"" NS_W "\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/>"
    "<w:evenAndOddHeaders/><w:characterSpacingControl w:val=\"compressPunctuation\"/>"
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
    "w:val=\"15\"/></w:compat></w:settings>";

/* A footer with "— PAGE —", at the right (odd pages) or the left (even). */
static void footer(Buf *b, int odd)
{
	buf_puts(b, XML_DECL "<w:ftr xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/>");
	buf_puts(b, odd ? "<w:ind w:right=\"280\"/><w:jc w:val=\"right\"/>" : "<w:ind w:left=\"280\"/><w:jc w:val=\"left\"/>");
	buf_puts(b, "</w:pPr><w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
	            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
	            "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>"
	            "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>");
}

static const char content_types_xml[] = XML_DECL
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Default Extension=\"png\" ContentType=\"image/png\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
    "<Override PartName=\"/word/fontTable.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
    "<Override PartName=\"/word/footer1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
    "<Override PartName=\"/word/footer2.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "<Override PartName=\"/docProps/app.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
    "</Types>";

static const char root_rels_xml[] = XML_DECL
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" NS_R "/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" "
    "Target=\"docProps/core.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" NS_R "/extended-properties\" Target=\"docProps/app.xml\"/>"
    "</Relationships>";

static const char app_xml[] = XML_DECL
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" "
    "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
    "<Application>hatchery</Application><DocSecurity>0</DocSecurity></Properties>";

static void core(Buf *b, const Doc *d)
{
	buf_puts(b, XML_DECL "<cp:coreProperties "
	            "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
	            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
	            "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>");
	xml_esc(b, d->title);
	buf_puts(b, "</dc:title><dc:creator>");
	xml_esc(b, d->signer ? d->signer : d->issuer);
	buf_puts(b, "</dc:creator>");
	if (d->date && date_valid(d->date)) {
		buf_puts(b, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">");
		xml_esc(b, d->date);
		buf_puts(b, "T00:00:00Z</dcterms:created>");
	}
	buf_puts(b, "</cp:coreProperties>");
}

int doc_docx(const Doc *d, Buf *out, char *err, size_t errsz)
{
	ZipWriter z = {0};
	Buf doc = {0}, rels = {0};
	zip_add(&z, "[Content_Types].xml", content_types_xml, sizeof content_types_xml - 1);
	zip_add(&z, "_rels/.rels", root_rels_xml, sizeof root_rels_xml - 1);
	buf_puts(&rels, XML_DECL "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	                "<Relationship Id=\"rId1\" Type=\"" NS_R "/styles\" Target=\"styles.xml\"/>"
	                "<Relationship Id=\"rId2\" Type=\"" NS_R "/settings\" Target=\"settings.xml\"/>"
	                "<Relationship Id=\"rId3\" Type=\"" NS_R "/fontTable\" Target=\"fontTable.xml\"/>"
	                "<Relationship Id=\"rId4\" Type=\"" NS_R "/footer\" Target=\"footer1.xml\"/>"
	                "<Relationship Id=\"rId5\" Type=\"" NS_R "/footer\" Target=\"footer2.xml\"/>");
	buf_puts(&doc, XML_DECL "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\" "
	               "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
	               "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
	               "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>");
	if (d->issuer)
		para(&doc, "NoIndent", "<w:spacing w:before=\"0\" w:after=\"240\" w:line=\"240\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>",
		     "<w:rFonts w:eastAsia=\"方正小标宋简体\"/><w:color w:val=\"E31C23\"/><w:spacing w:val=\"-6\"/>"
		     "<w:sz w:val=\"56\"/><w:szCs w:val=\"56\"/>",
		     d->issuer);
	if (d->issuer || d->number)
		para(&doc, "NoIndent",
		     "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" w:space=\"8\" w:color=\"E31C23\"/></w:pBdr>"
		     "<w:spacing w:after=\"579\"/><w:jc w:val=\"center\"/>",
		     NULL, d->number ? d->number : "");
	if (d->title)
		para(&doc, "Title", NULL, NULL, d->title);
	if (d->addressee)
		para(&doc, "NoIndent", NULL, NULL, d->addressee);
	int charts = 0;
	for (int i = 0; i < d->nblocks; i++) {
		const DocBlock *b = &d->blocks[i];
		switch (b->kind) {
		case DOC_PARA:
			para(&doc, NULL, NULL, NULL, b->text);
			break;
		case DOC_HEADING:
			para(&doc, b->level == 1 ? "Heading1" : "Heading2", NULL, NULL, b->text);
			break;
		case DOC_TABLE:
			table(&doc, b->table);
			break;
		case DOC_CHART:
			if (chart(&doc, &z, &rels, b->chart, &charts) != H_OK) {
				snprintf(err, errsz, "生成 Word 文件的图表失败。");
				buf_free(&doc);
				buf_free(&rels);
				zip_free(&z);
				return H_ERR;
			}
			if (b->chart->caption)
				para(&doc, "TableCaption", NULL, NULL, b->chart->caption);
			break;
		}
	}
	const char *signer = d->signer ? d->signer : d->issuer;
	para(&doc, "NoIndent", NULL, NULL, "");
	if (signer)
		para(&doc, "NoIndent", "<w:ind w:right=\"1280\"/><w:jc w:val=\"right\"/>", NULL, signer);
	if (d->date && date_valid(d->date)) {
		char cn[64];
		snprintf(cn, sizeof cn, "%d年%d月%d日", digits_value(d->date, 4), digits_value(d->date + 5, 2),
		         digits_value(d->date + 8, 2));
		para(&doc, "NoIndent", "<w:ind w:right=\"1280\"/><w:jc w:val=\"right\"/>", NULL, cn);
	}
	if (d->footnote)
		para(&doc, "NoIndent", "<w:spacing w:before=\"240\" w:line=\"240\" w:lineRule=\"auto\"/>",
		     "<w:color w:val=\"595959\"/><w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>", d->footnote);
	/* A4; margins 37/35/28/26 mm; page numbers 7 mm under the text block. */
	buf_puts(&doc, "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId4\"/>"
	               "<w:footerReference w:type=\"even\" r:id=\"rId5\"/>"
	               "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
	               "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" "
	               "w:footer=\"1247\" w:gutter=\"0\"/><w:cols w:space=\"425\"/>"
	               "<w:docGrid w:type=\"lines\" w:linePitch=\"579\"/></w:sectPr></w:body></w:document>");
	buf_puts(&rels, "</Relationships>");
	zip_add(&z, "word/document.xml", doc.data, doc.len);
	zip_add(&z, "word/_rels/document.xml.rels", rels.data, rels.len);
	buf_free(&doc);
	buf_free(&rels);
	zip_add(&z, "word/styles.xml", styles_xml, sizeof styles_xml - 1);
	zip_add(&z, "word/settings.xml", settings_xml, sizeof settings_xml - 1);
	zip_add(&z, "word/fontTable.xml", font_table_xml, sizeof font_table_xml - 1);
	Buf part = {0};
	footer(&part, 1);
	zip_add(&z, "word/footer1.xml", part.data, part.len);
	buf_reset(&part);
	footer(&part, 0);
	zip_add(&z, "word/footer2.xml", part.data, part.len);
	buf_reset(&part);
	core(&part, d);
	zip_add(&z, "docProps/core.xml", part.data, part.len);
	buf_free(&part);
	zip_add(&z, "docProps/app.xml", app_xml, sizeof app_xml - 1);
	if (zip_finish(&z, out) != H_OK) {
		snprintf(err, errsz, "生成 Word 文件失败。");
		return H_ERR;
	}
	return H_OK;
}
