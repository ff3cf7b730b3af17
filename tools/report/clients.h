/*
 * The clients' findings (clients.c), computed once from the model: the
 * connections, grouped, and the warnings about them.  Rendered by
 * clients_out.c into the text and the JSON summary.  Strings point into
 * the model; a process's name is a copy.
 */
#ifndef BW_CLIENTS_H
#define BW_CLIENTS_H

#include <stdio.h>

#include "model.h"

#define BW_MAX_WF	8	/* addresses per side of a wrong-family */

struct bw_jsonw;

/* A process, named. */
struct bw_fwho {
	pid_t		 pid;
	char		 comm[BINDWATCH_MAX_COMM];
};

struct bw_fconn {
	struct bw_fwho	 client;
	struct bw_sa	 addr;
	int		 err;		/* 0: connected */
	struct bw_fwho	 peer;		/* pid 0: not known */
	uint64_t	 count;
};

/* Refused on an address of a name while another of its addresses listens. */
struct bw_fwrongfam {
	uint16_t	 port;
	struct bw_fwho	 client;	/* the first refused */
	const char	*name;
	struct bw_sa	 refused[BW_MAX_WF];
	size_t		 nrefused;
	struct bw_sa	 listening[BW_MAX_WF];
	struct bw_fwho	 listener[BW_MAX_WF];
	size_t		 nlistening;
};

/* A client of the tree reached another process than the tree's server. */
struct bw_freached {
	struct bw_fwho	 client;
	struct bw_sa	 addr;
	struct bw_fwho	 peer;
	struct bw_fwho	 server;
	struct bw_sa	 server_addr;
	uint64_t	 count;
};

struct bw_fclients {
	struct bw_fconn		*conns;
	size_t			 nconns;
	struct bw_fwrongfam	*wrong;
	size_t			 nwrong;
	struct bw_freached	*reached;
	size_t			 nreached;
};

void	 bw_clients_analyze(const struct bw_model *,
	    const struct bw_kernel_ops *, struct bw_fclients *);
void	 bw_clients_free(struct bw_fclients *);
void	 bw_clients_text(const struct bw_fclients *, FILE *);
void	 bw_clients_text_warnings(const struct bw_fclients *, FILE *, int);
void	 bw_clients_json(const struct bw_fclients *, struct bw_jsonw *);
void	 bw_clients_json_warnings(const struct bw_fclients *,
	    struct bw_jsonw *);

#endif
