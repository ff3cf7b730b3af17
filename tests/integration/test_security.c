/*
 * Hostile input and security: other users cannot reach the collector,
 * malformed records are counted and never believed, BINDWATCH_LOG never
 * follows a symlink, untrusted strings come out escaped, and nothing of
 * the shim runs in setuid/setcap programs.  Each case in a private
 * network namespace (harness.h), as root there: a second uid (nobody,
 * 65534) plays the other user.  The tests use $BW and $LIB only, so they
 * run as they are against the sanitizer build (BW_BUILD=build/san).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

/* Run as nobody, with no supplementary groups. */
#define SEC_NOBODY	"setpriv --reuid=65534 --regid=65534 --clear-groups"

/* Run script in a dual-stack namespace; assert it ran and exited 0. */
static char *
sec_run(const char *script)
{
	char *out = NULL, *err = NULL, *full;
	int status;

	cr_assert_not_null(bw_build(), "no build directory (set BW_BUILD)");
	cr_assert(asprintf(&full, "export D BW_BUILD LIB FIX BW\n"
	    "PY=/usr/bin/python3; [ -x $PY ] || PY=python3\n%s", script) > 0);
	cr_assert_eq(bw_ns_run(full, &out, &err, &status), 0, "cannot run");
	free(full);
	cr_assert_eq(status, 0, "script failed (%d):\n%s\n%s", status, out, err);
	free(err);
	return out;
}

static void
sec_need_root(void)
{
	if (geteuid() != 0)
		cr_skip_test("needs root: a second uid plays the other user");
}

/* The summary: the last line that starts with {"type":"summary". */
static char *
sec_summary(const char *text)
{
	const char *p = NULL, *q = text;

	while ((q = strstr(q, "{\"type\":\"summary\"")) != NULL)
		p = q++;
	cr_assert_not_null(p, "no summary in:\n%s", text);
	return strndup(p, strcspn(p, "\n"));
}

/* The number after key, which must be there. */
static long
sec_num(const char *out, const char *key)
{
	cr_assert(strstr(out, key) != NULL, "no '%s' in:\n%s", key, out);
	return bw_number_after(out, key);
}

/*
 * A process of another uid cannot reach the collector: the directory is
 * 0700, so connect fails with EACCES; the shim itself, preloaded as that
 * user and pointed at the socket, cannot deliver anything.  Even with the
 * directory and socket opened up (an administrator's chmod), the collector
 * refuses the peer by SO_PEERCRED: counted in refused_connections, none of
 * its records read (no events, no malformed ones).  The tree's own events
 * still arrive afterwards.
 */
Test(security, other_uid_cannot_inject, .timeout = 60)
{
	char *out, *sum;

	sec_need_root();
	out = sec_run(
	    "cat >$D/conn.py <<'EOF'\n"
	    "import errno, socket, sys\n"
	    "s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)\n"
	    "try:\n"
	    "    s.connect(sys.argv[1])\n"
	    "except OSError as e:\n"
	    "    print('CONNECT', errno.errorcode.get(e.errno, e.errno)); sys.exit(0)\n"
	    "print('CONNECT OK')\n"
	    "try:\n"
	    "    for i in range(5):\n"
	    "        s.send(b'BW\\x01\\x02' + bytes(200))\n"
	    "    s.settimeout(3)\n"
	    "    print('SEND', 'EOF' if s.recv(16) == b'' else 'DATA')\n"
	    "except OSError as e:\n"
	    "    print('SEND', errno.errorcode.get(e.errno, e.errno))\n"
	    "EOF\n"
	    "$BW --json -o $D/rep -- sh -c 'echo \"$BINDWATCH_COLLECTOR\" >$D/path; i=0; "
	    "until [ -e $D/done ] || [ $i -ge 300 ]; do sleep 0.05; i=$((i+1)); done; "
	    "exec $FIX/gai_walker 127.0.0.1 4321 0' >/dev/null &\n"
	    "bw=$!\n"
	    "bw_wait_grep $D/path / || exit 90\n"
	    "P=$(cat $D/path)\n"
	    "echo \"DIR $(stat -c '%a %u' \"$(dirname \"$P\")\")\"\n"
	    SEC_NOBODY " $PY $D/conn.py \"$P\" | sed 's/^/NOBODY1 /'\n"
	    SEC_NOBODY " env LD_PRELOAD=$LIB BINDWATCH_COLLECTOR=\"$P\" $PY -c '\n"
	    "import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 4999)); s.listen()\n"
	    "print(\"INJECT1 bound\")'; echo \"INJECT1 $?\"\n"
	    "chmod 755 \"$(dirname \"$P\")\"; chmod 777 \"$P\"\n"
	    SEC_NOBODY " $PY $D/conn.py \"$P\" | sed 's/^/NOBODY2 /'\n"
	    SEC_NOBODY " env LD_PRELOAD=$LIB BINDWATCH_COLLECTOR=\"$P\" $PY -c '\n"
	    "import socket; s = socket.socket(); s.bind((\"127.0.0.1\", 4998)); s.listen()\n"
	    "print(\"INJECT2 bound\")'; echo \"INJECT2 $?\"\n"
	    "touch $D/done; wait $bw; echo \"STATUS $?\"\n"
	    "cat $D/rep\n");
	cr_assert(strstr(out, "DIR 700 0\n") != NULL, "the collector's directory:\n%s", out);
	cr_assert(strstr(out, "NOBODY1 CONNECT EACCES\n") != NULL ||
	    strstr(out, "NOBODY1 CONNECT EPERM\n") != NULL,
	    "another uid connected to the collector:\n%s", out);
	/* The other user's program is not disturbed by the shim's refusal. */
	cr_assert(strstr(out, "INJECT1 bound\nINJECT1 0\n") != NULL, "%s", out);
	cr_assert(strstr(out, "INJECT2 bound\nINJECT2 0\n") != NULL, "%s", out);
	/* Opened up: the connection is accepted by the kernel, then dropped. */
	cr_assert(strstr(out, "NOBODY2 CONNECT") != NULL, "%s", out);
	cr_assert_null(strstr(out, "NOBODY2 SEND DATA"), "%s", out);
	cr_assert_eq(sec_num(out, "STATUS "), 0, "%s", out);

	/* Nothing of theirs in the report; the tree's own listener is. */
	cr_assert_null(strstr(out, "4999"), "an injected event was believed:\n%s", out);
	cr_assert_null(strstr(out, "4998"), "an injected event was believed:\n%s", out);
	cr_assert(strstr(out, "\"type\":\"listen\"") != NULL &&
	    strstr(out, "\"port\":4321,") != NULL, "the tree's events:\n%s", out);
	sum = sec_summary(out);
	cr_assert_eq(sec_num(sum, "\"malformed_events\":"), 0, "%s", sum);
	cr_assert_eq(sec_num(sum, "\"lost_events\":"), 0, "%s", sum);
	/* NOBODY2's connection and INJECT2's shim: refused, and counted. */
	cr_assert_eq(sec_num(sum, "\"refused_connections\":"), 2, "%s", sum);
	free(sum);
	free(out);
}

/*
 * A same-uid process speaks to the collector directly: garbage, every
 * kind of truncated record, trailing bytes, an oversized message, a record
 * of another wire version, an "exit" record (only the CLI makes those),
 * a "ring" that is not one, a ring whose first slot lies about its length
 * and two descriptors at once: 13 malformed messages, each counted, none
 * believed; a whole record sent last on the same connection is taken (the
 * connection was not merely dropped).  The real records are captured
 * first from the shim itself, through a fake collector.
 */
Test(security, malformed_records_are_counted, .timeout = 60)
{
	char *out, *sum, key[64];
	long pid;

	out = sec_run(
	    "cat >$D/send.py <<'EOF'\n"
	    "import mmap, os, socket, struct, subprocess, sys, time\n"
	    "fake, real, lib, fix = sys.argv[1:5]\n"
	    "ls = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)\n"
	    "ls.bind(fake); ls.listen(4); ls.settimeout(5)\n"
	    "env = dict(os.environ, LD_PRELOAD=lib, BINDWATCH_COLLECTOR=fake)\n"
	    "p = subprocess.Popen([fix + '/bind_once'], env=env)\n"
	    "c, _ = ls.accept()\n"
	    "p.wait(5)\n"
	    /* Records come over the socket or through a ring: take both. */
	    "recs, rings = [], []\n"
	    "c.settimeout(2)\n"
	    "while True:\n"
	    "    msg, fds, _, _ = socket.recv_fds(c, 4096, 4)\n"
	    "    if not msg: break\n"
	    "    rings += fds\n"
	    "    if len(msg) > 1: recs.append(msg)\n"
	    "for fd in rings:\n"
	    "    m = mmap.mmap(fd, os.fstat(fd).st_size)\n"
	    "    size = struct.unpack_from('<I', m, 4)[0]\n"
	    "    head = struct.unpack_from('<Q', m, 8)[0]\n"
	    "    pos = 0\n"
	    "    while pos < head:\n"
	    "        off = 64 + pos % size\n"
	    "        n = struct.unpack_from('<Q', m, off)[0] >> 32\n"
	    "        recs.append(bytes(m[off + 8:off + 8 + n]))\n"
	    "        pos += 8 + ((n + 7) & ~7)\n"
	    "bind = [r for r in recs if r[:2] == b'BW' and r[3] == 2][0]\n"
	    "print('CAPTURED', len(recs), 'PID', p.pid, flush=True)\n"
	    "bad = [b'\\xff' * 100]\n"
	    "bad += [bind[:k] for k in (1, 3, 4, len(bind) // 2, len(bind) - 1)]\n"
	    "bad += [bind + b'\\0', bind + bytes(3000)]\n"
	    "v = bytearray(bind); v[2] = 99; bad.append(bytes(v))\n"
	    "x = bytearray(bind); x[3] = 5; bad.append(bytes(x))\n"
	    "s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)\n"
	    "s.connect(real)\n"
	    "for b in bad:\n"
	    "    s.send(b)\n"
	    "f1 = os.memfd_create('notaring'); os.ftruncate(f1, 64 + 4096)\n"
	    "socket.send_fds(s, [b'R'], [f1])\n"
	    "f2 = os.memfd_create('liar'); os.ftruncate(f2, 64 + 4096)\n"
	    "os.pwrite(f2, struct.pack('<IIQQ', 0x62777231, 4096, 16, 0), 0)\n"
	    "os.pwrite(f2, struct.pack('<Q', (5000 << 32) | 1), 64)\n"
	    "socket.send_fds(s, [b'R'], [f2])\n"
	    "socket.send_fds(s, [b'R'], [f1, f2])\n"
	    "s.send(bind)\n"
	    "print('SENT', len(bad) + 3, flush=True)\n"
	    "time.sleep(0.5)\n"
	    "s.close()\n"
	    "EOF\n"
	    "$BW --json -o $D/rep -- sh -c 'echo \"$BINDWATCH_COLLECTOR\" >$D/path; i=0; "
	    "until [ -e $D/done ] || [ $i -ge 300 ]; do sleep 0.05; i=$((i+1)); done' &\n"
	    "bw=$!\n"
	    "bw_wait_grep $D/path / || exit 90\n"
	    "$PY $D/send.py $D/fake \"$(cat $D/path)\" $LIB $FIX; echo \"SENDER $?\"\n"
	    "touch $D/done; wait $bw; echo \"STATUS $?\"\n"
	    "cat $D/rep\n");
	cr_assert_eq(sec_num(out, "SENDER "), 0, "%s", out);
	cr_assert_eq(sec_num(out, "SENT "), 13, "%s", out);
	cr_assert_eq(sec_num(out, "STATUS "), 0, "bindwatch survived:\n%s", out);
	pid = sec_num(out, "CAPTURED 3 PID ");
	sum = sec_summary(out);
	cr_assert_eq(sec_num(sum, "\"malformed_events\":"), 13, "%s", sum);
	cr_assert_eq(sec_num(sum, "\"refused_connections\":"), 0, "%s", sum);
	/* The one whole record, once; nothing of the broken ones. */
	snprintf(key, sizeof(key), "\"pid\":%ld,", pid);
	cr_assert_eq(bw_count_lines(out, "{\"type\":\"bind\"", key), 1,
	    "the whole record, taken once:\n%s", out);
	cr_assert_eq(bw_count_lines(out, "{\"type\":\"exit\"", key), 0, "%s", out);
	free(sum);
	/* Every line bindwatch wrote is valid JSON. */
	{
		char *cmd, *res = NULL, path[] = "/tmp/bw-sec.XXXXXX";
		int fd = mkstemp(path), status;
		FILE *f;

		cr_assert_neq(fd, -1);
		cr_assert_not_null(f = fdopen(fd, "w"));
		fputs(strstr(out, "{\"type\""), f);
		fclose(f);
		cr_assert(asprintf(&cmd, "python3 -c 'import json, sys\n"
		    "print(sum(1 for l in open(sys.argv[1], errors=\"strict\") "
		    "if json.loads(l)))' %s", path) > 0);
		cr_assert_eq(bw_sh_run(cmd, &res, NULL, &status), 0);
		unlink(path);
		cr_assert_eq(status, 0, "invalid JSON:\n%s", out);
		free(cmd);
		free(res);
	}
	free(out);
}

/*
 * BINDWATCH_LOG through a symlink (dangling, or to an existing file) is
 * refused: exit 125, one line naming BINDWATCH_LOG, the target untouched.
 * A new log is created 0600 even under umask 000, and appended to.
 */
Test(security, log_symlink_refused_new_log_0600, .timeout = 60)
{
	char *out;

	out = sec_run(
	    "ln -s $D/target $D/dangling\n"
	    "LD_PRELOAD=$LIB BINDWATCH_LOG=$D/dangling $FIX/bind_once 2>$D/e1; echo \"RC1 $?\"\n"
	    "echo \"LINES1 $(wc -l <$D/e1)\"; sed 's/^/E1 /' $D/e1\n"
	    "[ -e $D/target ] && echo TARGET created || echo TARGET absent\n"
	    "echo secret >$D/existing; ln -s $D/existing $D/link\n"
	    "LD_PRELOAD=$LIB BINDWATCH_LOG=$D/link $FIX/bind_once 2>$D/e2; echo \"RC2 $?\"\n"
	    "echo \"LINES2 $(wc -l <$D/e2)\"; sed 's/^/E2 /' $D/e2\n"
	    "echo \"EXISTING $(cat $D/existing)\"\n"
	    "(umask 000; LD_PRELOAD=$LIB BINDWATCH_LOG=$D/new.log $FIX/bind_once); echo \"RC3 $?\"\n"
	    "LD_PRELOAD=$LIB BINDWATCH_LOG=$D/new.log $FIX/bind_once; echo \"RC4 $?\"\n"
	    "echo \"MODE $(stat -c %a $D/new.log)\"\n"
	    "echo \"BINDLINES $(grep -c 'bind(' $D/new.log)\"\n");
	cr_assert_eq(sec_num(out, "RC1 "), 125, "%s", out);
	cr_assert_eq(sec_num(out, "LINES1 "), 1, "%s", out);
	cr_assert(strstr(out, "E1 bindwatch: BINDWATCH_LOG=") != NULL, "%s", out);
	cr_assert(strstr(out, "TARGET absent\n") != NULL, "followed the link:\n%s", out);
	cr_assert_eq(sec_num(out, "RC2 "), 125, "%s", out);
	cr_assert_eq(sec_num(out, "LINES2 "), 1, "%s", out);
	cr_assert(strstr(out, "E2 bindwatch: BINDWATCH_LOG=") != NULL, "%s", out);
	cr_assert(strstr(out, "EXISTING secret\n") != NULL, "%s", out);
	cr_assert_eq(sec_num(out, "RC3 "), 0, "%s", out);
	cr_assert_eq(sec_num(out, "RC4 "), 0, "%s", out);
	cr_assert(strstr(out, "MODE 600\n") != NULL, "the new log's mode:\n%s", out);
	cr_assert_eq(sec_num(out, "BINDLINES "), 2, "appended:\n%s", out);
	free(out);
}

/*
 * A program whose path (~3.8 KB: 15 directory levels) and name hold ESC,
 * BEL, CR, quotes, backslashes and invalid UTF-8, resolving a 4 KB host
 * name and a service of the same kind, then listening: the bare shim
 * (text and JSON) and the CLI (text and --json) write only printable
 * ASCII and newlines in text, and JSON that python3 parses line by line
 * (strict UTF-8) with the strings still recognisable.
 */
Test(security, hostile_strings_escaped, .timeout = 60)
{
	char *out;

	out = sec_run(
	    "C=$(printf 'c\\033[1m\\a\\r\"q\\\\\\377\\376%0234d' 0)\n"
	    "P=$D; i=0; while [ $i -lt 15 ]; do P=\"$P/$C$i\"; i=$((i+1)); done\n"
	    "mkdir -p \"$P\" || exit 91\n"
	    "EXE=\"$P/$(printf 'ev\\033]0;t\\a\\r\"\\\\\\377x')\"\n"
	    "cp $FIX/gai_walker \"$EXE\" || exit 92\n"
	    "echo \"PATHLEN ${#EXE}\"\n"
	    "H=$(printf 'h\\033[2J\\a\\r\\n\"\\\\\\377\\300%04000d' 0)\n"
	    "S=$(printf 's\\033\\a\"\\377')\n"
	    "evil() { \"$EXE\" \"$H\" \"$S\" 0; \"$EXE\" 127.0.0.1 4400 0; }\n"
	    "cd $D\n"
	    "(export LD_PRELOAD=$LIB BINDWATCH_LOG=$D/bare.txt; evil) >/dev/null 2>&1\n"
	    "(export LD_PRELOAD=$LIB BINDWATCH_LOG=$D/bare.json BINDWATCH_FORMAT=json; evil) "
	    ">/dev/null 2>&1\n"
	    "$BW -o $D/cli.txt -- \"$EXE\" \"$H\" \"$S\" 0 >/dev/null 2>&1\n"
	    "$BW -o $D/cli2.txt -- \"$EXE\" 127.0.0.1 4401 0 >/dev/null 2>&1\n"
	    "cat $D/cli2.txt >>$D/cli.txt\n"
	    "$BW --json -o $D/cli.json -- \"$EXE\" \"$H\" \"$S\" 0 >/dev/null 2>&1\n"
	    "$BW --json -o $D/cli2.json -- \"$EXE\" 127.0.0.1 4402 0 >/dev/null 2>&1\n"
	    "cat $D/cli2.json >>$D/cli.json\n"
	    "cat >$D/check.py <<'EOF'\n"
	    "import json, sys\n"
	    "kind, path = sys.argv[1:3]\n"
	    "data = open(path, 'rb').read()\n"
	    "bad = sorted(set(b for b in data if b != 10 and not 32 <= b < 127))\n"
	    "if kind == 'text':\n"
	    "    ok = not bad and b'getaddrinfo(\"h' in data and b'listen(' in data\n"
	    "    print('CHECK', path.split('/')[-1], 'OK' if ok else 'BAD %r' % bad, len(data))\n"
	    "    sys.exit(0)\n"
	    "nodes, exes, comms, n = [], [], set(), 0\n"
	    "for line in data.decode('utf-8', 'strict').splitlines():\n"
	    "    o = json.loads(line); n += 1\n"
	    "    comms.add(o.get('comm'))\n"
	    "    if o.get('type') == 'getaddrinfo': nodes.append(o['node'])\n"
	    "    if o.get('type') == 'exec': exes.append(o['exe'])\n"
	    "ok = (not any(b < 32 and b != 10 for b in data) and\n"
	    "      any(x.startswith('h\\x1b[2J\\x07\\r\\n\"\\\\') for x in nodes) and\n"
	    "      'listen' in data.decode() and\n"
	    "      any(c and c.startswith('ev\\x1b]0;t\\x07') for c in comms))\n"
	    "print('CHECK', path.split('/')[-1], 'OK' if ok else 'BAD', n,\n"
	    "      max(map(len, nodes), default=0), max(map(len, exes), default=0))\n"
	    "EOF\n"
	    "for f in bare.txt cli.txt; do $PY $D/check.py text $D/$f; done\n"
	    "for f in bare.json cli.json; do $PY $D/check.py json $D/$f || echo \"CHECK $f INVALID\"; done\n");
	cr_assert_geq(sec_num(out, "PATHLEN "), 3700, "%s", out);
	cr_assert(strstr(out, "CHECK bare.txt OK") != NULL, "%s", out);
	cr_assert(strstr(out, "CHECK cli.txt OK") != NULL, "%s", out);
	cr_assert(strstr(out, "CHECK bare.json OK") != NULL, "%s", out);
	cr_assert(strstr(out, "CHECK cli.json OK") != NULL, "%s", out);
	free(out);
}

/*
 * setuid and setcap programs run by another user: the CLI warns up front
 * (text and JSON), and no event comes from them.  Then the shim's own
 * guard, without the loader's: /etc/ld.so.preload (in an overlay of /etc,
 * in this mount namespace only) loads the shim into every program, the
 * setuid one included (its maps show it), yet it stays silent there while
 * a plain copy reports its binds.
 */
Test(security, setuid_and_setcap_targets, .timeout = 60)
{
	char *out, *sum;
	int have_setcap;

	sec_need_root();
	out = sec_run(
	    "mkdir $D/nb; chmod 777 $D/nb; cd $D/nb\n"
	    "cp $FIX/bind_once $D/suid; chown 0:0 $D/suid; chmod 4755 $D/suid\n"
	    "cp $FIX/bind_once $D/plain; chmod 755 $D/plain\n"
	    "cp $FIX/gai_walker $D/suidw; chown 0:0 $D/suidw; chmod 4755 $D/suidw\n"
	    "cp $FIX/gai_walker $D/plainw\n"
	    "if command -v setcap >/dev/null && cp $FIX/bind_once $D/cap && "
	    "setcap cap_net_bind_service+ep $D/cap; then echo SETCAP yes; else echo SETCAP no; fi\n"
	    SEC_NOBODY " $BW -o $D/nb/suid.txt -- $D/suid 2>&1; echo \"SUIDTEXT $?\"\n"
	    "sed 's/^/T /' $D/nb/suid.txt\n"
	    SEC_NOBODY " $BW --json -o $D/nb/suid.json -- $D/suid; echo \"SUIDJSON $?\"\n"
	    "echo \"SUIDSUM $(tail -n 1 $D/nb/suid.json)\"\n"
	    SEC_NOBODY " $BW --json -o $D/nb/plain.json -- $D/plain; echo \"PLAINJSON $?\"\n"
	    "echo \"PLAINSUM $(tail -n 1 $D/nb/plain.json)\"\n"
	    "if [ -e $D/cap ]; then\n"
	    SEC_NOBODY " $BW --json -o $D/nb/cap.json -- $D/cap; echo \"CAPJSON $?\"\n"
	    "echo \"CAPSUM $(tail -n 1 $D/nb/cap.json)\"\n"
	    "fi\n"
	    "mkdir $D/up $D/work\n"
	    "if mount -t overlay overlay -o lowerdir=/etc,upperdir=$D/up,workdir=$D/work /etc; then\n"
	    "	echo \"$LIB\" >/etc/ld.so.preload\n"
	    "	" SEC_NOBODY " $D/plainw 127.0.0.1 4501 2 >/dev/null 2>$D/plainw.err &\n"
	    "	bw_wait_listen 127.0.0.1:4501 && echo \"PLAINMAPS $(grep -c libbindwatch /proc/$!/maps)\"\n"
	    "	" SEC_NOBODY " $D/suidw 127.0.0.1 4502 2 >/dev/null 2>$D/suidw.err &\n"
	    "	bw_wait_listen 127.0.0.1:4502 && echo \"SUIDMAPS $(grep -c libbindwatch /proc/$!/maps)\"\n"
	    "	wait\n"
	    "	umount /etc\n"
	    "	echo \"PLAINLINES $(grep -c '^bindwatch\\[' $D/plainw.err)\"\n"
	    "	echo \"SUIDLINES $(grep -c '^bindwatch\\[' $D/suidw.err)\"\n"
	    "else echo OVERLAY no; fi\n");
	have_setcap = strstr(out, "SETCAP yes") != NULL;

	/* Text: the warning, up front; the command still ran. */
	cr_assert_eq(sec_num(out, "SUIDTEXT "), 0, "%s", out);
	cr_assert(strstr(out, "set-user/group-ID") != NULL, "no warning:\n%s", out);
	cr_assert_eq(bw_count_lines(out, "T bindwatch[", "bind("), 0, "%s", out);

	/* JSON: the warning and no event. */
	cr_assert_eq(sec_num(out, "SUIDJSON "), 0, "%s", out);
	sum = bw_find_line(out, "SUIDSUM ", NULL);
	cr_assert(strstr(sum, "{\"kind\":\"setuid\"") != NULL, "%s", sum);
	cr_assert(strstr(sum, "\"events\":0,") != NULL, "%s", sum);
	cr_assert(strstr(sum, "\"listening\":[],") != NULL, "%s", sum);
	free(sum);
	/* The control: the same program without the bit reports its binds. */
	sum = bw_find_line(out, "PLAINSUM ", NULL);
	cr_assert(strstr(sum, "\"events\":0,") == NULL, "%s", sum);
	cr_assert(strstr(sum, "\"kind\":\"setuid\"") == NULL, "%s", sum);
	free(sum);
	if (have_setcap) {
		cr_assert_eq(sec_num(out, "CAPJSON "), 0, "%s", out);
		sum = bw_find_line(out, "CAPSUM ", NULL);
		cr_assert(strstr(sum, "{\"kind\":\"setcap\"") != NULL, "%s", sum);
		cr_assert(strstr(sum, "\"events\":0,") != NULL, "%s", sum);
		free(sum);
	} else
		cr_log_warn("setcap is not installed (libcap2-bin): the setcap case was skipped");

	if (strstr(out, "OVERLAY no") != NULL) {
		cr_log_warn("no overlay mount here: the ld.so.preload case was skipped");
	} else {
		cr_assert_gt(sec_num(out, "PLAINMAPS "), 0, "%s", out);
		cr_assert_geq(sec_num(out, "PLAINLINES "), 2, "%s", out);
		/* Loaded into the setuid program, and silent there. */
		cr_assert_gt(sec_num(out, "SUIDMAPS "), 0, "%s", out);
		cr_assert_eq(sec_num(out, "SUIDLINES "), 0, "%s", out);
	}
	free(out);
}
