/*
 * Real servers under `bindwatch --json --timeout`, each in private
 * namespaces where localhost is ::1 and 127.0.0.1 (harness.h), by the
 * scenarios of tests/integration/real/ (common.sh runs them).  For each:
 * the set of addr:port the summary reports as listening equals the set
 * ss shows for the namespace (only the tree listens there) while the
 * server runs, a real request over loopback is answered, and the exit
 * status is propagated (the CLI's equals the summary's equals what the
 * server does when --timeout sends SIGTERM, or what it exits with itself).
 * The same under --loopback-only and --force 127.0.0.1 where the server
 * can be made to bind a wildcard: ss then shows exactly the rewritten
 * addresses and the loopback request is answered.
 *
 * A server that is not installed is skipped with a message (CI installs
 * them: `make deps-test`).
 */
#include "cases.h"
#include "harness.h"

/*
 * A row: the scenario (real/SCRIPT.sh) and the program it needs, whether
 * it needs root (nginx's workers switch users), the set both ss and the
 * summary must show, the exit status, a part of the answer, and the
 * variables: OPTS (bindwatch's options), WAIT (the listeners to wait for)
 * and the server's own.  Every bind of these servers succeeds, with or
 * without a policy, and no event is lost.
 */
#define REAL(name, file, prog, needs_root, set, status, answer, vars)	\
	BW_CASE(real, name, 60, .script = "real/" file ".sh",		\
	    .program = (prog), .root = (needs_root), .hosts = bw_hosts_dual, \
	    .env = (vars),						\
	    .expect = BW_LIST("nolisten=", "req=0", "response*=" answer,	\
		"ssset=" set, "sumset=" set, "status=" status,		\
		"sumstatus=" status, "lost=0 0", "failed=[]"))

/* ---- python3 -m http.server ---------------------------------------- */

REAL(python_http_v4, "python_http", "python3", 0, "127.0.0.1:8001", "143",
    "python-ok", BW_LIST("BIND=127.0.0.1", "PORT=8001",
	"URL=http://127.0.0.1:8001/", "WAIT=127.0.0.1:8001"))

REAL(python_http_v6, "python_http", "python3", 0, "[::1]:8002", "143",
    "python-ok", BW_LIST("BIND=::1", "PORT=8002",
	"URL=http://[::1]:8002/", "WAIT=[::1]:8002"))

REAL(python_http_wildcard_forced, "python_http", "python3", 0,
    "127.0.0.1:8003", "143", "python-ok",
    BW_LIST("OPTS=--force 127.0.0.1", "BIND=0.0.0.0", "PORT=8003",
	"URL=http://127.0.0.1:8003/", "WAIT=127.0.0.1:8003"))

REAL(python_http_wildcard_loopback_only, "python_http", "python3", 0,
    "127.0.0.1:8004", "143", "python-ok",
    BW_LIST("OPTS=--loopback-only", "BIND=0.0.0.0", "PORT=8004",
	"URL=http://127.0.0.1:8004/", "WAIT=127.0.0.1:8004"))

/* http.server on [::] is dual-stack; forced, it is ::ffff:127.0.0.1 only. */
REAL(python_http_dualstack_forced, "python_http", "python3", 0,
    "[::ffff:127.0.0.1]:8005", "143", "python-ok",
    BW_LIST("OPTS=--force 127.0.0.1", "BIND=::", "PORT=8005",
	"URL=http://127.0.0.1:8005/", "WAIT=[::ffff:127.0.0.1]:8005"))

/* ---- Perl IO::Socket::IP on localhost: serves once, exits 7 ---------- */

REAL(perl_io_socket_ip, "perl_io_socket_ip", "perl", 0, "[::1]:3000", "7",
    "perl-ok", BW_LIST("WAIT=[::1]:3000"))

/* ---- nginx: master and 2 workers, root in the namespace -------------- */

REAL(nginx_localhost, "nginx", "nginx", 1, "127.0.0.1:8080 [::1]:8080", "0",
    "nginx-ok", BW_LIST("DAEMON=off", "LISTEN=listen localhost:8080;",
	"URLS=http://127.0.0.1:8080/ http://[::1]:8080/", "PROCS=3",
	"WAIT=127.0.0.1:8080 [::1]:8080"))

/* daemon on: the master forks away from the command; bindwatch follows. */
REAL(nginx_daemon, "nginx", "nginx", 1, "127.0.0.1:8081 [::1]:8081", "0",
    "nginx-ok", BW_LIST("DAEMON=on", "LISTEN=listen localhost:8081;",
	"URLS=http://127.0.0.1:8081/ http://[::1]:8081/", "PROCS=3",
	"WAIT=127.0.0.1:8081 [::1]:8081"))

/* listen 80; listen [::]:80; forced: one socket, the second an alias. */
REAL(nginx_wildcards_forced, "nginx", "nginx", 1, "127.0.0.1:8082", "0",
    "nginx-ok", BW_LIST("OPTS=--force 127.0.0.1", "DAEMON=off",
	"LISTEN=listen 8082; listen [::]:8082;",
	"URLS=http://127.0.0.1:8082/", "WAIT=127.0.0.1:8082"))

REAL(nginx_wildcards_loopback_only, "nginx", "nginx", 1,
    "127.0.0.1:8083 [::1]:8083", "0", "nginx-ok",
    BW_LIST("OPTS=--loopback-only", "DAEMON=on",
	"LISTEN=listen 8083; listen [::]:8083;",
	"URLS=http://127.0.0.1:8083/ http://[::1]:8083/",
	"WAIT=127.0.0.1:8083 [::1]:8083"))

/* ---- redis-server --daemonize yes: double fork, closes descriptors --- */

REAL(redis_daemonized, "redis", "redis-server", 0, "127.0.0.1:6379", "0",
    "+PONG", BW_LIST("BIND=127.0.0.1", "PORT=6379", "WAIT=127.0.0.1:6379"))

REAL(redis_wildcard_loopback_only, "redis", "redis-server", 0,
    "127.0.0.1:6380", "0", "+PONG",
    BW_LIST("OPTS=--loopback-only", "BIND=0.0.0.0", "PORT=6380",
	"WAIT=127.0.0.1:6380"))

REAL(redis_wildcard_forced, "redis", "redis-server", 0, "127.0.0.1:6381", "0",
    "+PONG", BW_LIST("OPTS=--force 127.0.0.1", "BIND=0.0.0.0", "PORT=6381",
	"WAIT=127.0.0.1:6381"))

/* ---- memcached -l localhost ------------------------------------------ */

REAL(memcached_localhost, "memcached", "memcached", 0,
    "127.0.0.1:11211 [::1]:11211", "0", "VERSION ",
    BW_LIST("L=localhost", "PORT=11211", "HOSTS=127.0.0.1 ::1",
	"WAIT=127.0.0.1:11211 [::1]:11211"))

REAL(memcached_wildcard_loopback_only, "memcached", "memcached", 0,
    "127.0.0.1:11212", "0", "VERSION ",
    BW_LIST("OPTS=--loopback-only", "L=0.0.0.0", "PORT=11212",
	"HOSTS=127.0.0.1", "WAIT=127.0.0.1:11212"))

REAL(memcached_wildcard_forced, "memcached", "memcached", 0,
    "127.0.0.1:11213", "0", "VERSION ",
    BW_LIST("OPTS=--force 127.0.0.1", "L=0.0.0.0", "PORT=11213",
	"HOSTS=127.0.0.1", "WAIT=127.0.0.1:11213"))

/*
 * -l localhost binds [::1] first, then 127.0.0.1.  Forced to 127.0.0.1, the
 * first becomes ::ffff:127.0.0.1 (v6only cleared) and the second asks for
 * what is now the same endpoint: as with nginx above, it must become an
 * alias of the first, not fail with EADDRINUSE (memcached tolerates the
 * failure; a stricter server would not start).
 */
REAL(memcached_localhost_forced, "memcached", "memcached", 0,
    "[::ffff:127.0.0.1]:11214", "0", "VERSION ",
    BW_LIST("OPTS=--force 127.0.0.1", "L=localhost", "PORT=11214",
	"HOSTS=127.0.0.1", "WAIT=[::ffff:127.0.0.1]:11214"))

/* ---- Node.js http.createServer().listen() ---------------------------- */

REAL(node_localhost, "node", "node", 0, "[::1]:3001", "143", "node-ok",
    BW_LIST("LISTEN=3001, \"localhost\"", "URL=http://[::1]:3001/",
	"WAIT=[::1]:3001"))

/* listen(PORT) binds [::] (dual-stack); loopback-only confines it to lo:
 * IPv4 still answers, nothing from the network. */
REAL(node_wildcard_loopback_only, "node", "node", 0, "[::]%lo:3002", "143",
    "node-ok", BW_LIST("OPTS=--loopback-only", "LISTEN=3002",
	"URL=http://127.0.0.1:3002/", "WAIT=*%lo:3002"))

REAL(node_wildcard_forced, "node", "node", 0, "[::ffff:127.0.0.1]:3003",
    "143", "node-ok", BW_LIST("OPTS=--force 127.0.0.1", "LISTEN=3003",
	"URL=http://127.0.0.1:3003/", "WAIT=[::ffff:127.0.0.1]:3003"))
