/*
 * sctpraw: a raw SCTP peer for the hostile-input tests. It speaks no DTLS:
 * it connects (with or without SCTP-AUTH), sends what it is told as SCTP
 * messages and reports how the association ended.
 *
 *   sctpraw [--no-auth] [--bad-key] [--partial-hello] [--hex HEX]...
 *           [--size N] [--abort] [--wait SECONDS] HOST PORT
 *
 * --bad-key installs and activates an SCTP-AUTH key the peer does not
 * have before sending; --size N sends one N-byte message that starts as a
 * DTLS application data record.
 *
 * Prints "connected", then "closed", "aborted" or "open" (still up after
 * --wait). Exit 0 unless the connection could not be made.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdint.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
send_msg(int fd, const unsigned char *b, size_t n)
{
	if (sctp_sendmsg(fd, b, n, NULL, 0, 0, 0, 0, 0, 0) < 0) {
		/* Aborted before we could send: as good as after. */
		if (errno == ECONNRESET || errno == EPIPE) {
			printf("aborted\n");
			exit(0);
		}
		printf("send failed: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	/* A DTLS 1.2 ClientHello fragment: 10 of 256 bytes, never finished. */
	static const unsigned char partial[] = {0x16, 0xfe,
	    0xff, /* handshake, DTLS 1.0 (as hellos are) */
	    0, 0, 0, 0, 0, 0, 0, 0, /* epoch, sequence number */
	    0, 22, /* record length */
	    1, 0, 1, 0, /* ClientHello of 256 bytes */
	    0, 0, /* message_seq */
	    0, 0, 0, /* fragment_offset */
	    0, 0, 10, /* fragment_length */
	    0xfe, 0xfd, 1, 2, 3, 4, 5, 6, 7, 8};
	struct addrinfo hints, *res;
	struct sctp_assoc_value av;
	struct sctp_authchunk ac;
	int auth = 1, do_abort = 0, bad_key = 0, fd, i, rc;
	double wait = 2;
	unsigned char buf[65536];

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--no-auth") == 0)
			auth = 0;
		else if (strcmp(argv[i], "--abort") == 0)
			do_abort = 1;
		else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc)
			wait = atof(argv[++i]);
		else if (strcmp(argv[i], "--bad-key") == 0)
			bad_key = 1;
		else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc)
			i++;
		else if (strcmp(argv[i], "--partial-hello") == 0 ||
		    strcmp(argv[i], "--hex") == 0) {
			i += strcmp(argv[i], "--hex") == 0;
		} else {
			fprintf(
			    stderr, "sctpraw: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: sctpraw [options] HOST PORT\n");
		return 2;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_SCTP;
	if ((rc = getaddrinfo(argv[i], argv[i + 1], &hints, &res)) != 0) {
		fprintf(stderr, "sctpraw: %s\n", gai_strerror(rc));
		return 2;
	}
	fd = socket(res->ai_family, SOCK_STREAM, IPPROTO_SCTP);
	if (fd < 0) {
		perror("sctpraw: socket");
		return 2;
	}
	if (auth) {
		memset(&av, 0, sizeof(av));
		av.assoc_value = 1;
		setsockopt(
		    fd, IPPROTO_SCTP, SCTP_AUTH_SUPPORTED, &av, sizeof(av));
		ac.sauth_chunk = 0x00;
		setsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_CHUNK, &ac, sizeof(ac));
		ac.sauth_chunk = 0xc0;
		setsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_CHUNK, &ac, sizeof(ac));
	}
	if (connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
		printf("connect failed: %s\n", strerror(errno));
		return 1;
	}
	printf("connected\n");
	fflush(stdout);
	if (bad_key) {
		struct {
			struct sctp_authkey k;
			uint8_t key[32];
		} ak;
		struct sctp_authkeyid kid;

		memset(&ak, 0, sizeof(ak));
		ak.k.sca_keynumber = 9;
		ak.k.sca_keylength = 32;
		memset(ak.key, 0x5a, sizeof(ak.key));
		memset(&kid, 0, sizeof(kid));
		kid.scact_keynumber = 9;
		if (setsockopt(
		        fd, IPPROTO_SCTP, SCTP_AUTH_KEY, &ak, sizeof(ak)) ||
		    setsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_ACTIVE_KEY, &kid,
		        sizeof(kid))) {
			printf("bad key: %s\n", strerror(errno));
			return 1;
		}
	}
	/* Messages, in command-line order. */
	for (int j = 1; j < argc - 2; j++) {
		if (strcmp(argv[j], "--partial-hello") == 0) {
			if (send_msg(fd, partial, sizeof(partial)) != 0)
				break;
		} else if (strcmp(argv[j], "--hex") == 0) {
			const char *h = argv[++j];
			size_t n = 0;

			while (h[0] && h[1] && n < sizeof(buf)) {
				buf[n++] = (unsigned char)(hexval(h[0]) << 4 |
				    hexval(h[1]));
				h += 2;
			}
			if (send_msg(fd, buf, n) != 0)
				break;
		} else if (strcmp(argv[j], "--size") == 0) {
			size_t n = (size_t)atol(argv[++j]);
			unsigned char *m = calloc(1, n + 13);

			m[0] = 23;
			m[1] = 0xfe;
			m[2] = 0xfd;
			m[11] = (unsigned char)((n - 13) >> 8);
			m[12] = (unsigned char)(n - 13);
			if (send_msg(fd, m, n) != 0)
				break;
			free(m);
		} else if (strcmp(argv[j], "--wait") == 0) {
			j++;
		}
	}
	if (do_abort) {
		struct linger l = {1, 0};

		usleep(200000);
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		close(fd);
		printf("aborted by us\n");
		return 0;
	}
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&p, 1, (int)(wait * 1000)) == 0) {
			printf("open\n");
			break;
		}
		n = recv(fd, buf, sizeof(buf), 0);
		if (n > 0)
			continue;
		if (n == 0)
			printf("closed\n");
		else if (errno == ECONNRESET)
			printf("aborted\n");
		else
			printf("error: %s\n", strerror(errno));
		break;
	}
	close(fd);
	freeaddrinfo(res);
	return 0;
}
