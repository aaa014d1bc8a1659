/*
 * harness.h — a tiny test harness: one binary per module.
 *
 * Each test is a function registered in a table; CHECK* macros record a
 * failure with file:line and keep going; a test that evaluates no check
 * fails. At the end the binary prints
 * "<binary>: N passed, N failed" and a machine line "#RESULT N N" that
 * tests/run.sh sums into the suite's last line.
 */
#ifndef CABINE_TEST_HARNESS_H
#define CABINE_TEST_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_failed_checks;
/* Checks evaluated so far: a test that evaluates none fails (it cannot
 * catch anything). */
static long harness_checks;

#define CHECK(cond)                                                            \
	do {                                                                   \
		harness_checks++;                                              \
		if (!(cond)) {                                                 \
			fprintf(stderr, "  %s:%d: check failed: %s\n",         \
				__FILE__, __LINE__, #cond);                    \
			harness_failed_checks++;                               \
		}                                                              \
	} while (0)

#define CHECK_NEAR(a, b, tol)                                                  \
	do {                                                                   \
		harness_checks++;                                              \
		double ha_ = (double)(a), hb_ = (double)(b);                   \
		if (!(fabs(ha_ - hb_) <= (tol))) {                             \
			fprintf(stderr,                                        \
				"  %s:%d: %s = %.12g, expected %.12g\n",       \
				__FILE__, __LINE__, #a, ha_, hb_);             \
			harness_failed_checks++;                               \
		}                                                              \
	} while (0)

#define CHECK_INT(a, b)                                                        \
	do {                                                                   \
		harness_checks++;                                              \
		long long ha_ = (long long)(a), hb_ = (long long)(b);          \
		if (ha_ != hb_) {                                              \
			fprintf(stderr, "  %s:%d: %s = %lld, expected %lld\n", \
				__FILE__, __LINE__, #a, ha_, hb_);             \
			harness_failed_checks++;                               \
		}                                                              \
	} while (0)

#define CHECK_STR(a, b)                                                        \
	do {                                                                   \
		harness_checks++;                                              \
		const char *ha_ = (a), *hb_ = (b);                             \
		if (!ha_ || !hb_ || strcmp(ha_, hb_) != 0) {                   \
			fprintf(stderr,                                        \
				"  %s:%d: %s = \"%s\", expected \"%s\"\n",     \
				__FILE__, __LINE__, #a, ha_ ? ha_ : "(null)",  \
				hb_ ? hb_ : "(null)");                         \
			harness_failed_checks++;                               \
		}                                                              \
	} while (0)

struct harness_test {
	const char *name;
	void (*fn)(void);
};

#define TEST(name) static void name(void)
#define T(name)                                                                \
	{                                                                      \
#name, name                                                    \
	}

static int harness_main(const char *binary, const struct harness_test *tests,
			size_t n)
{
	int passed = 0, failed = 0;
	for (size_t i = 0; i < n; i++) {
		int before = harness_failed_checks;
		long checks_before = harness_checks;
		tests[i].fn();
		if (harness_checks == checks_before) {
			failed++;
			fprintf(stderr, "FAIL %s: %s: no check was evaluated\n",
				binary, tests[i].name);
		} else if (harness_failed_checks == before) {
			passed++;
		} else {
			failed++;
			fprintf(stderr, "FAIL %s: %s\n", binary, tests[i].name);
		}
	}
	printf("%s: %d passed, %d failed\n", binary, passed, failed);
	printf("#RESULT %d %d\n", passed, failed);
	return failed ? 1 : 0;
}

#define HARNESS_MAIN(binary, table)                                            \
	int main(void)                                                         \
	{                                                                      \
		return harness_main(binary, table,                             \
				    sizeof(table) / sizeof(table[0]));         \
	}

#endif
