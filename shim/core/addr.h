/*
 * Socket addresses as plain data: parse, format, classify.  Pure: no I/O,
 * no globals, safe inside the shim and in unit tests.
 */
#ifndef BW_ADDR_H
#define BW_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 endpoint.  family is AF_INET, AF_INET6 or AF_UNSPEC. */
struct bw_sa {
	uint16_t	family;
	uint16_t	port;		/* host byte order */
	uint32_t	scope_id;	/* IPv6 only */
	uint8_t		addr[16];	/* 4 or 16 bytes in network order */
};

enum bw_class {
	BW_CLASS_OTHER = 0,	/* a routable / LAN address: reachable from outside */
	BW_CLASS_LOOPBACK,	/* 127/8, ::1, ::ffff:127/104 */
	BW_CLASS_WILDCARD,	/* 0.0.0.0, ::, ::ffff:0.0.0.0 */
};

/* Format flags. */
#define BW_FMT_NOPORT	0x1	/* address only */
#define BW_FMT_BARE	0x2	/* no brackets around IPv6 (JSON "addr") */

/* Longest formatted address: [ffff:...%scope]:65535 */
#define BW_ADDRSTRLEN	80

int	 bw_sa_from_sockaddr(struct bw_sa *, const struct sockaddr *, size_t);
size_t	 bw_sa_to_sockaddr(const struct bw_sa *, struct sockaddr_storage *);
int	 bw_sa_class(const struct bw_sa *);
int	 bw_sa_is_v4mapped(const struct bw_sa *);
int	 bw_sa_is_v6only_capable(const struct bw_sa *);
void	 bw_sa_v4mapped(struct bw_sa *, const struct bw_sa *);
void	 bw_sa_unmap(struct bw_sa *);
int	 bw_sa_equal(const struct bw_sa *, const struct bw_sa *, int);
const char *bw_class_name(int);
char	*bw_sa_format(const struct bw_sa *, char *, size_t, int);
void	 bw_addr_ntop(int, const uint8_t *, char *, size_t);
void	 bw_sa_loopback(struct bw_sa *, int, uint16_t);
int	 bw_sa_parse_addr(const char *, struct bw_sa *);
int	 bw_sa_parse_endpoint(const char *, struct bw_sa *, int *);
int	 bw_parse_port(const char *, size_t, uint16_t *);

#endif
