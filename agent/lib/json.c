// SPDX-License-Identifier: GPL-2.0
/*
 * A small streaming JSON writer for gemctl's -j output.
 */
#include <inttypes.h>

#include "json.h"

void json_init(struct json *j, FILE *out)
{
	*j = (struct json){ .out = out };
}

/* Before any value: a comma when it is not the first in its container. */
static void json_value_prefix(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		fputc(',', j->out);
	j->need_comma[j->depth] = true;
}

static void json_open(struct json *j, char c)
{
	json_value_prefix(j);
	fputc(c, j->out);
	if (j->depth + 1 >= JSON_MAX_DEPTH) {
		j->failed = true;
		return;
	}
	j->need_comma[++j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	if (j->depth == 0 || j->after_key)
		j->failed = true;
	else
		j->depth--;
	fputc(c, j->out);
}

void json_object_begin(struct json *j)
{
	json_open(j, '{');
}

void json_object_end(struct json *j)
{
	json_close(j, '}');
}

void json_array_begin(struct json *j)
{
	json_open(j, '[');
}

void json_array_end(struct json *j)
{
	json_close(j, ']');
}

static void json_quoted(struct json *j, const char *s)
{
	const unsigned char *p;

	fputc('"', j->out);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", j->out);
			break;
		case '\\':
			fputs("\\\\", j->out);
			break;
		case '\n':
			fputs("\\n", j->out);
			break;
		case '\t':
			fputs("\\t", j->out);
			break;
		default:
			if (*p < 0x20)
				fprintf(j->out, "\\u%04x", *p);
			else
				fputc(*p, j->out);
		}
	}
	fputc('"', j->out);
}

void json_key(struct json *j, const char *key)
{
	if (j->after_key)
		j->failed = true;
	json_value_prefix(j);
	json_quoted(j, key);
	fputc(':', j->out);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	json_value_prefix(j);
	json_quoted(j, s);
}

void json_u64(struct json *j, uint64_t v)
{
	json_value_prefix(j);
	fprintf(j->out, "%" PRIu64, v);
}

void json_bool(struct json *j, bool v)
{
	json_value_prefix(j);
	fputs(v ? "true" : "false", j->out);
}

void json_member_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_member_u64(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_u64(j, v);
}

bool json_finish(struct json *j)
{
	fputc('\n', j->out);
	return !j->failed && j->depth == 0 && !j->after_key;
}
