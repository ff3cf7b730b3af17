/*
 * The start-up fixture: what a server does first, then exit.
 * getaddrinfo("localhost", "0", passive) + socket + bind + listen.
 */
#include <sys/socket.h>

#include <netdb.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	struct addrinfo hints, *res;
	int fd;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if (getaddrinfo("localhost", "0", &hints, &res) != 0)
		return 1;
	if ((fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol)) == -1 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) == -1 || listen(fd, 8) == -1)
		return 1;
	freeaddrinfo(res);
	close(fd);
	return 0;
}
