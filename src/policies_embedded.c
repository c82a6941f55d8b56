/*
 * policies_embedded.c — the policy files compiled into the binary (the
 * files of policies/): the example that `init --demo` and the tests load.
 * The list follows meson.build's policy_files.
 */
#include "policy.h"

extern const char policies_ruian_support_example[];
extern const unsigned long policies_ruian_support_example_len;

const EmbeddedPolicy embedded_policies[] = {
	{"policies/ruian-support-example.json", policies_ruian_support_example, &policies_ruian_support_example_len},
};
const int embedded_policy_count = (int)(sizeof embedded_policies / sizeof embedded_policies[0]);
