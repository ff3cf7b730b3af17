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

/*
 * The matrix (real/matrix.sh): each server bare and under bindwatch with
 * the same arguments.  Both runs must listen on the same set (ss) and
 * answer the same request; under a policy, the bare run shows what the
 * server asked for and the run under bindwatch what the policy made of
 * it, checked from the network's side too (NET: a veth pair; nothing
 * answers at 198.18.0.1 while loopback does).  The story (HOLD): a
 * process outside the run holds [::1]:PORT and the server binds
 * localhost.
 */
#define MATRIX(name, file, prog, set, bareset, status, req, answer, vars, ...) \
	BW_CASE(real, name, 60, .script = "real/" file ".sh",		\
	    .program = (prog), .root = 1, .hosts = bw_hosts_dual,	\
	    .env = (vars),						\
	    .expect = BW_LIST("bare_nolisten=", "bare_req=" req,	\
		"bare_response*=" answer, "bare_ssset=" bareset,	\
		"bare_status=" status, "nolisten=", "req=" req,		\
		"response*=" answer, "ssset=" set, "sumset=" set,	\
		"status=" status, "sumstatus=" status, "lost=0 0",	\
		"unseen=0", __VA_ARGS__))

/* Under a policy: lo= and net= from both sides of the veth pair. */
#define NET_LO4		"lo=open ConnectionRefusedError"
#define NET_LO46	"lo=open open"
#define NET_SHUT	"net=ConnectionRefusedError"

/* ---- lighttpd -D ----------------------------------------------------- */

MATRIX(lighttpd_plain, "lighttpd", "lighttpd", "127.0.0.1:8400",
    "127.0.0.1:8400", "0", "0", "lighttpd-ok",
    BW_LIST("BIND=127.0.0.1", "PORT=8400",
	"URL=http://127.0.0.1:8400/index.html", "WAIT=127.0.0.1:8400"),
    "failed=[]", "split=none")

/* server.bind "localhost" takes IPv4 only: beside a holder of [::1],
 * nothing fails and the port is split. */
MATRIX(lighttpd_story, "lighttpd", "lighttpd", "127.0.0.1:8401",
    "127.0.0.1:8401", "0", "0", "lighttpd-ok",
    BW_LIST("BIND=localhost", "PORT=8401", "HOLD=1",
	"URL=http://127.0.0.1:8401/index.html", "WAIT=127.0.0.1:8401"),
    "failed=[]", "split=held,run")

MATRIX(lighttpd_loopback_only, "lighttpd", "lighttpd",
    "127.0.0.1:8402 [::1]:8402", "0.0.0.0:8402 [::]:8402", "0", "0", "lighttpd-ok",
    BW_LIST("OPTS=--loopback-only", "BIND=0.0.0.0", "V6=1", "PORT=8402",
	"NET=1", "URL=http://[::1]:8402/index.html",
	"WAIT=127.0.0.1:8402 [::1]:8402", "BARE_WAIT=0.0.0.0:8402 [::]:8402"),
    "failed=[]", "bare_net=open", "lo=open open", NET_SHUT)

/* [::] binds first: forced, it is ::ffff:127.0.0.1 (v6only cleared), and
 * 0.0.0.0, forced to the same endpoint, an alias of it. */
MATRIX(lighttpd_forced, "lighttpd", "lighttpd", "[::ffff:127.0.0.1]:8403",
    "0.0.0.0:8403 [::]:8403", "0", "0", "lighttpd-ok",
    BW_LIST("OPTS=--force 127.0.0.1", "BIND=0.0.0.0", "V6=1", "PORT=8403",
	"NET=1", "URL=http://127.0.0.1:8403/index.html",
	"WAIT=[::ffff:127.0.0.1]:8403", "BARE_WAIT=0.0.0.0:8403 [::]:8403"),
    "failed=[]", "bare_net=open", NET_LO4, NET_SHUT)

/* ---- haproxy -db ----------------------------------------------------- */

MATRIX(haproxy_plain, "haproxy", "haproxy", "127.0.0.1:8410",
    "127.0.0.1:8410", "143", "0", "haproxy-ok",
    BW_LIST("BIND=127.0.0.1:8410", "PORT=8410", "URL=http://127.0.0.1:8410/",
	"WAIT=127.0.0.1:8410"),
    "failed=[]", "split=none")

/* bind localhost:P takes the first address only: [::1] is held, haproxy
 * exits 1 bare and under bindwatch, which names the holder. */
MATRIX(haproxy_story, "haproxy", "haproxy", "", "", "1", "7",
    "Failed to connect", BW_LIST("BIND=localhost:8411", "PORT=8411", "HOLD=1",
	"URL=http://127.0.0.1:8411/", "WAIT=", "BARE_EXITS=1"),
    "failed=[\"::1:8411 EADDRINUSE\"]", "hold=yes")

MATRIX(haproxy_loopback_only, "haproxy", "haproxy",
    "127.0.0.1:8412 [::1]:8412", "0.0.0.0:8412 [::]:8412", "143", "0",
    "haproxy-ok", BW_LIST("OPTS=--loopback-only", "BIND=:8412",
	"EXTRA=:::8412 v6only", "PORT=8412", "NET=1",
	"URL=http://[::1]:8412/", "WAIT=127.0.0.1:8412 [::1]:8412",
	"BARE_WAIT=0.0.0.0:8412 [::]:8412"),
    "failed=[]", "bare_net=open", NET_LO46, NET_SHUT)

/* haproxy sets SO_REUSEPORT: [::] (v6only), forced to ::ffff:127.0.0.1,
 * binds beside 127.0.0.1 instead of becoming an alias; one process. */
MATRIX(haproxy_forced, "haproxy", "haproxy",
    "127.0.0.1:8413 [::ffff:127.0.0.1]:8413",
    "0.0.0.0:8413 [::]:8413", "143", "0", "haproxy-ok",
    BW_LIST("OPTS=--force 127.0.0.1", "BIND=:8413", "EXTRA=:::8413 v6only",
	"PORT=8413", "NET=1", "URL=http://127.0.0.1:8413/",
	"WAIT=127.0.0.1:8413", "BARE_WAIT=0.0.0.0:8413 [::]:8413"),
    "failed=[]", "bare_net=open", NET_LO4, NET_SHUT)

/* ---- php -S ---------------------------------------------------------- */

MATRIX(php_plain, "php_builtin", "php", "127.0.0.1:8420", "127.0.0.1:8420",
    "143", "0", "php-ok",
    BW_LIST("ADDR=127.0.0.1", "PORT=8420", "URL=http://127.0.0.1:8420/",
	"WAIT=127.0.0.1:8420"),
    "failed=[]", "split=none")

/* localhost: the first address only; [::1] held: exit 1, holder named. */
MATRIX(php_story, "php_builtin", "php", "", "", "1", "7", "Failed to connect",
    BW_LIST("ADDR=localhost", "PORT=8421", "HOLD=1",
	"URL=http://127.0.0.1:8421/", "WAIT=", "BARE_EXITS=1"),
    "failed=[\"::1:8421 EADDRINUSE\"]", "hold=yes")

/* [::] is dual-stack: confined to lo, both families still answer. */
MATRIX(php_loopback_only, "php_builtin", "php", "[::]%lo:8422", "[::]:8422",
    "143", "0", "php-ok",
    BW_LIST("OPTS=--loopback-only", "ADDR=[::]", "PORT=8422", "NET=1",
	"URL=http://127.0.0.1:8422/", "WAIT=*%lo:8422", "BARE_WAIT=*:8422"),
    "failed=[]", "bare_net=open", NET_LO46, NET_SHUT)

MATRIX(php_forced, "php_builtin", "php", "127.0.0.1:8423", "0.0.0.0:8423",
    "143", "0", "php-ok",
    BW_LIST("OPTS=--force 127.0.0.1", "ADDR=0.0.0.0", "PORT=8423", "NET=1",
	"URL=http://127.0.0.1:8423/", "WAIT=127.0.0.1:8423",
	"BARE_WAIT=0.0.0.0:8423"),
    "failed=[]", "bare_net=open", NET_LO4, NET_SHUT)

/* ---- dnsmasq -k: UDP and TCP ----------------------------------------- */

MATRIX(dnsmasq_plain, "dnsmasq", "dnsmasq", "127.0.0.1:8430",
    "127.0.0.1:8430", "0", "0", "192.0.2.7",
    BW_LIST("LISTEN=--listen-address=127.0.0.1 --bind-interfaces",
	"PORT=8430", "SERVER=127.0.0.1", "WAIT=127.0.0.1:8430"),
    "failed=[]", "bare_udpset=127.0.0.1:8430", "udpset=127.0.0.1:8430",
    "sumudp=127.0.0.1:8430")

/* No address: 0.0.0.0 and [::] (v6only), UDP and TCP, reachable from the
 * network bare; under the policy, loopback's two, UDP as TCP. */
MATRIX(dnsmasq_loopback_only, "dnsmasq", "dnsmasq",
    "127.0.0.1:8431 [::1]:8431", "0.0.0.0:8431 [::]:8431", "0", "0",
    "192.0.2.7", BW_LIST("OPTS=--loopback-only", "PORT=8431", "NET=1",
	"SERVER=::1", "WAIT=127.0.0.1:8431 [::1]:8431",
	"BARE_WAIT=0.0.0.0:8431 [::]:8431"),
    "failed=[]", "bare_udpset=0.0.0.0:8431 [::]:8431",
    "udpset=127.0.0.1:8431 [::1]:8431", "sumudp=127.0.0.1:8431 [::1]:8431",
    "bare_net=open", NET_LO46, NET_SHUT)

/* TCP: [::] an alias of 127.0.0.1; UDP (SO_REUSEADDR): both bind. */
MATRIX(dnsmasq_forced, "dnsmasq", "dnsmasq", "127.0.0.1:8432",
    "0.0.0.0:8432 [::]:8432", "0", "0", "192.0.2.7",
    BW_LIST("OPTS=--force 127.0.0.1", "PORT=8432", "NET=1",
	"SERVER=127.0.0.1", "WAIT=127.0.0.1:8432",
	"BARE_WAIT=0.0.0.0:8432 [::]:8432"),
    "failed=[]", "bare_udpset=0.0.0.0:8432 [::]:8432",
    "udpset=127.0.0.1:8432 [::ffff:127.0.0.1]:8432", "bare_net=open",
    NET_LO4, NET_SHUT)

/* ---- gunicorn -w 2: the master binds, forked workers accept ----------- */

MATRIX(gunicorn_plain, "gunicorn", "gunicorn", "127.0.0.1:8440",
    "127.0.0.1:8440", "0", "0", "gunicorn-ok",
    BW_LIST("BIND=127.0.0.1:8440", "PORT=8440", "URL=http://127.0.0.1:8440/",
	"WAIT=127.0.0.1:8440"),
    "failed=[]", "split=none")

/* -b localhost binds 127.0.0.1 only: beside a holder of [::1], split; the
 * master and both workers hold 127.0.0.1 (the kernel's view). */
MATRIX(gunicorn_story, "gunicorn", "gunicorn", "127.0.0.1:8441",
    "127.0.0.1:8441", "0", "0", "gunicorn-ok",
    BW_LIST("BIND=localhost:8441", "PORT=8441", "HOLD=1",
	"URL=http://127.0.0.1:8441/", "WAIT=127.0.0.1:8441"),
    "failed=[]", "split=held,run+run+run")

MATRIX(gunicorn_loopback_only, "gunicorn", "gunicorn", "127.0.0.1:8442",
    "0.0.0.0:8442", "0", "0", "gunicorn-ok",
    BW_LIST("OPTS=--loopback-only", "BIND=0.0.0.0:8442", "PORT=8442", "NET=1",
	"URL=http://127.0.0.1:8442/", "WAIT=127.0.0.1:8442",
	"BARE_WAIT=0.0.0.0:8442"),
    "failed=[]", "bare_net=open", NET_LO4, NET_SHUT)

MATRIX(gunicorn_forced, "gunicorn", "gunicorn", "127.0.0.1:8443",
    "0.0.0.0:8443", "0", "0", "gunicorn-ok",
    BW_LIST("OPTS=--force 127.0.0.1", "BIND=0.0.0.0:8443", "PORT=8443",
	"NET=1", "URL=http://127.0.0.1:8443/", "WAIT=127.0.0.1:8443",
	"BARE_WAIT=0.0.0.0:8443"),
    "failed=[]", "bare_net=open", NET_LO4, NET_SHUT)

/* ---- PostgreSQL ------------------------------------------------------- */

MATRIX(postgres_plain, "postgres", "psql", "127.0.0.1:8450",
    "127.0.0.1:8450", "0", "0", "postgres-ok",
    BW_LIST("LISTEN=127.0.0.1", "PORT=8450", "HOST=127.0.0.1",
	"WAIT=127.0.0.1:8450"),
    "failed=[]", "split=none")

/* listen_addresses=localhost binds both; [::1] held: PostgreSQL warns and
 * serves 127.0.0.1, bare as under bindwatch, which names the holder. */
MATRIX(postgres_story, "postgres", "psql", "127.0.0.1:8451",
    "127.0.0.1:8451", "0", "0", "postgres-ok",
    BW_LIST("LISTEN=localhost", "PORT=8451", "HOLD=1", "HOST=127.0.0.1",
	"WAIT=127.0.0.1:8451"),
    "failed=[\"::1:8451 EADDRINUSE\"]", "hold=yes", "split=held,run")

MATRIX(postgres_loopback_only, "postgres", "psql",
    "127.0.0.1:8452 [::1]:8452", "0.0.0.0:8452 [::]:8452", "0", "0",
    "postgres-ok", BW_LIST("OPTS=--loopback-only", "LISTEN=*", "PORT=8452",
	"NET=1", "HOST=::1", "WAIT=127.0.0.1:8452 [::1]:8452",
	"BARE_WAIT=0.0.0.0:8452 [::]:8452"),
    "failed=[]", "bare_net=open", NET_LO46, NET_SHUT)

MATRIX(postgres_forced, "postgres", "psql", "127.0.0.1:8453",
    "0.0.0.0:8453 [::]:8453", "0", "0", "postgres-ok",
    BW_LIST("OPTS=--force 127.0.0.1", "LISTEN=*", "PORT=8453", "NET=1",
	"HOST=127.0.0.1", "WAIT=127.0.0.1:8453",
	"BARE_WAIT=0.0.0.0:8453 [::]:8453"),
    "failed=[]", "bare_net=open", NET_LO4, NET_SHUT)

/* ---- OpenSSH sshd -D --------------------------------------------------- */

MATRIX(sshd_plain, "sshd", "sshd", "127.0.0.1:8460", "127.0.0.1:8460",
    "0", "0", "ssh-ed25519",
    BW_LIST("LISTEN=127.0.0.1", "PORT=8460", "HOST=127.0.0.1",
	"WAIT=127.0.0.1:8460"),
    "failed=[]", "split=none")

/* ListenAddress localhost binds both; [::1] held: sshd logs it and
 * serves 127.0.0.1. */
MATRIX(sshd_story, "sshd", "sshd", "127.0.0.1:8461", "127.0.0.1:8461",
    "0", "0", "ssh-ed25519",
    BW_LIST("LISTEN=localhost", "PORT=8461", "HOLD=1", "HOST=127.0.0.1",
	"WAIT=127.0.0.1:8461"),
    "failed=[\"::1:8461 EADDRINUSE\"]", "hold=yes", "split=held,run")

MATRIX(sshd_loopback_only, "sshd", "sshd", "127.0.0.1:8462 [::1]:8462",
    "0.0.0.0:8462 [::]:8462", "0", "0", "ssh-ed25519",
    BW_LIST("OPTS=--loopback-only", "LISTEN=0.0.0.0", "LISTEN2=::",
	"PORT=8462", "NET=1", "HOST=::1", "WAIT=127.0.0.1:8462 [::1]:8462",
	"BARE_WAIT=0.0.0.0:8462 [::]:8462"),
    "failed=[]", "bare_net=open", NET_LO46, NET_SHUT)

/* As lighttpd: [::] first, 0.0.0.0 an alias of it. */
MATRIX(sshd_forced, "sshd", "sshd", "[::ffff:127.0.0.1]:8463",
    "0.0.0.0:8463 [::]:8463", "0", "0", "ssh-ed25519",
    BW_LIST("OPTS=--force 127.0.0.1", "LISTEN=0.0.0.0", "LISTEN2=::",
	"PORT=8463", "NET=1", "HOST=127.0.0.1", "WAIT=[::ffff:127.0.0.1]:8463",
	"BARE_WAIT=0.0.0.0:8463 [::]:8463"),
    "failed=[]", "bare_net=open", NET_LO4, NET_SHUT)

/* ---- rsync --daemon: binds 0.0.0.0 and [::], listens after ------------ */

MATRIX(rsync_plain, "rsync_daemon", "rsync", "127.0.0.1:8470",
    "127.0.0.1:8470", "0", "0", "rsync-ok",
    BW_LIST("ADDRESS=127.0.0.1", "PORT=8470", "HOST=127.0.0.1",
	"WAIT=127.0.0.1:8470"),
    "failed=[]", "split=none")

/* --address localhost: rsync binds what it resolves; [::1] is held. */
MATRIX(rsync_story, "rsync_daemon", "rsync", "127.0.0.1:8473",
    "127.0.0.1:8473", "0", "0", "rsync-ok",
    BW_LIST("ADDRESS=localhost", "PORT=8473", "HOLD=1", "HOST=127.0.0.1",
	"WAIT=127.0.0.1:8473"),
    "failed=[\"::1:8473 EADDRINUSE\"]", "hold=yes", "split=held,run")

MATRIX(rsync_loopback_only, "rsync_daemon", "rsync",
    "127.0.0.1:8471 [::1]:8471", "0.0.0.0:8471 [::]:8471", "0", "0",
    "rsync-ok", BW_LIST("OPTS=--loopback-only", "PORT=8471", "NET=1",
	"HOST=[::1]", "WAIT=127.0.0.1:8471 [::1]:8471",
	"BARE_WAIT=0.0.0.0:8471 [::]:8471"),
    "failed=[]", "bare_net=open", NET_LO46, NET_SHUT)

/*
 * --force: rsync binds 0.0.0.0 and [::] first, both forced to one
 * endpoint, and listens after: the second socket becomes an alias of the
 * first at its listen (issue 13, item 1), and rsync serves.
 */
MATRIX(rsync_forced, "rsync_daemon", "rsync", "127.0.0.1:8472",
    "0.0.0.0:8472 [::]:8472", "0", "0", "rsync-ok",
    BW_LIST("OPTS=--force 127.0.0.1", "PORT=8472", "NET=1",
	"HOST=127.0.0.1", "WAIT=127.0.0.1:8472",
	"BARE_WAIT=0.0.0.0:8472 [::]:8472"),
    "failed=[]", "bare_net=open", NET_LO4, NET_SHUT)

/*
 * apache2, prefork: it sends SIGTERM to its whole process group when it
 * stops.  The bare run is started with setsid (BARE_WRAP); the run under
 * bindwatch is not: the command has a group of its own (issue 13, item
 * 10), and the scenario's shell lives on.  `Listen P` is a dual-stack
 * [::]: under --loopback-only confined to lo, both families answer;
 * forced, ::ffff:127.0.0.1.
 */
MATRIX(apache2_plain, "apache2", "apache2", "127.0.0.1:8480",
    "127.0.0.1:8480", "0", "0", "apache2-ok",
    BW_LIST("BARE_WRAP=setsid", "LISTEN=127.0.0.1:8480", "PORT=8480",
	"URL=http://127.0.0.1:8480/", "WAIT=127.0.0.1:8480"),
    "failed=[]", "split=none")

MATRIX(apache2_loopback_only, "apache2", "apache2", "[::]%lo:8481",
    "[::]:8481", "0", "0", "apache2-ok",
    BW_LIST("BARE_WRAP=setsid", "OPTS=--loopback-only", "LISTEN=8481",
	"PORT=8481", "NET=1", "URL=http://[::1]:8481/", "WAIT=*%lo:8481",
	"BARE_WAIT=*:8481"),
    "failed=[]", "bare_net=open", NET_LO46, NET_SHUT)

MATRIX(apache2_forced, "apache2", "apache2", "[::ffff:127.0.0.1]:8482",
    "[::]:8482", "0", "0", "apache2-ok",
    BW_LIST("BARE_WRAP=setsid", "OPTS=--force 127.0.0.1", "LISTEN=8482",
	"PORT=8482", "NET=1", "URL=http://127.0.0.1:8482/",
	"WAIT=[::ffff:127.0.0.1]:8482", "BARE_WAIT=*:8482"),
    "failed=[]", "bare_net=open", NET_LO4, NET_SHUT)
