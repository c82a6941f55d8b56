/*
 * rules_embedded.c — the rule sets compiled into the binary (the files of rules/),
 * loaded by `hatchery init` after the plan's own (七个一). The list follows
 * meson.build's rule_files.
 */
#include "rules.h"

#define RULES(sym) extern const char sym[]; extern const unsigned long sym##_len;
RULES(rules_national_incubator_2018)
RULES(rules_national_incubator_2018_specialised)
RULES(rules_national_incubator_2025)
RULES(rules_national_makerspace_2017)
RULES(rules_zhejiang_incubator_2021)
RULES(rules_zhejiang_makerspace_2021)
RULES(rules_wenzhou_incubator_2018)
RULES(rules_wenzhou_incubator_2018_specialised)
RULES(rules_wenzhou_incubator_2021)
RULES(rules_wenzhou_incubator_2021_specialised)
#undef RULES

const EmbeddedRules embedded_rules[] = {
	{"rules/national-incubator-2018.json", rules_national_incubator_2018, &rules_national_incubator_2018_len},
	{"rules/national-incubator-2018-specialised.json", rules_national_incubator_2018_specialised, &rules_national_incubator_2018_specialised_len},
	{"rules/national-incubator-2025.json", rules_national_incubator_2025, &rules_national_incubator_2025_len},
	{"rules/national-makerspace-2017.json", rules_national_makerspace_2017, &rules_national_makerspace_2017_len},
	{"rules/zhejiang-incubator-2021.json", rules_zhejiang_incubator_2021, &rules_zhejiang_incubator_2021_len},
	{"rules/zhejiang-makerspace-2021.json", rules_zhejiang_makerspace_2021, &rules_zhejiang_makerspace_2021_len},
	{"rules/wenzhou-incubator-2018.json", rules_wenzhou_incubator_2018, &rules_wenzhou_incubator_2018_len},
	{"rules/wenzhou-incubator-2018-specialised.json", rules_wenzhou_incubator_2018_specialised, &rules_wenzhou_incubator_2018_specialised_len},
	{"rules/wenzhou-incubator-2021.json", rules_wenzhou_incubator_2021, &rules_wenzhou_incubator_2021_len},
	{"rules/wenzhou-incubator-2021-specialised.json", rules_wenzhou_incubator_2021_specialised, &rules_wenzhou_incubator_2021_specialised_len},
};
const int embedded_rules_count = (int)(sizeof embedded_rules / sizeof embedded_rules[0]);
