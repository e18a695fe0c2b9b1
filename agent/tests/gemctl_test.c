// SPDX-License-Identifier: GPL-2.0
/*
 * gemctl's command table: dispatch finds every command and nothing else,
 * usage names each, and gemctl(8) documents each in its synopsis and
 * under COMMANDS (the man page is read from the source tree).
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gemctl/gemctl.h"
#include "test.h"

static char man[1 << 16];
static char synopsis[1 << 13];

/* The page with troff's font changes and quotes removed. */
static int man_load(void)
{
	char exe[PATH_MAX], path[PATH_MAX + 64], *slash, *r, *w;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	FILE *f;
	size_t len;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/../../Documentation/man/gemctl.8", exe);
	f = fopen(path, "r");
	if (!f)
		return -1;
	len = fread(man, 1, sizeof(man) - 1, f);
	fclose(f);
	man[len] = '\0';
	for (r = w = man; *r; r++) {
		if (r[0] == '\\' && r[1] == 'f' && r[2]) {
			r += 2;
			continue;
		}
		if (*r != '"' && !(r[0] == '\\' && r[1] == '-'))
			*w++ = *r;
	}
	*w = '\0';
	r = strstr(man, ".SH SYNOPSIS");
	w = strstr(man, ".SH DESCRIPTION");
	if (!r || !w || w < r || (size_t)(w - r) >= sizeof(synopsis))
		return -1;
	memcpy(synopsis, r, w - r);
	return 0;
}

static int word_char(char c)
{
	return isalnum((unsigned char)c) || c == '-';
}

/* word, whole, in text[0, len). */
static int has_word(const char *text, size_t len, const char *word)
{
	size_t wl = strlen(word);
	const char *p;

	for (p = text; p + wl <= text + len; p++)
		if (!strncmp(p, word, wl) && (p == text || !word_char(p[-1])) &&
		    (p + wl == text + len || !word_char(p[wl])))
			return 1;
	return 0;
}

/* A .TP paragraph under COMMANDS whose tag line names word. */
static int has_entry(const char *word)
{
	const char *p = strstr(man, ".SH COMMANDS"), *end, *tag, *eol;

	if (!p)
		return 0;
	end = strstr(p + 1, "\n.SH ");
	while ((p = strstr(p, "\n.TP\n")) && (!end || p < end)) {
		tag = p + 5;
		eol = strchr(tag, '\n');
		if (eol && has_word(tag, eol - tag, word))
			return 1;
		p = tag;
	}
	return 0;
}

static void test_dispatch(void)
{
	const struct gemctl_cmd *c;

	for (c = gemctl_cmds; c->name; c++)
		EXPECT(gemctl_find(c->name) == c);
	EXPECT(!gemctl_find("bogus"));
	EXPECT(!gemctl_find(""));
	EXPECT(!gemctl_find("sho"));
}

static void test_usage_names_each(void)
{
	const struct gemctl_cmd *c;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	EXPECT(f);
	if (!f)
		return;
	gemctl_usage(f);
	fclose(f);
	for (c = gemctl_cmds; c->name; c++)
		EXPECT(has_word(text, len, c->name));
	free(text);
}

static void test_man_documents_each(void)
{
	const struct gemctl_cmd *c;

	EXPECT(man_load() == 0);
	for (c = gemctl_cmds; c->name; c++) {
		if (!has_word(synopsis, strlen(synopsis), c->name) || !has_entry(c->name)) {
			fprintf(stderr, "# gemctl(8) lacks \"%s\" in its %s\n", c->name,
				has_entry(c->name) ? "SYNOPSIS" : "COMMANDS");
			EXPECT(0);
		}
	}
}

int main(void)
{
	RUN(test_dispatch);
	RUN(test_usage_names_each);
	RUN(test_man_documents_each);
	return TEST_EXIT();
}
