/*
 * osslpeer: DTLS 1.2 over SCTP peers built on OpenSSL's own enable-sctp
 * implementation (BIO_new_dgram_sctp), linked against the static build of
 * scripts/openssl-sctp.sh, so that tests and benchmarks can compare the
 * daemon with OpenSSL's RFC 6083 engine.
 *
 *   osslpeer send HOST PORT CERT KEY CA SIZE STREAMS SECONDS [unordered]
 *                 client: for SECONDS seconds send records of SIZE bytes
 *                 (8..16384), one SSL_write each; record i on stream
 *                 1 + i % STREAMS (STREAMS 1..63), PPID 0, unordered if
 *                 asked; then close_notify, and a short wait for the
 *                 peer's. Prints "sent N messages of SIZE bytes".
 *   osslpeer recv PORT CERT KEY CA SIZE
 *                 server for one association: reads until close_notify or
 *                 EOF and checks every record. Prints "got N messages,
 *                 B bad, D duplicates, M missing below MAX, S s" (MAX:
 *                 highest index + 1; missing: indices below MAX never
 *                 seen; S: seconds from the first record to the end).
 *                 SIZE 0: records of any size and content, only counted
 *                 (for benchmarks whose sender is not osslpeer).
 *   osslpeer hsserver PORT CERT KEY CA
 *                 server for associations one after another, full
 *                 handshakes only (no session cache, no tickets): handshake,
 *                 read until close_notify or EOF, close_notify, close. On
 *                 SIGTERM prints "handshakes N".
 *   osslpeer echo PORT CERT KEY CA
 *                 server for associations one after another: every record
 *                 goes back on the stream and PPID (and unordered flag) it
 *                 came with. Runs until SIGTERM.
 *
 * Record i (0-based) of send and recv: bytes 0..7 are i as a big-endian
 * uint64, byte k (8 <= k < SIZE) is (i * 131 + k * 7) & 0xff.
 *
 * Every mode uses a blocking one-to-one SCTP socket (64 streams each way),
 * DTLS 1.2 only, and verifies the peer against CA; servers require a client
 * certificate. OpenSSL's SCTP BIO needs net.sctp.auth_enable=1.
 *
 * Exit status 0 on success; 1 with the reason on stderr otherwise.
 */
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#ifdef OPENSSL_NO_SCTP
#error "osslpeer needs OpenSSL built with enable-sctp (scripts/openssl-sctp.sh)"
#endif

#define MAX_SIZE 16384 /* largest DTLS record payload */
#define NSTREAMS 64 /* streams asked for each way */
#define HANDSHAKE_SECONDS 30.0 /* limit for a handshake */
#define IO_SECONDS 30.0 /* limit for one write or close_notify */
#define CLOSE_WAIT_SECONDS 5.0 /* send: wait for the peer's close_notify */
#define SEEN_MAX (UINT64_C(1) << 30) /* higher record indices count as bad */

/* How a read loop ended. */
enum end { END_NOTIFY, END_EOF, END_STOP, END_ERROR };

static volatile sig_atomic_t stopping; /* SIGTERM or SIGINT came */
static volatile sig_atomic_t time_up; /* send: SECONDS have passed */

static void
on_signal(int sig)
{
	if (sig == SIGALRM)
		time_up = 1;
	else
		stopping = 1;
}

/* Without SA_RESTART: a blocked socket call comes back with EINTR, which
 * OpenSSL's BIO turns into "retry", so the caller sees the flag. */
static void
catch_signal(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(sig, &sa, NULL);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A decimal number in [lo, hi] into *out; 0, or -1 with a message. */
static int
number(const char *s, const char *what, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end || *out < lo || *out > hi) {
		fprintf(stderr,
		    "osslpeer: %s: '%s' is not a number from %ld to %ld\n",
		    what, s, lo, hi);
		return -1;
	}
	return 0;
}

/* ---- the record pattern ---- */

static void
fill_msg(uint8_t *buf, size_t size, uint64_t i)
{
	uint8_t base = (uint8_t)(i * 131);

	for (int b = 0; b < 8; b++)
		buf[b] = (uint8_t)(i >> (56 - 8 * b));
	for (size_t k = 8; k < size; k++)
		buf[k] = (uint8_t)(base + (uint8_t)(k * 7));
}

/* The index of a well-formed record of size bytes in *i; 0 if it is not. */
static int
msg_index(const uint8_t *buf, size_t len, size_t size, uint64_t *i)
{
	uint8_t base;

	if (len != size)
		return 0;
	*i = 0;
	for (int b = 0; b < 8; b++)
		*i = *i << 8 | buf[b];
	base = (uint8_t)(*i * 131);
	for (size_t k = 8; k < size; k++)
		if (buf[k] != (uint8_t)(base + (uint8_t)(k * 7)))
			return 0;
	return 1;
}

/* What recv has seen: counts and a bitmap of indices that grows. */
struct tally {
	size_t size;
	uint64_t got, bad, dup, distinct, max;
	double first; /* when the first record came */
	uint64_t *bits;
	size_t nwords;
};

/* Marks index i as seen: 0 if it is new, 1 if it was seen before. */
static int
tally_mark(struct tally *t, uint64_t i)
{
	size_t w = (size_t)(i / 64);
	uint64_t bit = UINT64_C(1) << (i % 64);

	if (w >= t->nwords) {
		size_t n = t->nwords ? t->nwords : 1024;
		uint64_t *p;

		while (n <= w)
			n *= 2;
		p = realloc(t->bits, n * sizeof *p);
		if (!p) {
			fprintf(stderr, "osslpeer: out of memory\n");
			exit(1);
		}
		memset(p + t->nwords, 0, (n - t->nwords) * sizeof *p);
		t->bits = p;
		t->nwords = n;
	}
	if (t->bits[w] & bit)
		return 1;
	t->bits[w] |= bit;
	return 0;
}

/* ---- OpenSSL ---- */

/* Prints what failed, the SSL error code and errno if any, and OpenSSL's
 * error queue; returns 1 (the exit status). */
static int
report(const char *what, SSL *ssl, int ret)
{
	int err = errno;

	fprintf(stderr, "osslpeer: %s failed", what);
	if (ssl)
		fprintf(stderr, " (SSL_get_error %d)", SSL_get_error(ssl, ret));
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
	ERR_print_errors_fp(stderr);
	return 1;
}

/* Whether to repeat the SSL call that returned ret. OpenSSL's SCTP BIO
 * asks for a retry even on a blocking socket: while it waits for
 * SCTP_SENDER_DRY_EVENT, after EINTR and after the sockets' 1 s timeouts.
 * No after SIGTERM or once the deadline (0: none) has passed. */
static int
again(SSL *ssl, int ret, double deadline)
{
	int e = SSL_get_error(ssl, ret);

	if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
		return 0;
	return !stopping && (deadline == 0 || now() < deadline);
}

/* The end of the peer's data: close_notify, or the association closed
 * without one (recvmsg returned 0). */
static enum end
read_end(SSL *ssl, int ret)
{
	int e = SSL_get_error(ssl, ret);

	if (e == SSL_ERROR_ZERO_RETURN)
		return END_NOTIFY;
	if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && errno == 0)
		return END_EOF;
	if (e == SSL_ERROR_SSL &&
	    ERR_GET_REASON(ERR_peek_error()) ==
	        SSL_R_UNEXPECTED_EOF_WHILE_READING)
		return END_EOF;
	return END_ERROR;
}

static SSL_CTX *
make_ctx(int server, const char *cert, const char *key, const char *ca)
{
	SSL_CTX *ctx =
	    SSL_CTX_new(server ? DTLS_server_method() : DTLS_client_method());

	if (!ctx)
		return NULL;
	if (!SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) ||
	    !SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) ||
	    SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1 ||
	    SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
		report("loading certificate, key or CA", NULL, 0);
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(ctx,
	    server ? SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT
	           : SSL_VERIFY_PEER,
	    NULL);
	return ctx;
}

/* ---- SCTP sockets ---- */

/* A blocking one-to-one SCTP socket asking for NSTREAMS streams each way,
 * with SCTP-AUTH for DATA and FORWARD-TSN set up before connect() or
 * listen(): BIO_new_dgram_sctp does that, and this first BIO is dropped
 * (OpenSSL's s_client and s_server do the same). */
static int
sctp_socket(void)
{
	struct sctp_initmsg im;
	BIO *probe;
	int fd = socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);

	if (fd < 0) {
		perror("osslpeer: socket");
		return -1;
	}
	memset(&im, 0, sizeof im);
	im.sinit_num_ostreams = NSTREAMS;
	im.sinit_max_instreams = NSTREAMS;
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof im) < 0) {
		perror("osslpeer: SCTP_INITMSG");
		close(fd);
		return -1;
	}
	probe = BIO_new_dgram_sctp(fd, BIO_NOCLOSE);
	if (!probe) {
		report(
		    "BIO_new_dgram_sctp (is net.sctp.auth_enable 1?)", NULL, 0);
		close(fd);
		return -1;
	}
	BIO_free(probe);
	return fd;
}

/*
 * Socket buffers of a connected socket from $OSSLPEER_SNDBUF and
 * $OSSLPEER_RCVBUF (bytes, as setsockopt takes them; the kernel doubles
 * them), set once the association is up, so that a benchmark can give this
 * peer the buffers the daemon has: SCTP's default send buffer (16 KiB,
 * net.sctp.sctp_wmem) holds about one full-size record.
 */
static void
set_buffers(int fd)
{
	static const struct {
		const char *env;
		int opt;
	} b[] = {
	    {"OSSLPEER_SNDBUF", SO_SNDBUF}, {"OSSLPEER_RCVBUF", SO_RCVBUF}};

	for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) {
		const char *v = getenv(b[i].env);
		int n = v != NULL ? atoi(v) : 0;

		if (n > 0 && setsockopt(fd, SOL_SOCKET, b[i].opt, &n, sizeof n))
			perror(b[i].env);
	}
}

/* 1 s receive and send timeouts, so that blocked calls come back now and
 * then to look at deadlines and SIGTERM (OpenSSL retries them). Set once
 * connected: a blocking SCTP connect() waits only as long as SO_SNDTIMEO. */
static int
set_timeouts(int fd)
{
	struct timeval tv = {.tv_sec = 1, .tv_usec = 0};

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0) {
		perror("osslpeer: socket timeouts");
		return -1;
	}
	return 0;
}

static int
connect_to(const char *host, const char *port)
{
	struct addrinfo hints, *res;
	int rc, fd;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc) {
		fprintf(stderr, "osslpeer: %s:%s: %s\n", host, port,
		    gai_strerror(rc));
		return -1;
	}
	fd = sctp_socket();
	if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) < 0) {
		perror("osslpeer: connect");
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd >= 0)
		set_buffers(fd);
	if (fd >= 0 && set_timeouts(fd) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int
listen_on(const char *port_s)
{
	struct sockaddr_in sa;
	long port;
	int one = 1, fd;

	if (number(port_s, "PORT", 1, 65535, &port) < 0 ||
	    (fd = sctp_socket()) < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    listen(fd, 128) < 0 || set_timeouts(fd) < 0) {
		perror("osslpeer: listen");
		close(fd);
		return -1;
	}
	return fd;
}

/* The next association (with timeouts set), or -1 after SIGTERM or an
 * error. accept() too comes back every second (SO_RCVTIMEO). */
static int
accept_next(int lfd)
{
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd >= 0) {
			set_buffers(fd);
			if (set_timeouts(fd) == 0)
				return fd;
			close(fd);
		} else if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED) {
			perror("osslpeer: accept");
			return -1;
		}
		if (stopping)
			return -1;
	}
}

/* ---- DTLS over one association ---- */

/* OpenSSL's SCTP BIO on the connected socket fd, and the handshake; NULL
 * (with the reason on stderr) if it fails. fd stays open either way. */
static SSL *
dtls_open(SSL_CTX *ctx, int fd, int server)
{
	BIO *bio = BIO_new_dgram_sctp(fd, BIO_NOCLOSE);
	SSL *ssl = bio ? SSL_new(ctx) : NULL;
	double deadline = now() + HANDSHAKE_SECONDS;
	int ret;

	if (!ssl) {
		BIO_free(bio);
		report("BIO_new_dgram_sctp or SSL_new", NULL, 0);
		return NULL;
	}
	SSL_set_bio(ssl, bio, bio);
	do {
		errno = 0;
		ERR_clear_error();
		ret = server ? SSL_accept(ssl) : SSL_connect(ssl);
	} while (ret != 1 && again(ssl, ret, deadline));
	if (ret != 1) {
		if (!stopping)
			report("handshake", ssl, ret);
		SSL_free(ssl);
		return NULL;
	}
	return ssl;
}

/* Our close_notify (OpenSSL waits for sender-dry first), then up to wait
 * seconds for the peer's close_notify or EOF, if it has not come yet. */
static int
dtls_close(SSL *ssl, double wait)
{
	double deadline = now() + IO_SECONDS;
	int ret;

	do {
		errno = 0;
		ERR_clear_error();
		ret = SSL_shutdown(ssl);
	} while (ret < 0 && again(ssl, ret, deadline));
	if (ret < 0)
		return stopping ? 0 : report("close_notify", ssl, ret);
	deadline = now() + wait;
	while (ret == 0 && now() < deadline) {
		ret = SSL_shutdown(ssl);
		if (ret < 0 && !again(ssl, ret, deadline))
			break;
	}
	ERR_clear_error();
	return 0;
}

/* One record of len bytes, however often OpenSSL asks for a retry. */
static int
write_record(SSL *ssl, const uint8_t *buf, int len)
{
	double deadline = 0;

	for (;;) {
		int ret;

		errno = 0;
		ERR_clear_error();
		ret = SSL_write(ssl, buf, len);

		if (ret == len)
			return 0;
		if (deadline == 0)
			deadline = now() + IO_SECONDS;
		if (!again(ssl, ret, deadline))
			return stopping ? 1 : report("SSL_write", ssl, ret);
	}
}

/* What to do with each record read: 0 to go on. */
typedef int (*record_fn)(SSL *ssl, const uint8_t *buf, int len, void *arg);

/* SSL_read until close_notify, EOF, SIGTERM or an error; fn (if any) gets
 * every record. A close_notify that arrives while other messages wait is
 * held back by OpenSSL (RFC 6083 4.9), which asks for a retry. */
static enum end
read_all(SSL *ssl, record_fn fn, void *arg)
{
	static uint8_t buf[MAX_SIZE + 1];

	for (;;) {
		enum end e;
		int n;

		errno = 0;
		ERR_clear_error();
		n = SSL_read(ssl, buf, sizeof buf);

		if (n > 0) {
			if (fn && fn(ssl, buf, n, arg) != 0)
				return END_ERROR;
			continue;
		}
		if (again(ssl, n, 0))
			continue;
		if (stopping)
			return END_STOP;
		e = read_end(ssl, n);
		if (e == END_ERROR)
			report("SSL_read", ssl, n);
		return e;
	}
}

/* ---- the modes ---- */

static int
send_loop(SSL *ssl, size_t size, long streams, int unordered, uint64_t *sent)
{
	static uint8_t buf[MAX_SIZE];
	BIO *bio = SSL_get_wbio(ssl);

	for (uint64_t i = 0; !time_up; i++) {
		struct bio_dgram_sctp_sndinfo si;

		memset(&si, 0, sizeof si);
		si.snd_sid = (uint16_t)(1 + i % (uint64_t)streams);
		si.snd_flags = unordered ? SCTP_UNORDERED : 0;
		BIO_ctrl(bio, BIO_CTRL_DGRAM_SCTP_SET_SNDINFO, sizeof si, &si);
		fill_msg(buf, size, i);
		if (write_record(ssl, buf, (int)size) != 0)
			return 1;
		*sent = i + 1;
	}
	return 0;
}

/* send HOST PORT CERT KEY CA SIZE STREAMS SECONDS [unordered] */
static int
do_send(int argc, char **argv)
{
	long size, streams, seconds;
	int unordered = argc == 11 && strcmp(argv[10], "unordered") == 0;
	uint64_t sent = 0;
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	int fd = -1, rc = 1;

	if ((argc != 10 && !unordered) ||
	    number(argv[7], "SIZE", 8, MAX_SIZE, &size) < 0 ||
	    number(argv[8], "STREAMS", 1, NSTREAMS - 1, &streams) < 0 ||
	    number(argv[9], "SECONDS", 0, 86400, &seconds) < 0)
		return 2;
	ctx = make_ctx(0, argv[4], argv[5], argv[6]);
	if (ctx && (fd = connect_to(argv[2], argv[3])) >= 0)
		ssl = dtls_open(ctx, fd, 0);
	if (ssl) {
		catch_signal(SIGALRM);
		alarm((unsigned)seconds);
		time_up = seconds == 0;
		rc = send_loop(ssl, (size_t)size, streams, unordered, &sent);
		alarm(0);
		if (rc == 0)
			rc = dtls_close(ssl, CLOSE_WAIT_SECONDS);
		printf("sent %" PRIu64 " messages of %ld bytes\n", sent, size);
	}
	SSL_free(ssl);
	if (fd >= 0)
		close(fd);
	SSL_CTX_free(ctx);
	return rc;
}

static int
tally_record(SSL *ssl, const uint8_t *buf, int len, void *arg)
{
	struct tally *t = arg;
	uint64_t i;

	(void)ssl;
	if (t->got++ == 0)
		t->first = now();
	if (t->size == 0) { /* count only */
		t->distinct++;
		t->max++;
		return 0;
	}
	if (!msg_index(buf, (size_t)len, t->size, &i) || i >= SEEN_MAX) {
		t->bad++;
		return 0;
	}
	if (tally_mark(t, i))
		t->dup++;
	else
		t->distinct++;
	if (i + 1 > t->max)
		t->max = i + 1;
	return 0;
}

/* recv PORT CERT KEY CA SIZE */
static int
do_recv(int argc, char **argv)
{
	struct tally t;
	long size;
	SSL_CTX *ctx;
	SSL *ssl = NULL;
	int lfd, fd = -1, rc = 1;
	double secs;
	enum end e;

	if (argc != 7 || number(argv[6], "SIZE", 0, MAX_SIZE, &size) < 0)
		return 2;
	if (size > 0 && size < 8) {
		fprintf(stderr, "osslpeer: SIZE: 0, or 8 to %d\n", MAX_SIZE);
		return 2;
	}
	memset(&t, 0, sizeof t);
	t.size = (size_t)size;
	ctx = make_ctx(1, argv[3], argv[4], argv[5]);
	if (ctx && (lfd = listen_on(argv[2])) >= 0) {
		fd = accept_next(lfd);
		close(lfd);
	}
	if (fd >= 0)
		ssl = dtls_open(ctx, fd, 1);
	if (ssl) {
		e = read_all(ssl, tally_record, &t);
		secs = t.got > 0 ? now() - t.first : 0;
		rc = e == END_NOTIFY ? dtls_close(ssl, 0) : e != END_EOF;
		printf("got %" PRIu64 " messages, %" PRIu64 " bad, %" PRIu64
		       " duplicates, %" PRIu64 " missing below %" PRIu64
		       ", %.3f s\n",
		    t.got, t.bad, t.dup, t.max - t.distinct, t.max, secs);
	}
	free(t.bits);
	SSL_free(ssl);
	if (fd >= 0)
		close(fd);
	SSL_CTX_free(ctx);
	return rc;
}

/* echo: the record goes back on the stream, PPID and ordering it came with
 * (OpenSSL's BIO keeps the SCTP_RCVINFO of the message last read). */
static int
echo_record(SSL *ssl, const uint8_t *buf, int len, void *arg)
{
	struct bio_dgram_sctp_rcvinfo ri;
	struct bio_dgram_sctp_sndinfo si;
	BIO *bio = SSL_get_rbio(ssl);

	(void)arg;
	memset(&ri, 0, sizeof ri);
	BIO_ctrl(bio, BIO_CTRL_DGRAM_SCTP_GET_RCVINFO, sizeof ri, &ri);
	memset(&si, 0, sizeof si);
	si.snd_sid = ri.rcv_sid;
	si.snd_ppid = ri.rcv_ppid;
	si.snd_flags = ri.rcv_flags & SCTP_UNORDERED;
	BIO_ctrl(
	    SSL_get_wbio(ssl), BIO_CTRL_DGRAM_SCTP_SET_SNDINFO, sizeof si, &si);
	return write_record(ssl, buf, len);
}

/* hsserver and echo: associations one after another until SIGTERM. */
static int
serve(int argc, char **argv, int echo)
{
	unsigned long handshakes = 0;
	SSL_CTX *ctx;
	int lfd, fd, one = 1;

	if (argc != 6 || !(ctx = make_ctx(1, argv[3], argv[4], argv[5])))
		return argc != 6 ? 2 : 1;
	if (!echo) { /* every handshake a full one */
		SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
		SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	}
	if ((lfd = listen_on(argv[2])) < 0) {
		SSL_CTX_free(ctx);
		return 1;
	}
	catch_signal(SIGTERM);
	catch_signal(SIGINT);
	while ((fd = accept_next(lfd)) >= 0) {
		SSL *ssl;

		/* OpenSSL's BIO does not ask for SCTP_RCVINFO itself. */
		if (echo &&
		    setsockopt(fd, IPPROTO_SCTP, SCTP_RECVRCVINFO, &one,
		        sizeof one) < 0)
			perror("osslpeer: SCTP_RECVRCVINFO");
		if ((ssl = dtls_open(ctx, fd, 1)) != NULL) {
			handshakes++;
			if (read_all(ssl, echo ? echo_record : NULL, NULL) ==
			    END_NOTIFY)
				dtls_close(ssl, 0);
			SSL_free(ssl);
		}
		close(fd);
	}
	if (!echo)
		printf("handshakes %lu\n", handshakes);
	close(lfd);
	SSL_CTX_free(ctx);
	return stopping ? 0 : 1;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: osslpeer send HOST PORT CERT KEY CA SIZE STREAMS SECONDS [unordered]\n"
	    "       osslpeer recv PORT CERT KEY CA SIZE\n"
	    "       osslpeer hsserver PORT CERT KEY CA\n"
	    "       osslpeer echo PORT CERT KEY CA\n");
}

int
main(int argc, char **argv)
{
	int rc = 2;

	signal(SIGPIPE, SIG_IGN);
	if (argc < 2)
		rc = 2;
	else if (strcmp(argv[1], "send") == 0)
		rc = do_send(argc, argv);
	else if (strcmp(argv[1], "recv") == 0)
		rc = do_recv(argc, argv);
	else if (strcmp(argv[1], "hsserver") == 0)
		rc = serve(argc, argv, 0);
	else if (strcmp(argv[1], "echo") == 0)
		rc = serve(argc, argv, 1);
	if (rc == 2)
		usage();
	return rc;
}
