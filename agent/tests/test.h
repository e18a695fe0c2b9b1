/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal test harness: each TEST is a function; EXPECT records a
 * failure and goes on. Prints one TAP line a test ("ok N - name").
 */
#ifndef GEM_TEST_H
#define GEM_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failed_now;
static int test_total_failed;
static int test_number;

#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "# %s:%d: expected %s\n",	\
				__FILE__, __LINE__, #cond);		\
			test_failed_now = 1;				\
		}							\
	} while (0)

#define EXPECT_STR(got, want)						\
	do {								\
		const char *g_ = (got), *w_ = (want);			\
		if (!g_ || strcmp(g_, w_)) {				\
			fprintf(stderr, "# %s:%d: got \"%s\", want \"%s\"\n", \
				__FILE__, __LINE__, g_ ? g_ : "(null)", w_); \
			test_failed_now = 1;				\
		}							\
	} while (0)

static inline void test_run(const char *name, void (*fn)(void))
{
	test_failed_now = 0;
	fn();
	test_number++;
	printf("%sok %d - %s\n", test_failed_now ? "not " : "", test_number, name);
	test_total_failed += test_failed_now;
}

#define RUN(fn) test_run(#fn, fn)
#define TEST_EXIT() (test_total_failed ? 1 : 0)

#endif /* GEM_TEST_H */
