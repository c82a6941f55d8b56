/*
 * forms_embedded.c — the report forms files compiled into the binary (the
 * files of forms/); a plan names the one it uses ("forms" in the plan file).
 */
#include "forms.h"

extern const char forms_ruian_2022_2024[];
extern const unsigned long forms_ruian_2022_2024_len;

const EmbeddedForms embedded_forms[] = {
	{"forms/ruian-2022-2024.json", forms_ruian_2022_2024, &forms_ruian_2022_2024_len},
};
const int embedded_forms_count = (int)(sizeof embedded_forms / sizeof embedded_forms[0]);
