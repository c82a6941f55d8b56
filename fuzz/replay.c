/*
 * replay.c — the main of the test_fuzz_<name> programs (make test): feeds
 * every file of fuzz/corpus/<name>/ (under $HATCHERY_SRC, else ".") or of
 * the paths given as arguments, once each, to the target's
 * LLVMFuzzerTestOneInput, built without libFuzzer (gcc, and ASan+UBSan in
 * build-asan). A crash or a sanitizer report ends the program; otherwise it
 * prints cmocka's summary lines, which tests/run-all counts.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#ifndef FUZZ_NAME
#error "FUZZ_NAME (the corpus directory's name) must be defined"
#endif

/* Feeds one file; returns 1 when it was read. */
static int replay_file(const char *path)
{
	size_t len;
	char *data = file_read(path, &len);
	if (!data) {
		fprintf(stderr, "cannot read %s\n", path);
		return 0;
	}
	/* an exact-size copy, so that the sanitizers see a read past the end */
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, data, len);
	free(data);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	return 1;
}

/* Feeds a file, or every regular file of a directory (sorted, for a stable
 * order); returns how many were fed, -1 when one could not be read. */
static int replay_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "cannot read %s\n", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) ? 1 : -1;
	struct dirent **list;
	int n = scandir(path, &list, NULL, alphasort), fed = 0;
	if (n < 0) {
		fprintf(stderr, "cannot list %s\n", path);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char file[4096];
		snprintf(file, sizeof file, "%s/%s", path, list[i]->d_name);
		if (list[i]->d_name[0] != '.' && stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
			if (!replay_file(file))
				fed = -1;
			else if (fed >= 0)
				fed++;
		}
		free(list[i]);
	}
	free(list);
	return fed;
}

int main(int argc, char **argv)
{
	printf("[==========] Running 1 test(s).\n[ RUN      ] replay fuzz/corpus/%s\n", FUZZ_NAME);
	fflush(stdout);
	int total = 0, ok = 1;
	if (argc > 1) {
		for (int i = 1; i < argc; i++) {
			int n = replay_path(argv[i]);
			ok &= n >= 0;
			total += n > 0 ? n : 0;
		}
	} else {
		const char *src = getenv("HATCHERY_SRC");
		char dir[4096];
		snprintf(dir, sizeof dir, "%s/fuzz/corpus/%s", src && *src ? src : ".", FUZZ_NAME);
		int n = replay_path(dir);
		ok = n > 0; /* an empty or missing corpus is a failure too */
		total = n > 0 ? n : 0;
	}
	printf("%d input(s) replayed\n", total);
	if (!ok) {
		printf("[  FAILED  ] 1 test(s), listed below:\n[  FAILED  ] replay fuzz/corpus/%s\n", FUZZ_NAME);
		return 1;
	}
	printf("[       OK ] replay fuzz/corpus/%s\n[==========] 1 test(s) run.\n[  PASSED  ] 1 test(s).\n", FUZZ_NAME);
	return 0;
}
