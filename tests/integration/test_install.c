/*
 * An installed tree: `make check` runs `make install DESTDIR=$BW_BUILD/inst
 * PREFIX=/opt/bw` first.  The installed CLI must preload the shim of its
 * own prefix through $LIB, never one from the current directory; a 32-bit
 * program gets the 32-bit shim where one is installed, and the elf-class
 * warning where none is.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* The script runs with $I, the installed prefix, and $M32, 1 when the
 * build has a 32-bit fixture. */
static char *
inst_run(const char *script, int *status)
{
	char *out = NULL, *err = NULL, *full;

	cr_assert_not_null(bw_build(), "no build directory (set BW_BUILD)");
	cr_assert(asprintf(&full,
	    "I=\"$BW_BUILD/inst/opt/bw\"\n"
	    "[ -x \"$I/bin/bindwatch\" ] || { echo \"no installed tree at $I\"; exit 90; }\n"
	    "%s", script) > 0);
	cr_assert_eq(bw_ns_run(full, &out, &err, status), 0);
	free(full);
	cr_assert_neq(*status, 90, "%s", out);
	free(err);
	return out;
}

Test(install, installed_cli_uses_its_own_prefix, .timeout = 60)
{
	char *out;
	int status;

	/* Decoys in the working directory, in both layouts the CLI knows. */
	out = inst_run(
	    "mkdir -p lib/x86_64-linux-gnu/bindwatch bin\n"
	    "echo decoy > libbindwatch.so\n"
	    "echo decoy > lib/x86_64-linux-gnu/bindwatch/libbindwatch.so\n"
	    "ln -s \"$I/bin/bindwatch\" bin/bindwatch\n"
	    "./bin/bindwatch -v --timeout 5 -- $FIX/bind_once >out 2>&1; echo \"rc=$?\"\n"
	    "cat out\n"
	    "echo \"version=$(\"$I/bin/bindwatch\" --version)\"\n",
	    &status);
	cr_assert_eq(status, 0, "%s", out);
	cr_assert(strstr(out, "rc=0") != NULL, "%s", out);
	cr_assert(strstr(out, "bindwatch: preloading ") != NULL, "%s", out);
	cr_assert(strstr(out, "/inst/opt/bw/$LIB/bindwatch/libbindwatch.so;") != NULL,
	    "%s", out);
	cr_assert(strstr(out, "bind_once: listen(3, 1) = 0 on 127.0.0.1:") != NULL,
	    "%s", out);
	cr_assert(strstr(out, "decoy") == NULL && strstr(out, "ERROR: ld.so") == NULL,
	    "%s", out);
	cr_assert(strstr(out, "version=bindwatch ") != NULL, "%s", out);
	free(out);
}

Test(install, thirty_two_bit_program_is_watched, .timeout = 60)
{
	char *out;
	int status;

	out = inst_run(
	    "[ -x \"$BW_BUILD/fixtures32/bind_once\" ] || { echo no-m32; exit 0; }\n"
	    "\"$I/bin/bindwatch\" --json -o j -- \"$BW_BUILD/fixtures32/bind_once\" 2>err\n"
	    "echo \"rc=$?\"\n"
	    "echo \"binds=$(grep -c '\"type\":\"bind\".*\"ret\":0' j)\"\n"
	    "echo \"elfclass=$(grep -c elf-class j)\"\n"
	    "cat err\n"
	    /* The same tree without its 32-bit shims: the warning stays. */
	    "cp -a \"$I\" nom32\n"
	    "rm -r nom32/lib32 nom32/lib/i386-linux-gnu\n"
	    "nom32/bin/bindwatch --json -o k -- \"$BW_BUILD/fixtures32/bind_once\" 2>/dev/null\n"
	    "echo \"binds2=$(grep -c '\"type\":\"bind\"' k)\"\n"
	    "echo \"elfclass2=$(grep -c '\"kind\":\"elf-class\"' k)\"\n",
	    &status);
	cr_assert_eq(status, 0, "%s", out);
	if (strstr(out, "no-m32") != NULL)
		cr_skip_test("no 32-bit toolchain (gcc-multilib): %s", out);
	cr_assert(strstr(out, "rc=0\n") != NULL, "%s", out);
	cr_assert(strstr(out, "binds=1\n") != NULL, "%s", out);
	cr_assert(strstr(out, "elfclass=0\n") != NULL, "%s", out);
	cr_assert(strstr(out, "binds2=0\n") != NULL, "%s", out);
	cr_assert(strstr(out, "elfclass2=1\n") != NULL, "%s", out);
	free(out);
}

Test(install, uninstall_leaves_nothing, .timeout = 60)
{
	char *out;
	int status;

	/* A copy of what make install made; uninstall must take it all. */
	out = inst_run(
	    "[ -f \"$BW_SRC/Makefile\" ] || { echo \"no BW_SRC\"; exit 1; }\n"
	    "mkdir root && cp -a \"$BW_BUILD/inst/.\" root/\n"
	    "echo \"files=$(find root -type f -o -type l | wc -l)\"\n"
	    "make -s -C \"$BW_SRC\" B=\"$BW_BUILD\" DESTDIR=\"$D/root\" \\\n"
	    "    PREFIX=/opt/bw uninstall >mk 2>&1 || { cat mk; exit 1; }\n"
	    "echo \"left=$(find root -type f -o -type l | wc -l)\"\n"
	    "find root -type f -o -type l\n",
	    &status);
	cr_assert_eq(status, 0, "%s", out);
	cr_assert(strstr(out, "files=0\n") == NULL, "%s", out);
	cr_assert(strstr(out, "left=0\n") != NULL, "%s", out);
	free(out);
}
