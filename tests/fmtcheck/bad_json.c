/* bad_json.c — a fixture for tools/fmtcheck.c: JSON built with snprintf. */
void audit_bad(Store *s, const char *note)
{
	char after[512];
	snprintf(after, sizeof after, "{\"note\":\"%s\"}", note);
	store_audit(s, NULL, NULL, "x", "y", "1", NULL, after);
}
