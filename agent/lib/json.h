/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer for gemctl's -j output: it tracks nesting
 * and commas so callers only say what comes next.
 */
#ifndef GEM_JSON_H
#define GEM_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
	bool after_key;
	bool failed;		/* nesting broken: a bug in the caller */
};

void json_init(struct json *j, FILE *out);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_u64(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
/* A member of the object being written: its key, then its value. */
void json_member_string(struct json *j, const char *key, const char *s);
void json_member_u64(struct json *j, const char *key, uint64_t v);
/* Ends a document: a newline, and false if the nesting was broken. */
bool json_finish(struct json *j);

#endif /* GEM_JSON_H */
