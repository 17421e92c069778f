/* icu_words.c: the floor for bench/run: bare ICU word breaking (locale zh) over a corpus. */
/*
 *   bench-icu-words CORPUS_DIR
 *
 * Breaks every line of every *.txt file in CORPUS_DIR into words with one reused ICU word
 * break iterator over a UTF-8 UText (no normalisation, no index) and prints the number of
 * words (segments whose rule status is not "none"). Exit status 0, or 1 with a message on
 * stderr. Lines are the unit because the plans' lines are paragraphs of bounded length.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

static int count_file(UBreakIterator *bi, const char *path, unsigned long *words)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;
	if (f == NULL) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		UErrorCode status = U_ZERO_ERROR;
		UText *ut = utext_openUTF8(NULL, line, n, &status);
		ubrk_setUText(bi, ut, &status);
		if (U_FAILURE(status)) {
			fprintf(stderr, "%s: ICU: %s\n", path, u_errorName(status));
			utext_close(ut);
			rc = 1;
			goto out;
		}
		ubrk_first(bi);
		while (ubrk_next(bi) != UBRK_DONE) {
			int32_t rule = ubrk_getRuleStatus(bi);
			if (!(rule >= UBRK_WORD_NONE && rule < UBRK_WORD_NONE_LIMIT))
				(*words)++;
		}
		utext_close(ut);
	}
out:
	free(line);
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	UErrorCode status = U_ZERO_ERROR;
	UBreakIterator *bi = NULL;
	unsigned long words = 0;
	int rc = 1;
	DIR *dir = NULL;
	if (argc != 2) {
		fprintf(stderr, "usage: bench-icu-words CORPUS_DIR\n");
		return 2;
	}
	bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &status);
	if (U_FAILURE(status)) {
		fprintf(stderr, "ICU: %s\n", u_errorName(status));
		goto out;
	}
	dir = opendir(argv[1]);
	if (dir == NULL) {
		fprintf(stderr, "%s: cannot open the directory\n", argv[1]);
		goto out;
	}
	for (struct dirent *e; (e = readdir(dir)) != NULL;) {
		size_t len = strlen(e->d_name);
		char path[4096];
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", argv[1], e->d_name);
		if (count_file(bi, path, &words) != 0)
			goto out;
	}
	printf("%lu\n", words);
	rc = 0;
out:
	if (dir != NULL)
		closedir(dir);
	ubrk_close(bi);
	return rc;
}
