/*
 * Tables of scenarios: each row names a shell file under tests/integration/
 * and says what its key=value lines must be.  A row is one Criterion test
 * (BW_CASE), or two when the scenario runs both through the CLI and the
 * bare shim (BW_CASE_CLI_ENV: NAME_cli and NAME_env, $MODE cli or env).
 *
 * Expected lines, NULL-terminated, each about the first key= line of the
 * output:
 *	"key=value"	exactly value		"key!=value"	anything else
 *	"key~glob"	matches the fnmatch(3) pattern glob
 *	"key*=part"	contains part
 *	"key>=N"	a number, at least N (likewise <=, >, <)
 *	"cli:key=..."	checked only when $MODE is cli (likewise env:)
 *	"c?key=..."	checked only when the output says c=yes (a warning
 *			when it says otherwise: what the machine cannot do)
 * A key the scenario did not print is a failure, as is an exit status
 * other than 0.
 */
#ifndef BW_CASES_H
#define BW_CASES_H

#include <criterion/criterion.h>

struct bw_case {
	const char		*script;	/* relative to tests/integration/ */
	const char *const	*env;		/* "NAME=value", NULL-terminated */
	const char *const	*expect;	/* see above */
	const char		*hosts;		/* /etc/hosts inside; NULL: keep */
	const char		*need;		/* a path under $BW_BUILD, or NULL */
	int			 plain;		/* no namespaces: run here */
	int			 root;		/* skipped unless run as root */
	const char		*program;	/* skipped unless in $PATH */
	int			 timeout;	/* seconds, the namespace run */
};

/* Run c with $MODE set to mode (NULL: unset) and check its output. */
void	bw_case_run(const struct bw_case *c, const char *mode);

/* Lists in a row: BW_LIST("a", "b") is a NULL-terminated array. */
#define BW_LIST(...)	((const char *const[]){ __VA_ARGS__, NULL })

#define BW_CASE(suite, name, secs, ...)					\
	static const struct bw_case suite##_##name = {			\
		.timeout = (secs), __VA_ARGS__ };				\
	Test(suite, name, .timeout = (secs))				\
	{								\
		bw_case_run(&suite##_##name, NULL);			\
	}

#define BW_CASE_CLI_ENV(suite, name, secs, ...)				\
	static const struct bw_case suite##_##name = {			\
		.timeout = (secs), __VA_ARGS__ };				\
	Test(suite, name##_cli, .timeout = (secs))			\
	{								\
		bw_case_run(&suite##_##name, "cli");			\
	}								\
	Test(suite, name##_env, .timeout = (secs))			\
	{								\
		bw_case_run(&suite##_##name, "env");			\
	}

#endif
