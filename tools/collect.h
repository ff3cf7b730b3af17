/*
 * The event channel, collector side: a SOCK_SEQPACKET socket in a private
 * 0700 directory, and one connection that the whole tree inherits; an
 * image that lost it connects (forks share their connection).
 */
#ifndef BW_COLLECT_H
#define BW_COLLECT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event.h"

struct bw_seqkey;

/* A process image's shared-memory ring, mapped here until the end. */
struct bw_cring {
	void		*base;
	size_t		 mapped;
	uint32_t	 size;
	int		 corrupt;
};

struct bw_collector {
	int		 lfd;		/* listening socket */
	int		 epfd;		/* epoll set the caller waits on */
	char		 dir[64];	/* private directory */
	char		 path[108];	/* socket path, for BINDWATCH_COLLECTOR */
	size_t		 nconns;
	int		 chan;		/* our end of the tree's channel, or -1 */
	int		 quiet;		/* chan is out of the epoll wake-ups */
	uint64_t	 received;
	uint64_t	 malformed;	/* records refused by the decoder */
	uint64_t	 bytes;		/* of the records received */
	uint64_t	 rejected;	/* connections from another user */
	uid_t		 euid;		/* ours: the only one let in */
	struct bw_cring	*rings;
	size_t		 nrings;
	/* loss accounting per (pid, boot): highest seq and events seen */
	struct bw_seqkey *keys;
	size_t		 nkeys, capkeys;
};

typedef void	(*bw_event_cb)(const struct bw_event *, void *);

int	 bw_collector_open(struct bw_collector *, int epfd);
int	 bw_collector_channel(struct bw_collector *, int *, uint64_t *);
int	 bw_collector_owns(uint64_t tag);
void	 bw_collector_ready(struct bw_collector *, uint64_t tag,
	    uint32_t events, bw_event_cb, void *);
size_t	 bw_collector_poll(struct bw_collector *, bw_event_cb, void *);
void	 bw_collector_quiet(struct bw_collector *, int);
void	 bw_collector_arm(struct bw_collector *);
void	 bw_collector_drain(struct bw_collector *, int, bw_event_cb, void *);
uint64_t bw_collector_lost(const struct bw_collector *);
void	 bw_collector_close(struct bw_collector *);

/* Pure: loss accounting, unit-tested. */
void	 bw_seq_note(struct bw_collector *, int32_t pid, uint64_t boot, uint32_t seq);

#endif
