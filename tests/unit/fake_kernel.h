/*
 * Fakes for the report's unit tests: a kernel (bw_kernel_ops) with canned
 * answers that counts every question, so that tests can say what was
 * asked; and the events of a run.
 */
#ifndef FAKE_KERNEL_H
#define FAKE_KERNEL_H

#include "model.h"

#define FAKE_MAX	8

struct fake_kernel {
	struct bw_kernel_ops	 ops;
	/* The answers. */
	pid_t			 tree[FAKE_MAX];
	size_t			 ntree;
	struct bw_sock		 socks[FAKE_MAX];	/* listening now */
	size_t			 nsocks;
	int			 hidden;
	struct bw_sa		 listeners[FAKE_MAX];	/* listener_at says 1 */
	size_t			 nlisteners;
	struct bw_sa		 client[FAKE_MAX];	/* "localhost", in order */
	size_t			 nclient;
	/* The questions. */
	int			 trees, reads, owner_reads, recents, client_asks;
	struct bw_sa		 asked[FAKE_MAX];	/* listener_at */
	size_t			 nasked;
	/* Scratch: what a read returns. */
	struct bw_sock		 out[FAKE_MAX];
	struct bw_netstate	 ns;
};

void		 fake_kernel_init(struct fake_kernel *);
struct bw_sock	*fake_sock(struct fake_kernel *, const char *,
		    struct bw_owner *);
struct bw_sa	 fake_sa(const char *);
struct bw_event	 fake_event(int, int, const char *);
void		 fake_bind(struct bw_model *, const struct bw_kernel_ops *, int,
		    const char *, int);
void		 fake_listen(struct bw_model *, int, const char *);
void		 fake_story(struct fake_kernel *, struct bw_model *,
		    struct bw_owner *);
void		 fake_static(struct fake_kernel *, struct bw_model *,
		    struct bw_owner *);

#endif
