/*
 * tsan_ring: the shim's pure parts under ThreadSanitizer (make tsan).
 *
 *  - NPROD producer threads put records of varying sizes into one small
 *    ring (shim/core/ring.c), so it wraps and fills all the time, while one
 *    consumer drains it with the doorbell handshake the CLI uses (arm,
 *    look again, sleep on an eventfd the producers ring).  Every record
 *    is checked: producer, sequence (per-producer FIFO), every byte.
 *    A sleep that ends by timeout while a record was there counts as a
 *    missed doorbell.
 *  - At the same time NCODEC threads encode, decode and format (text and
 *    JSON) a set of shared events and compare with what the main thread
 *    computed alone: no hidden shared state in event.c, format.c,
 *    escape.c, addr.c, names.c, buf.c.
 *
 * Exit 0 and "tsan_ring: OK ..." when every check held (a TSan report
 * with halt_on_error=1 exits 66 before that).
 */
#include <sys/eventfd.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event.h"
#include "format.h"
#include "ring.h"

#define NPROD		16
#define NREC		20000		/* per producer */
#define NCODEC		6
#define CODEC_ROUNDS	400
#define RING_DATA	(64 * 1024)	/* small: it wraps and fills */
#define MAXREC		600
#define MISS_MS		5000		/* a doorbell later than this is missed */

struct hdr {
	uint32_t	producer;
	uint32_t	seq;
};

static void *ring;
static uint32_t ring_size;
static int bell_fd;
static atomic_int failed;
static atomic_ulong full_retries, bells;

static void	fail(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Count a failed check; say the first few. */
static void
fail(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	if (atomic_fetch_add(&failed, 1) >= 10)
		return;
	va_start(ap, fmt);
	// NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): false positive of clang 14's analyzer, ap is started above
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "tsan_ring: %s\n", line);
}

static uint8_t
pattern(uint32_t producer, uint32_t seq, size_t i)
{
	return (uint8_t)(producer * 131u + seq * 7u + (uint32_t)i);
}

static uint32_t
rec_len(uint32_t producer, uint32_t seq)
{
	/* 8..MAXREC-1 bytes, every alignment. */
	return (uint32_t)sizeof(struct hdr) + (producer * 37u + seq * 13u) %
	    (MAXREC - sizeof(struct hdr));
}

static void
doorbell(void)
{
	uint64_t one = 1;

	atomic_fetch_add(&bells, 1);
	if (write(bell_fd, &one, sizeof(one)) != sizeof(one))
		fail("doorbell write failed (errno %d)", errno);
}

static void *
producer(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, seq, len;
	uint8_t rec[MAXREC];
	struct hdr h;
	size_t i;
	int bell;

	for (seq = 0; seq < NREC; seq++) {
		len = rec_len(id, seq);
		h.producer = id;
		h.seq = seq;
		memcpy(rec, &h, sizeof(h));
		for (i = sizeof(h); i < len; i++)
			rec[i] = pattern(id, seq, i);
		while (bw_ring_put(ring, rec, len, &bell) == -1) {
			/* Full: the consumer is behind. */
			atomic_fetch_add(&full_retries, 1);
			if (bell)
				doorbell();
			sched_yield();
		}
		if (bell)
			doorbell();
	}
	return NULL;
}

static void *
consumer(void *arg)
{
	uint32_t next[NPROD] = { 0 }, len;
	unsigned long total = 0, want = (unsigned long)NPROD * NREC, missed = 0;
	uint8_t rec[MAXREC + 64];
	struct pollfd pfd = { .events = POLLIN };
	uint64_t v;
	struct hdr h;
	size_t i;
	int r;

	(void)arg;
	pfd.fd = bell_fd;
	while (total < want) {
		r = bw_ring_get(ring, ring_size, rec, sizeof(rec), &len);
		if (r == -1) {
			fail("ring corrupt after %lu records", total);
			return NULL;
		}
		if (r == 0) {
			/* The CLI's handshake: arm, look once more, sleep. */
			bw_ring_arm(ring);
			r = bw_ring_get(ring, ring_size, rec, sizeof(rec), &len);
			if (r == 0) {
				int n = poll(&pfd, 1, MISS_MS);

				if (n == 1 && read(bell_fd, &v, sizeof(v)) != sizeof(v))
					fail("doorbell read failed");
				bw_ring_disarm(ring);
				if (n == 0 && bw_ring_get(ring, ring_size, rec,
				    sizeof(rec), &len) == 1) {
					missed++;
					r = 1;
				} else
					continue;
			} else
				bw_ring_disarm(ring);
			if (r == -1) {
				fail("ring corrupt after %lu records", total);
				return NULL;
			}
		}
		if (len < sizeof(h)) {
			fail("short record: %u bytes", len);
			return NULL;
		}
		memcpy(&h, rec, sizeof(h));
		if (h.producer >= NPROD || h.seq != next[h.producer] ||
		    len != rec_len(h.producer, h.seq)) {
			fail("out of order: producer %u seq %u", h.producer, h.seq);
			return NULL;
		}
		for (i = sizeof(h); i < len; i++)
			if (rec[i] != pattern(h.producer, h.seq, i)) {
				fail("bad byte: producer %u seq %u", h.producer, h.seq);
				return NULL;
			}
		next[h.producer]++;
		total++;
	}
	if (bw_ring_get(ring, ring_size, rec, sizeof(rec), &len) != 0)
		fail("a record more than was put");
	if (missed)
		fail("%lu missed doorbell(s)", missed);
	return NULL;
}

/* Events covering every formatter branch that matters for shared state. */
#define NEVENTS	4
static struct bw_event events[NEVENTS];
static uint8_t ref_rec[NEVENTS][BINDWATCH_MAX_RECORD];
static size_t ref_len[NEVENTS];
static char ref_text[NEVENTS][BW_LINE_MAX], ref_json[NEVENTS][BW_LINE_MAX];

static void
sa4(struct bw_sa *sa, const char *a, uint16_t port)
{
	memset(sa, 0, sizeof(*sa));
	sa->family = AF_INET;
	sa->port = port;
	(void)inet_pton(AF_INET, a, sa->addr);
}

static void
sa6(struct bw_sa *sa, const char *a, uint16_t port)
{
	memset(sa, 0, sizeof(*sa));
	sa->family = AF_INET6;
	sa->port = port;
	(void)inet_pton(AF_INET6, a, sa->addr);
}

static void
make_events(void)
{
	struct bw_event *e;
	int i;

	for (i = 0; i < NEVENTS; i++) {
		e = &events[i];
		memset(e, 0, sizeof(*e));
		e->pid = 1000 + i;
		e->ppid = 1;
		e->seq = (uint32_t)i + 1;
		e->boot = 0x1234567890ull;
		e->time_ns = 1700000000000000000ull;
		e->fd = -1;
		e->alias_fd = -1;
		memcpy(e->comm, "srv\x01\"q", 7);
	}
	e = &events[0];
	e->type = BW_EV_GAI;
	e->has_node = e->has_service = e->has_hints = 1;
	memcpy(e->node, "local\thost\xff\"\\", 14);
	memcpy(e->service, "http", 5);
	e->h_family = AF_UNSPEC;
	e->h_socktype = 1;
	e->naddrs = e->naddrs_total = 2;
	sa6(&e->addrs[0], "::1", 80);
	sa4(&e->addrs[1], "127.0.0.1", 80);
	e->addr_proto[0] = e->addr_proto[1] = BW_PROTO_TCP;
	e->action = BW_ACT_REWRITE;
	e->norig = 1;
	sa4(&e->orig[0], "192.0.2.1", 80);

	e = &events[1];
	e->type = BW_EV_BIND;
	e->fd = 7;
	e->proto = BW_PROTO_TCP;
	e->opts = BW_OPT_REUSEADDR | BW_OPT_V6ONLY;
	sa6(&e->req, "::", 8080);
	sa4(&e->used, "127.0.0.1", 8080);
	e->bound = e->used;
	e->action = BW_ACT_REWRITE;

	e = &events[2];
	e->type = BW_EV_LISTEN;
	e->fd = 7;
	e->proto = BW_PROTO_TCP;
	e->backlog = 128;
	e->autobound = 1;
	sa6(&e->bound, "fe80::1", 40000);
	e->bound.scope_id = 2;
	e->ret = -1;
	e->err = EADDRINUSE;

	e = &events[3];
	e->type = BW_EV_EXEC;
	memset(e->exe, 'x', sizeof(e->exe) - 1);
	e->exe[3] = '\n';
}

static void *
codec(void *arg)
{
	uint8_t rec[BINDWATCH_MAX_RECORD];
	char line[BW_LINE_MAX];
	struct bw_event d;
	size_t n;
	int round, i, k = (int)(uintptr_t)arg;

	for (round = 0; round < CODEC_ROUNDS; round++) {
		i = (round + k) % NEVENTS;
		n = bw_event_encode(&events[i], rec, sizeof(rec));
		if (n != ref_len[i] || memcmp(rec, ref_rec[i], n) != 0)
			fail("encode differs: event %lu round %lu", (unsigned long)i,
			    (unsigned long)round);
		if (bw_event_decode(&d, rec, n) == -1)
			fail("decode failed: event %d", i);
		n = bw_format_text(&d, line, sizeof(line));
		if (n >= sizeof(line) || memcmp(line, ref_text[i], n) != 0 ||
		    ref_text[i][n] != '\0')
			fail("text differs: event %lu round %lu", (unsigned long)i,
			    (unsigned long)round);
		n = bw_format_json(&events[i], line, sizeof(line));
		if (n >= sizeof(line) || memcmp(line, ref_json[i], n) != 0 ||
		    ref_json[i][n] != '\0')
			fail("json differs: event %lu round %lu", (unsigned long)i,
			    (unsigned long)round);
	}
	return NULL;
}

int
main(void)
{
	pthread_t prod[NPROD], cons, cod[NCODEC];
	struct bw_event d;
	size_t i, n;

	make_events();
	for (i = 0; i < NEVENTS; i++) {
		ref_len[i] = bw_event_encode(&events[i], ref_rec[i], sizeof(ref_rec[i]));
		if (ref_len[i] == 0 || bw_event_decode(&d, ref_rec[i], ref_len[i]) == -1) {
			fprintf(stderr, "tsan_ring: event %zu does not round-trip\n", i);
			return 1;
		}
		n = bw_format_text(&d, ref_text[i], sizeof(ref_text[i]));
		ref_text[i][n < sizeof(ref_text[i]) ? n : sizeof(ref_text[i]) - 1] = '\0';
		n = bw_format_json(&events[i], ref_json[i], sizeof(ref_json[i]));
		ref_json[i][n < sizeof(ref_json[i]) ? n : sizeof(ref_json[i]) - 1] = '\0';
		if (n == 0) {
			fprintf(stderr, "tsan_ring: event %zu does not format\n", i);
			return 1;
		}
	}

	if ((ring = aligned_alloc(64, BW_RING_HDR + RING_DATA)) == NULL ||
	    bw_ring_init(ring, BW_RING_HDR + RING_DATA) == -1 ||
	    (ring_size = bw_ring_check(ring, BW_RING_HDR + RING_DATA)) == 0 ||
	    (bell_fd = eventfd(0, EFD_CLOEXEC)) == -1) {
		fprintf(stderr, "tsan_ring: setup failed\n");
		return 1;
	}
	if (pthread_create(&cons, NULL, consumer, NULL) != 0)
		return 1;
	for (i = 0; i < NCODEC; i++)
		if (pthread_create(&cod[i], NULL, codec, (void *)(uintptr_t)i) != 0)
			return 1;
	for (i = 0; i < NPROD; i++)
		if (pthread_create(&prod[i], NULL, producer, (void *)(uintptr_t)i) != 0)
			return 1;
	for (i = 0; i < NPROD; i++)
		pthread_join(prod[i], NULL);
	pthread_join(cons, NULL);
	for (i = 0; i < NCODEC; i++)
		pthread_join(cod[i], NULL);
	close(bell_fd);
	free(ring);
	if (atomic_load(&failed)) {
		fprintf(stderr, "tsan_ring: FAILED (%d check(s))\n", atomic_load(&failed));
		return 1;
	}
	printf("tsan_ring: OK %d producers x %d records through a %d KiB ring "
	    "(%lu full retries, %lu doorbells), %d codec threads x %d rounds\n",
	    NPROD, NREC, RING_DATA / 1024, atomic_load(&full_retries),
	    atomic_load(&bells), NCODEC, CODEC_ROUNDS);
	return 0;
}
