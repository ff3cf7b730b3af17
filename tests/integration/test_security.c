/*
 * Hostile input and security: other users cannot reach the collector,
 * malformed records are counted and never believed, BINDWATCH_LOG never
 * follows a symlink, untrusted strings come out escaped, and nothing of
 * the shim runs in setuid/setcap programs.  Each scenario (tests/
 * integration/security/) in private namespaces (harness.h), as root
 * there: a second uid (nobody, 65534) plays the other user.  They use
 * $BW and $LIB only, so they run as they are against the sanitizer build
 * (BW_BUILD=build/san).  The rows say what the key=value lines must be
 * (cases.h).
 */
#include "cases.h"
#include "harness.h"

#define SECURITY(name, ...)						\
	BW_CASE(security, name, 60, .script = "security/" #name ".sh",	\
	    .hosts = bw_hosts_dual, __VA_ARGS__)

SECURITY(other_uid_cannot_inject,
    .root = 1,
    .expect = BW_LIST("dir=700 0",
	/* EACCES or EPERM: another uid did not connect */
	"nobody1_refused=yes",
	/* the other user's program is not disturbed by the shim's refusal */
	"inject1=bound",
	"inject1_rc=0",
	"inject2=bound",
	"inject2_rc=0",
	/* opened up: accepted by the kernel, then dropped */
	"nobody2~CONNECT*",
	"nobody2_data=0",
	"status=0",
	/* nothing of theirs in the report; the tree's own listener is */
	"believed=0",
	"listen>0",
	"malformed=0",
	"lost=0",
	"refused=2"))

SECURITY(malformed_records_are_counted,
    .expect = BW_LIST("sender=0",
	/* exec, bind, listen, and the close of its listener */
	"captured=4",
	"sent=13",
	/* bindwatch survived */
	"status=0",
	"malformed=13",
	"refused=0",
	"taken=1",
	"exits=0"))

SECURITY(log_symlink_refused_new_log_0600,
    .expect = BW_LIST("rc1=125",
	"lines1=1",
	"e1~bindwatch: BINDWATCH_LOG=*",
	/* the link was not followed */
	"target=absent",
	"rc2=125",
	"lines2=1",
	"e2~bindwatch: BINDWATCH_LOG=*",
	"existing=secret",
	"rc3=0",
	"rc4=0",
	"mode=600",
	/* appended */
	"bindlines=2"))

SECURITY(hostile_strings_escaped,
    .expect = BW_LIST("pathlen>=3700",
	"bare_txt~OK *",
	"cli_txt~OK *",
	"bare_json~OK *",
	"cli_json~OK *"))

SECURITY(setuid_and_setcap_targets,
    .root = 1,
    .expect = BW_LIST("suidtext=0",
	"warned>0",
	"suid_binds=0",
	"suidjson=0",
	"suidsum*={\"kind\":\"setuid\"",
	"suidsum*=\"events\":0,",
	"suidsum*=\"listening\":[],",
	/* the control: the same program without the bit reports its binds */
	"plainjson=0",
	"plain_no_events=0",
	"plain_setuid=0",
	"setcap?capjson=0",
	"setcap?capsum*={\"kind\":\"setcap\"",
	"setcap?capsum*=\"events\":0,",
	"overlay?plainmaps>0",
	"overlay?plainlines>=2",
	/* loaded into the setuid program, and silent there */
	"overlay?suidmaps>0",
	"overlay?suidlines=0"))
