/*
 * The driver of the tables of cases.h: run the scenario in the harness's
 * namespaces, then compare its key=value lines with the row's.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases.h"
#include "harness.h"

#define CASE_ENV_MAX	32

enum op { OP_EQ, OP_NE, OP_GLOB, OP_HAS, OP_GE, OP_LE, OP_GT, OP_LT };

/* The operators, longest first: "<=" before "<". */
static const struct {
	const char	*s;
	enum op		 op;
} ops[] = {
	{ "!=", OP_NE }, { "*=", OP_HAS }, { ">=", OP_GE }, { "<=", OP_LE },
	{ "=", OP_EQ }, { "~", OP_GLOB }, { ">", OP_GT }, { "<", OP_LT },
};

/* One expected line: [mode:][cond?]key OP value. */
struct want {
	char		 mode[8];
	char		 cond[32];
	char		 key[64];
	enum op		 op;
	const char	*opname;
	const char	*value;
};

static const char keychars[] = "abcdefghijklmnopqrstuvwxyz0123456789_";

/* "word" then sep at *s: the word into buf, *s past sep; else buf "". */
static int
take_prefix(const char **s, int sep, char *buf, size_t size)
{
	size_t n = strspn(*s, keychars);

	buf[0] = '\0';
	if ((*s)[n] != sep)
		return 0;
	if (n >= size)
		return -1;
	memcpy(buf, *s, n);
	buf[n] = '\0';
	*s += n + 1;
	return 0;
}

static int
parse_want(const char *s, struct want *w)
{
	size_t n, i;

	if (take_prefix(&s, ':', w->mode, sizeof(w->mode)) == -1 ||
	    take_prefix(&s, '?', w->cond, sizeof(w->cond)) == -1)
		return -1;
	n = strspn(s, keychars);
	if (n == 0 || n >= sizeof(w->key))
		return -1;
	memcpy(w->key, s, n);
	w->key[n] = '\0';
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strncmp(s + n, ops[i].s, strlen(ops[i].s)) == 0) {
			w->op = ops[i].op;
			w->opname = ops[i].s;
			w->value = s + n + strlen(ops[i].s);
			return 0;
		}
	return -1;
}

/* A whole decimal number, or -1 (with *ok 0) when it is none. */
static long
number(const char *s, int *ok)
{
	char *end;
	long v;

	v = strtol(s, &end, 10);
	*ok = end != s && *end == '\0';
	return v;
}

static int
holds(const struct want *w, const char *got)
{
	long a, b;
	int oka, okb;

	switch (w->op) {
	case OP_EQ:
		return strcmp(got, w->value) == 0;
	case OP_NE:
		return strcmp(got, w->value) != 0;
	case OP_GLOB:
		return fnmatch(w->value, got, 0) == 0;
	case OP_HAS:
		return strstr(got, w->value) != NULL;
	default:
		break;
	}
	a = number(got, &oka);
	b = number(w->value, &okb);
	cr_assert(okb, "%s: '%s' is no number", w->key, w->value);
	if (!oka)
		return 0;
	switch (w->op) {
	case OP_GE:
		return a >= b;
	case OP_LE:
		return a <= b;
	case OP_GT:
		return a > b;
	default:
		return a < b;
	}
}

static int
check(const char *out, const char *line, const char *mode)
{
	struct want w;
	char *got;
	int ok;

	cr_assert_eq(parse_want(line, &w), 0, "bad expected line '%s'", line);
	if (w.mode[0] != '\0' && (mode == NULL || strcmp(w.mode, mode) != 0))
		return 1;
	if (w.cond[0] != '\0') {
		if ((got = bw_value(out, w.cond)) == NULL) {
			cr_expect_fail("no %s= in the scenario's output", w.cond);
			return 0;
		}
		ok = strcmp(got, "yes") == 0;
		if (!ok)
			cr_log_warn("%s: not checked, %s=%s", w.key, w.cond, got);
		free(got);
		if (!ok)
			return 1;
	}
	if ((got = bw_value(out, w.key)) == NULL) {
		cr_expect_fail("no %s= in the scenario's output", w.key);
		return 0;
	}
	ok = holds(&w, got);
	cr_expect(ok, "%s: got '%s', want %s '%s'", w.key, got, w.opname,
	    w.value);
	free(got);
	return ok;
}

static int
installed(const char *program)
{
	char *cmd, *out = NULL, *err = NULL;
	int status;

	cr_assert_neq(asprintf(&cmd, "command -v '%s'", program), -1);
	cr_assert_eq(bw_sh_run(cmd, &out, &err, &status), 0);
	free(cmd);
	free(out);
	free(err);
	return status == 0;
}

void
bw_case_run(const struct bw_case *c, const char *mode)
{
	const char *env[CASE_ENV_MAX + 1];
	char modevar[32], *need, *out = NULL, *err = NULL;
	size_t i, n = 0;
	int status, ok = 1;

	cr_assert_not_null(bw_build(), "no build directory: set BW_BUILD");
	cr_assert_not_null(bw_it(), "no tests/integration/lib.sh: set BW_SRC");
	if (c->program != NULL && !installed(c->program))
		cr_skip_test("%s is not installed (make deps-test installs it)",
		    c->program);
	if (c->root && geteuid() != 0)
		cr_skip_test("%s needs root", c->script);
	if (c->need != NULL) {
		need = bw_build_path(c->need);
		cr_assert_not_null(need);
		if (access(need, F_OK) != 0)
			cr_skip_test("%s is missing (see the Makefile)", need);
		free(need);
	}
	if (mode != NULL) {
		snprintf(modevar, sizeof(modevar), "MODE=%s", mode);
		env[n++] = modevar;
	}
	for (i = 0; c->env != NULL && c->env[i] != NULL; i++) {
		cr_assert_lt(n, CASE_ENV_MAX, "%s: too many variables", c->script);
		env[n++] = c->env[i];
	}
	env[n] = NULL;
	cr_assert_eq(bw_ns_run_file(c->script, env, c->plain, c->hosts,
	    c->timeout, &out, &err, &status), 0, "cannot run %s", c->script);
	if (status != 0) {
		cr_log_error("%s: exit %d, stderr:\n%s\nstdout:\n%s", c->script,
		    status, err, out);
		cr_assert_fail("%s: exit %d", c->script, status);
	}
	for (n = 0; c->expect != NULL && c->expect[n] != NULL; n++)
		ok &= check(out, c->expect[n], mode);
	cr_expect_gt(n, 0, "%s: a row with nothing to check", c->script);
	if (!ok)
		cr_log_error("%s: stderr:\n%s\nstdout:\n%s", c->script, err, out);
	free(out);
	free(err);
}
