/*
 * Faults: the collector stalls or dies, the target runs at its descriptor
 * limit, threads bind while another thread forks, signal handlers bind.
 * Whatever happens to bindwatch, the target is never crashed, blocked for
 * long or changed; whatever does not reach bindwatch is counted, never
 * silently dropped and never faked.  Each scenario (tests/integration/
 * faults/) in private namespaces (harness.h); no assertion on timing
 * beyond generous bounds that keep a hang from passing (the figures are
 * printed).  The rows say what the key=value lines must be (cases.h).
 */
#include "cases.h"
#include "harness.h"

#define FAULT(name, secs, ...)						\
	BW_CASE(faults, name, secs, .script = "faults/" #name ".sh",	\
	    .hosts = bw_hosts_dual, __VA_ARGS__)

/*
 * The ring holds far fewer than 10,000 records: some were dropped (got <
 * 10000), counted and not silently (lost > 0, and exactly the rest).
 */
#define STALL_EXPECT(tail)						\
	"status=0",							\
	"binds~BINDS 10000 EADDRINUSE 10000 MS *",			\
	"ms<20000",							\
	"tail=" tail,							\
	"malformed=0",							\
	"got>0",							\
	"got<10000",							\
	"lost>0",							\
	"unaccounted=0",						\
	"processes=1"

/* Nothing arrives after the drops: only the shim knows how many it dropped. */
BW_CASE(faults, collector_stall, 90,
    .script = "faults/collector_stall.sh",
    .hosts = bw_hosts_dual,
    .expect = BW_LIST(STALL_EXPECT("0")))

/* A record after the stall: the gap in its sequence numbers is the loss. */
BW_CASE(faults, collector_stall_then_more_events, 90,
    .script = "faults/collector_stall.sh",
    .hosts = bw_hosts_dual,
    .env = BW_LIST("TAIL=1"),
    .expect = BW_LIST(STALL_EXPECT("1")))

FAULT(collector_killed, 90,
    .expect = BW_LIST("before=served 1",
	"bw_status=137",
	/* served after bindwatch was killed */
	"after=served 2",
	"rebind~REBIND OK MS *",
	"rebind_ms<20000",
	/* errno kept */
	"errno0>0",
	"again=served 3",
	"bye>0",
	"exit=EXIT 0"))

FAULT(descriptor_limit, 60,
    .expect = BW_LIST("bare=0",
	"shim=0",
	"a_emfile=2",
	"b_emfile=2",
	"b_bind=2",
	"calls=yes",
	"lost>=0",
	"malformed=0",
	"ports=4",
	"missing=",
	"listening<=4"))

FAULT(threads_bind_while_forking, 60,
    .expect = BW_LIST("status=0",
	"done=1",
	"lost=0",
	"malformed=0",
	"children=16",
	"children_ok=16"))

/* 3,000 rounds in main, the timer's at least once, none vanished. */
FAULT(signal_handlers_bind, 60,
    .expect = BW_LIST("status=0",
	"main_binds=3000",
	"handler_binds>0",
	"lost=0",
	"malformed=0",
	"vanished=0"))
