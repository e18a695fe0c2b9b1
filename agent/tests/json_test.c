// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer: commas, nesting, escaping, and misuse reported.
 */
#include <stdlib.h>

#include "lib/json.h"
#include "test.h"

static char *buf;
static size_t len;

static struct json *begin(void)
{
	static struct json j;
	FILE *f = open_memstream(&buf, &len);

	json_init(&j, f);
	return &j;
}

static const char *end(struct json *j, int *ok)
{
	*ok = json_finish(j);
	fclose(j->out);
	return buf;
}

static void test_nested(void)
{
	struct json *j = begin();
	int ok;

	json_array_begin(j);
	json_object_begin(j);
	json_key(j, "a");
	json_u64(j, 1);
	json_key(j, "b");
	json_array_begin(j);
	json_u64(j, 2);
	json_u64(j, 18446744073709551615ULL);
	json_array_end(j);
	json_key(j, "c");
	json_bool(j, true);
	json_object_end(j);
	json_object_begin(j);
	json_object_end(j);
	json_array_end(j);
	EXPECT_STR(end(j, &ok), "[{\"a\":1,\"b\":[2,18446744073709551615],\"c\":true},{}]\n");
	EXPECT(ok);
	free(buf);
}

static void test_escaping(void)
{
	struct json *j = begin();
	int ok;

	json_object_begin(j);
	json_key(j, "k\"ey");
	json_string(j, "a\\b\"c\n\t\x01\x1f" "d\xc3\xa9");
	json_object_end(j);
	EXPECT_STR(end(j, &ok),
		   "{\"k\\\"ey\":\"a\\\\b\\\"c\\n\\t\\u0001\\u001fd\xc3\xa9\"}\n");
	EXPECT(ok);
	free(buf);
}

static void test_unbalanced_is_reported(void)
{
	struct json *j = begin();
	int ok;

	json_object_begin(j);
	json_key(j, "open");
	end(j, &ok);
	EXPECT(!ok);
	free(buf);

	j = begin();
	json_array_end(j);
	end(j, &ok);
	EXPECT(!ok);
	free(buf);
}

static void test_too_deep_is_reported(void)
{
	struct json *j = begin();
	int i, ok;

	for (i = 0; i < JSON_MAX_DEPTH + 2; i++)
		json_array_begin(j);
	end(j, &ok);
	EXPECT(!ok);
	free(buf);
}

int main(void)
{
	RUN(test_nested);
	RUN(test_escaping);
	RUN(test_unbalanced_is_reported);
	RUN(test_too_deep_is_reported);
	return TEST_EXIT();
}
