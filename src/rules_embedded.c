/*
 * rules_embedded.c — the rule sets compiled into the binary (the files of rules/),
 * loaded by `hatchery init` after the plan's own (七个一).
 */
#include "rules.h"

extern const char rules_national_incubator_2018[], rules_national_incubator_2018_specialised[],
	rules_national_makerspace_2017[], rules_wenzhou_incubator_2018[], rules_wenzhou_incubator_2018_specialised[];
extern const unsigned long rules_national_incubator_2018_len, rules_national_incubator_2018_specialised_len,
	rules_national_makerspace_2017_len, rules_wenzhou_incubator_2018_len, rules_wenzhou_incubator_2018_specialised_len;

const EmbeddedRules embedded_rules[] = {
	{"rules/national-incubator-2018.json", rules_national_incubator_2018, &rules_national_incubator_2018_len},
	{"rules/national-incubator-2018-specialised.json", rules_national_incubator_2018_specialised,
	 &rules_national_incubator_2018_specialised_len},
	{"rules/national-makerspace-2017.json", rules_national_makerspace_2017, &rules_national_makerspace_2017_len},
	{"rules/wenzhou-incubator-2018.json", rules_wenzhou_incubator_2018, &rules_wenzhou_incubator_2018_len},
	{"rules/wenzhou-incubator-2018-specialised.json", rules_wenzhou_incubator_2018_specialised,
	 &rules_wenzhou_incubator_2018_specialised_len},
};
const int embedded_rules_count = (int)(sizeof embedded_rules / sizeof embedded_rules[0]);
