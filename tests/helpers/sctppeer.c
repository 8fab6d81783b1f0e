/*
 * sctppeer: a plaintext SCTP peer (kernel SCTP, lksctp-tools) for the
 * SCTP <-> DTLS/SCTP gateway tests: every message keeps its boundaries,
 * stream, PPID and unordered flag. One-to-one sockets, 16 streams each
 * way (SCTP_INITMSG; $SCTPPEER_STREAMS sets another number), SCTP_NODELAY,
 * no SCTP-AUTH.
 *
 *   sctppeer send HOST PORT COUNT SEED
 *                            send the COUNT messages of SEED's schedule,
 *                            then SHUTDOWN and wait up to 60 s for the
 *                            peer to close: "sent COUNT messages"
 *   sctppeer sink PORT COUNT SEED
 *                            accept one association, read it to EOF and
 *                            check every message against SEED's schedule
 *                            (each stream's ordered messages in order,
 *                            unordered ones by the index they carry, none
 *                            twice, none missing, none over 16384 bytes):
 *                            "ok: COUNT messages, N unordered, S streams,
 *                            P ppids" (as seen) or "FAIL: <first problem>";
 *                            after a problem it sends SHUTDOWN at once and
 *                            reads on (dropping) until the association
 *                            ends, up to 30 s. On stderr: how many arrived
 *                            in pieces, how many after a later-sent one
 *   sctppeer sendone HOST PORT SIZE STREAM [PPID]
 *                            send one SIZE-byte message (of index 0), wait
 *                            up to 10 s: "aborted", "closed" or "open";
 *                            "refused" if connect was refused
 *   sctppeer sendshut HOST PORT SIZE STREAM [PPID]
 *                            send one SIZE-byte message, then SHUTDOWN at
 *                            once (no half-close in SCTP: what the peer
 *                            sends later cannot arrive); wait up to 10 s
 *                            for the association to end: "closed, N
 *                            messages back" or "aborted, N messages back"
 *   sctppeer abort HOST PORT connect, send 100 bytes, wait 0.5 s, abort
 *                            (ABORT chunk): "aborted by us"
 *   sctppeer abort-server PORT
 *                            accept one association, read one message,
 *                            abort it: "aborted by us"
 *   sctppeer noread PORT     accept associations and never read them:
 *                            "listening"
 *   sctppeer lines PORT      accept associations one after another and
 *                            print each message as "stream S ppid P
 *                            unordered U bytes N: TEXT" (TEXT: the
 *                            message, newlines as \n) and "eof" at the end
 *                            of each association
 *   sctppeer echo PORT       echo every message of every association (poll
 *                            loop) on its stream with its PPID and
 *                            unordered flag: "listening"
 *   sctppeer rr HOST PORT COUNT SIZE [STOPFILE]
 *                            request/response: after 20 not counted, COUNT
 *                            times one SIZE-byte message on stream 1, PPID
 *                            60, and its echo back: "ok: N round trips,
 *                            median US us, p99 US us"; fewer than COUNT if
 *                            the file STOPFILE appears
 *
 * The schedule of SEED (an xorshift PRNG): message i has size 1, 100,
 * 16383, 16384 for i < 4, then 1..400 or 1..16384 (half each; 1..400 all
 * of them when $SCTPPEER_SMALL is set, for sender and sink); stream
 * 0..15; PPID 60, 46, 1234 or 0; unordered about half of the time, never
 * below 8 bytes. Its bytes 0..7 are i as a big-endian 64-bit number (cut
 * to the message's size), byte k >= 8 is (i * 131 + k * 7) & 0xff. PPIDs
 * go on the wire in network byte order (as src/sctp.c sends them).
 *
 * Servers listen on [::] (IPv4 too). Prints one result line on stdout
 * (diagnostics on stderr); exit 0 on success, 1 on a failed check or a
 * failed connection, 2 on usage or setup errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "sctputil.h"

#define MAX_MSG 16384 /* the sink's limit: a DTLS record's plaintext */
#define NSTREAMS 16
#define MAXC 256 /* echo: associations at once */

struct entry {
	uint32_t size;
	uint32_t ppid;
	uint16_t stream;
	uint8_t unord;
};

/* A message being read: its bytes and, from its first piece, its meta. */
struct msg {
	uint8_t *buf;
	size_t len, max; /* buf holds max + 1 bytes */
	uint32_t ppid;
	uint16_t sid;
	int unord;
	int pieces;
};

enum rd { RD_MSG, RD_PART, RD_EOF, RD_ERR, RD_BIG, RD_TIMEOUT };

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The schedule of ${seed}: ${count} entries (malloc'ed). */
static struct entry *
schedule(uint64_t count, unsigned long seed)
{
	static const uint32_t ppids[4] = {60, 46, 1234, 0};
	static const uint32_t first[4] = {1, 100, MAX_MSG - 1, MAX_MSG};
	uint64_t s = 0x9e3779b97f4a7c15ull * ((uint64_t)seed + 1), r;
	struct entry *e = calloc(count ? count : 1, sizeof(*e));
	int small = getenv("SCTPPEER_SMALL") != NULL;

	if (e == NULL) {
		perror("sctppeer: calloc");
		exit(2);
	}
	for (uint64_t i = 0; i < count; i++) {
		r = xorshift(&s);
		if (i < 4)
			e[i].size = first[i];
		else if ((r & 1) || small)
			e[i].size = 1 + (uint32_t)((r >> 1) % 400);
		else
			e[i].size = 1 + (uint32_t)((r >> 1) % MAX_MSG);
		e[i].stream = (uint16_t)(xorshift(&s) % NSTREAMS);
		e[i].ppid = ppids[xorshift(&s) % 4];
		e[i].unord = (xorshift(&s) & 1) && e[i].size >= 8;
	}
	return e;
}

/* Content byte k of message i. */
static uint8_t
pattern(uint64_t i, size_t k)
{
	if (k < 8)
		return (uint8_t)(i >> (56 - 8 * k));
	return (uint8_t)((i * 131 + k * 7) & 0xff);
}

static void
fill(uint8_t *b, size_t n, uint64_t i)
{
	for (size_t k = 0; k < n; k++)
		b[k] = pattern(i, k);
}

/* The index in the first 8 bytes of ${b} (at least 8 bytes long). */
static uint64_t
index_of(const uint8_t *b)
{
	uint64_t i = 0;

	for (int k = 0; k < 8; k++)
		i = i << 8 | b[k];
	return i;
}

static void
msg_init(struct msg *m, size_t max)
{
	memset(m, 0, sizeof(*m));
	m->max = max;
	if ((m->buf = malloc(max + 1)) == NULL) {
		perror("sctppeer: malloc");
		exit(2);
	}
}

/*
 * One recv into ${m} (after what it has). RD_MSG when that completes a
 * message, RD_PART if not, RD_BIG past m->max bytes, RD_EOF, RD_ERR.
 * Notifications (none subscribed) are skipped.
 */
static enum rd
read_piece(int fd, struct msg *m)
{
	struct sctp_rcvinfo ri;
	struct iovec iov;
	socklen_t rilen = sizeof(ri);
	unsigned int type = 0;
	int flags = 0;
	ssize_t n;

	iov.iov_base = m->buf + m->len;
	iov.iov_len = m->max + 1 - m->len;
	memset(&ri, 0, sizeof(ri));
	n = sctp_recvv(fd, &iov, 1, NULL, NULL, &ri, &rilen, &type, &flags);
	if (n < 0)
		return RD_ERR;
	if (n == 0)
		return RD_EOF;
	if (flags & MSG_NOTIFICATION)
		return RD_PART;
	if (m->len == 0 && type == SCTP_RECVV_RCVINFO) {
		m->sid = ri.rcv_sid;
		m->ppid = ntohl(ri.rcv_ppid);
		m->unord = (ri.rcv_flags & SCTP_UNORDERED) != 0;
	}
	m->len += (size_t)n;
	m->pieces++;
	if (m->len > m->max)
		return RD_BIG;
	return (flags & MSG_EOR) ? RD_MSG : RD_PART;
}

/* A whole message into ${m}, waiting up to ${ms} ms for each piece. */
static enum rd
read_msg(int fd, struct msg *m, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	enum rd r;

	m->len = 0;
	m->pieces = 0;
	do {
		if (poll(&p, 1, ms) == 0)
			return RD_TIMEOUT;
		r = read_piece(fd, m);
	} while (r == RD_PART);
	return r;
}

static void
abort_assoc(int fd)
{
	struct linger l = {1, 0};

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

/*
 * After our SHUTDOWN: wait up to ${secs} for the association to end. The
 * kernel neither wakes poll nor ends recv when the SHUTDOWN was ours (no
 * RCV_SHUTDOWN then), so this waits for the SCTP_ASSOC_CHANGE event.
 * NULL once closed gracefully, else what happened.
 */
static const char *
wait_closed(int fd, int secs)
{
	static uint8_t b[MAX_MSG];
	union sctp_notification *sn = (union sctp_notification *)(void *)b;
	struct pollfd p = {fd, POLLIN, 0};
	struct iovec iov = {b, sizeof(b)};
	int flags;
	ssize_t n;

	for (double end = now() + secs;;) {
		if (poll(&p, 1, (int)((end - now()) * 1000) + 1) == 0)
			return "the peer did not close in time";
		flags = 0;
		n = sctp_recvv(
		    fd, &iov, 1, NULL, NULL, NULL, NULL, NULL, &flags);
		if (n == 0 || (n < 0 && errno == ENOTCONN))
			return NULL;
		if (n < 0)
			return strerror(errno);
		if (!(flags & MSG_NOTIFICATION) ||
		    sn->sn_header.sn_type != SCTP_ASSOC_CHANGE)
			continue;
		if (sn->sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP)
			return NULL;
		if (sn->sn_assoc_change.sac_state == SCTP_COMM_LOST)
			return "aborted";
	}
}

/* Turns on SCTP_ASSOC_CHANGE events (for wait_closed). */
static void
assoc_events(int fd)
{
	struct sctp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.se_type = SCTP_ASSOC_CHANGE;
	ev.se_on = 1;
	if (setsockopt(fd, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)) != 0) {
		perror("sctppeer: SCTP_EVENT");
		exit(2);
	}
}

/* send: the schedule, SHUTDOWN, then wait for the peer's close. */
static int
do_send(const char *host, const char *port, uint64_t count, unsigned long seed)
{
	struct entry *e = schedule(count, seed);
	static uint8_t b[MAX_MSG];
	const char *why;
	int fd;

	if ((fd = sctputil_connect(host, port)) < 0) {
		printf("connect failed: %s\n", strerror(errno));
		return 1;
	}
	assoc_events(fd);
	for (uint64_t i = 0; i < count; i++) {
		fill(b, e[i].size, i);
		if (sctputil_send(fd, b, e[i].size, e[i].stream, e[i].ppid,
		        e[i].unord) != (ssize_t)e[i].size) {
			printf("send failed at message %llu: %s\n",
			    (unsigned long long)i, strerror(errno));
			return 1;
		}
	}
	shutdown(fd, SHUT_WR);
	why = wait_closed(fd, 60);
	close(fd);
	free(e);
	if (why != NULL) {
		printf("sent %llu messages, then: %s\n",
		    (unsigned long long)count, why);
		return 1;
	}
	printf("sent %llu messages\n", (unsigned long long)count);
	return 0;
}

/* The sink's state: the schedule and what has arrived of it. */
struct sink {
	struct entry *e;
	uint64_t count, got, unord;
	uint8_t *seen;
	uint64_t *ord[NSTREAMS]; /* each stream's ordered messages */
	uint64_t nord[NSTREAMS], pos[NSTREAMS];
	uint32_t ppids[64];
	int nppids;
	unsigned streams; /* bit mask of streams seen */
	uint64_t in_pieces, max_pieces, late, max_lag, top;
	char why[256];
	char late_txt[256]; /* the first late ones, for stderr */
};

static void
sink_init(struct sink *k, uint64_t count, unsigned long seed)
{
	memset(k, 0, sizeof(*k));
	k->e = schedule(count, seed);
	k->count = count;
	k->seen = calloc(count ? count : 1, 1);
	for (int s = 0; s < NSTREAMS; s++)
		k->ord[s] = calloc(count ? count : 1, sizeof(uint64_t));
	if (k->seen == NULL || k->ord[NSTREAMS - 1] == NULL) {
		perror("sctppeer: calloc");
		exit(2);
	}
	for (uint64_t i = 0; i < count; i++) {
		if (!k->e[i].unord) {
			int s = k->e[i].stream;

			k->ord[s][k->nord[s]++] = i;
		}
	}
}

/* Does ${m} match entry ${i} in size, PPID and content? (else: why) */
static int
matches(struct sink *k, uint64_t i, const struct msg *m)
{
	const struct entry *e = &k->e[i];
	unsigned long long ii = (unsigned long long)i;

	if (m->len != e->size) {
		snprintf(k->why, sizeof(k->why),
		    "message %llu on stream %u: %zu bytes, expected %u", ii,
		    m->sid, m->len, e->size);
		return 0;
	}
	if (m->ppid != e->ppid) {
		snprintf(k->why, sizeof(k->why),
		    "message %llu on stream %u: PPID %u, expected %u", ii,
		    m->sid, m->ppid, e->ppid);
		return 0;
	}
	if (m->len >= 8 && index_of(m->buf) != i) {
		snprintf(k->why, sizeof(k->why),
		    "message %llu on stream %u: carries index %llu instead", ii,
		    m->sid, (unsigned long long)index_of(m->buf));
		return 0;
	}
	for (size_t b = 0; b < m->len; b++) {
		if (m->buf[b] != pattern(i, b)) {
			snprintf(k->why, sizeof(k->why),
			    "message %llu on stream %u: byte %zu is %u, "
			    "expected %u",
			    ii, m->sid, b, m->buf[b], pattern(i, b));
			return 0;
		}
	}
	return 1;
}

/* An ordered message on stream m->sid: the next of that stream? */
static int
check_ordered(struct sink *k, const struct msg *m, uint64_t *idx)
{
	int s = m->sid;
	uint64_t ci = m->len >= 8 ? index_of(m->buf) : k->count;

	if (ci < k->count && k->seen[ci]) {
		snprintf(k->why, sizeof(k->why),
		    "message %llu arrived twice (on stream %d)",
		    (unsigned long long)ci, s);
		return -1;
	}
	if (ci < k->count && k->e[ci].unord) {
		snprintf(k->why, sizeof(k->why),
		    "message %llu on stream %d: ordered, expected unordered",
		    (unsigned long long)ci, s);
		return -1;
	}
	if (k->pos[s] == k->nord[s]) {
		snprintf(k->why, sizeof(k->why),
		    "ordered message of %zu bytes on stream %d after all %llu "
		    "of that stream",
		    m->len, s, (unsigned long long)k->nord[s]);
		return -1;
	}
	*idx = k->ord[s][k->pos[s]];
	if (!matches(k, *idx, m))
		return -1;
	k->pos[s]++;
	return 0;
}

/* An unordered message: the one whose index it carries? */
static int
check_unordered(struct sink *k, const struct msg *m, uint64_t *idx)
{
	unsigned long long ci;
	const char *why = NULL;

	if (m->len < 8) {
		snprintf(k->why, sizeof(k->why),
		    "unordered message of %zu bytes on stream %u (none is "
		    "shorter than 8)",
		    m->len, m->sid);
		return -1;
	}
	ci = index_of(m->buf);
	if (ci >= k->count) {
		snprintf(k->why, sizeof(k->why),
		    "unordered message on stream %u carries index %llu, "
		    "beyond the count",
		    m->sid, ci);
		return -1;
	}
	if (k->seen[ci])
		why = "arrived twice";
	else if (!k->e[ci].unord)
		why = "unordered, expected ordered";
	else if (k->e[ci].stream != m->sid)
		why = "on the wrong stream";
	if (why != NULL) {
		snprintf(k->why, sizeof(k->why),
		    "message %llu on stream %u: %s (stream %u in the schedule)",
		    ci, m->sid, why, k->e[ci].stream);
		return -1;
	}
	*idx = ci;
	if (!matches(k, ci, m))
		return -1;
	k->unord++;
	return 0;
}

/* Checks one whole message; notes its index and what was seen. */
static int
sink_check(struct sink *k, const struct msg *m)
{
	uint64_t i = 0;
	int j;

	if (m->sid >= NSTREAMS) {
		snprintf(k->why, sizeof(k->why),
		    "message on stream %u (only 16)", m->sid);
		return -1;
	}
	if ((m->unord ? check_unordered(k, m, &i) : check_ordered(k, m, &i)) !=
	    0)
		return -1;
	k->seen[i] = 1;
	k->got++;
	k->streams |= 1u << m->sid;
	for (j = 0; j < k->nppids && k->ppids[j] != m->ppid; j++)
		;
	if (j == k->nppids && j < 64)
		k->ppids[k->nppids++] = m->ppid;
	if (m->pieces > 1)
		k->in_pieces++;
	if ((uint64_t)m->pieces > k->max_pieces)
		k->max_pieces = (uint64_t)m->pieces;
	if (i < k->top) {
		size_t l = strlen(k->late_txt);

		if (++k->late <= 4)
			snprintf(k->late_txt + l, sizeof(k->late_txt) - l,
			    " %llu (%s, %zu bytes, stream %u) after %llu;",
			    (unsigned long long)i,
			    m->unord ? "unordered" : "ordered", m->len, m->sid,
			    (unsigned long long)k->top);
		if (k->top - i > k->max_lag)
			k->max_lag = k->top - i;
	}
	if (i > k->top)
		k->top = i;
	return 0;
}

/* At EOF: everything there? */
static int
sink_complete(struct sink *k)
{
	uint64_t i;

	if (k->got == k->count)
		return 1;
	for (i = 0; i < k->count && k->seen[i]; i++)
		;
	snprintf(k->why, sizeof(k->why),
	    "%llu of %llu messages arrived; first missing: message %llu "
	    "(stream %u, %s)",
	    (unsigned long long)k->got, (unsigned long long)k->count,
	    (unsigned long long)i, k->e[i].stream,
	    k->e[i].unord ? "unordered" : "ordered");
	return 0;
}

/* sink: one association, every message checked against the schedule. */
static int
do_sink(const char *port, uint64_t count, unsigned long seed)
{
	struct sink k;
	struct msg m;
	int lfd = sctputil_listen(port), fd, ok = 0;
	enum rd r;

	sink_init(&k, count, seed);
	msg_init(&m, MAX_MSG);
	fd = sctputil_accept(lfd);
	close(lfd);
	for (;;) {
		r = read_msg(fd, &m, 120000);
		if (r == RD_MSG && sink_check(&k, &m) == 0)
			continue;
		if (r == RD_EOF)
			ok = sink_complete(&k);
		else if (r == RD_BIG)
			snprintf(k.why, sizeof(k.why),
			    "message larger than %d bytes", MAX_MSG);
		else if (r == RD_TIMEOUT)
			snprintf(k.why, sizeof(k.why),
			    "nothing for 120 s after %llu messages",
			    (unsigned long long)k.got);
		else if (r == RD_ERR)
			snprintf(k.why, sizeof(k.why), "%s after %llu messages",
			    strerror(errno), (unsigned long long)k.got);
		break;
	}
	if (r != RD_EOF) {
		/* SHUTDOWN, then read on until the association ends. */
		assoc_events(fd);
		shutdown(fd, SHUT_WR);
		wait_closed(fd, 30);
	}
	close(fd);
	fprintf(stderr,
	    "sctppeer sink: %llu in pieces (up to %llu pieces), %llu after "
	    "a later-sent one (lag up to %llu)%s\n",
	    (unsigned long long)k.in_pieces, (unsigned long long)k.max_pieces,
	    (unsigned long long)k.late, (unsigned long long)k.max_lag,
	    k.late_txt);
	if (!ok) {
		printf("FAIL: %s\n", k.why);
		return 1;
	}
	printf("ok: %llu messages, %llu unordered, %d streams, %d ppids\n",
	    (unsigned long long)k.got, (unsigned long long)k.unord,
	    __builtin_popcount(k.streams), k.nppids);
	return 0;
}

/* sendone: one message, then what the peer does within 10 s. */
static int
do_sendone(const char *host, const char *port, size_t size, uint16_t sid,
    uint32_t ppid)
{
	static uint8_t junk[65536];
	uint8_t *b = malloc(size ? size : 1);
	struct pollfd p;
	ssize_t n;
	int fd;

	if (b == NULL)
		return 2;
	if ((fd = sctputil_connect(host, port)) < 0) {
		if (errno == ECONNREFUSED) {
			printf("refused\n");
			return 0;
		}
		printf("connect failed: %s\n", strerror(errno));
		return 1;
	}
	fill(b, size, 0);
	if (sctputil_send(fd, b, size, sid, ppid, 0) != (ssize_t)size) {
		if (errno == ECONNRESET) {
			printf("aborted\n");
			return 0;
		}
		if (errno != EPIPE) { /* EPIPE: the peer shut down; see below */
			printf("send failed: %s\n", strerror(errno));
			return 1;
		}
	}
	free(b);
	p.fd = fd;
	p.events = POLLIN;
	for (double end = now() + 10;;) {
		if (poll(&p, 1, (int)((end - now()) * 1000) + 1) == 0) {
			printf("open\n");
			break;
		}
		if ((n = recv(fd, junk, sizeof(junk), 0)) > 0)
			continue;
		if (n == 0 || errno == ENOTCONN || errno == EPIPE)
			printf("closed\n");
		else if (errno == ECONNRESET)
			printf("aborted\n");
		else
			printf("error: %s\n", strerror(errno));
		break;
	}
	close(fd);
	return 0;
}

/* sendshut: one message, SHUTDOWN, then how the association ends. */
static int
do_sendshut(const char *host, const char *port, size_t size, uint16_t sid,
    uint32_t ppid)
{
	static uint8_t b[65536];
	union sctp_notification *sn = (union sctp_notification *)(void *)b;
	struct pollfd p;
	int fd, flags, back = 0;
	const char *end = "open";
	ssize_t n;

	if ((fd = sctputil_connect(host, port)) < 0) {
		printf("connect failed: %s\n", strerror(errno));
		return 1;
	}
	assoc_events(fd);
	fill(b, size, 0);
	if (sctputil_send(fd, b, size, sid, ppid, 0) != (ssize_t)size ||
	    shutdown(fd, SHUT_WR) != 0) {
		printf("send failed: %s\n", strerror(errno));
		return 1;
	}
	p.fd = fd;
	p.events = POLLIN;
	for (double t = now() + 10;
	     poll(&p, 1, (int)((t - now()) * 1000) + 1);) {
		flags = 0;
		n = sctp_recvv(fd, &(struct iovec){b, sizeof(b)}, 1, NULL, NULL,
		    NULL, NULL, NULL, &flags);
		if (n <= 0) {
			end =
			    n == 0 || errno == ENOTCONN ? "closed" : "aborted";
			break;
		}
		if (!(flags & MSG_NOTIFICATION)) {
			back += (flags & MSG_EOR) != 0;
			continue;
		}
		if (sn->sn_header.sn_type != SCTP_ASSOC_CHANGE)
			continue;
		if (sn->sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP) {
			end = "closed";
			break;
		}
		if (sn->sn_assoc_change.sac_state == SCTP_COMM_LOST) {
			end = "aborted";
			break;
		}
	}
	printf("%s, %d messages back\n", end, back);
	close(fd);
	return 0;
}

/* abort: connect, 100 bytes, 0.5 s, ABORT. */
static int
do_abort(const char *host, const char *port)
{
	uint8_t b[100];
	int fd;

	if ((fd = sctputil_connect(host, port)) < 0) {
		printf("connect failed: %s\n", strerror(errno));
		return 1;
	}
	fill(b, sizeof(b), 0);
	if (sctputil_send(fd, b, sizeof(b), 0, 0, 0) != (ssize_t)sizeof(b)) {
		printf("send failed: %s\n", strerror(errno));
		return 1;
	}
	usleep(500000);
	abort_assoc(fd);
	printf("aborted by us\n");
	return 0;
}

/* abort-server: accept one association, read one message, ABORT. */
static int
do_abort_server(const char *port)
{
	struct msg m;
	int lfd = sctputil_listen(port), fd;
	enum rd r;

	msg_init(&m, 65536);
	fd = sctputil_accept(lfd);
	close(lfd);
	if ((r = read_msg(fd, &m, 60000)) != RD_MSG && r != RD_BIG) {
		printf("no message: %s\n",
		    r == RD_EOF           ? "closed"
		        : r == RD_TIMEOUT ? "nothing within 60 s"
		                          : strerror(errno));
		close(fd);
		return 1;
	}
	abort_assoc(fd);
	printf("aborted by us\n");
	return 0;
}

/* noread: accept and hold every association, never read. */
static _Noreturn void
do_noread(const char *port)
{
	int lfd = sctputil_listen(port);

	printf("listening\n");
	fflush(stdout);
	for (;;)
		sctputil_accept(lfd); /* kept open: never closed, never read */
}

/* lines: each message of each association, with its meta, in order. */
static _Noreturn void
do_lines(const char *port)
{
	int lfd = sctputil_listen(port), fd;
	struct msg m;
	size_t k;

	msg_init(&m, MAX_MSG);
	printf("listening\n");
	for (;;) {
		fd = sctputil_accept(lfd);
		while (read_msg(fd, &m, -1) == RD_MSG) {
			printf("stream %u ppid %u unordered %d bytes %zu: ",
			    (unsigned)m.sid, (unsigned)m.ppid, m.unord, m.len);
			for (k = 0; k < m.len; k++)
				if (m.buf[k] == '\n')
					fputs("\\n", stdout);
				else
					putchar(m.buf[k]);
			putchar('\n');
		}
		printf("eof\n");
		close(fd);
	}
}

/* echo: one association's readable event; 0 to keep it, -1 closed. */
static int
echo_one(int fd, struct msg *m)
{
	enum rd r = read_piece(fd, m);

	if (r == RD_PART)
		return 0;
	if (r == RD_MSG) {
		if (sctputil_send(fd, m->buf, m->len, m->sid, m->ppid,
		        m->unord) == (ssize_t)m->len) {
			m->len = 0;
			m->pieces = 0;
			return 0;
		}
		fprintf(stderr, "sctppeer echo: send: %s\n", strerror(errno));
	} else if (r == RD_BIG) {
		fprintf(
		    stderr, "sctppeer echo: message over %zu bytes\n", m->max);
		abort_assoc(fd);
		return -1;
	} else if (r == RD_ERR) {
		fprintf(stderr, "sctppeer echo: recv: %s\n", strerror(errno));
	}
	close(fd);
	return -1;
}

/* echo: every association at once, each message back as it came. */
static _Noreturn void
do_echo(const char *port)
{
	static struct pollfd p[MAXC + 1];
	static struct msg m[MAXC + 1];
	int n = 1, i;

	p[0].fd = sctputil_listen(port);
	p[0].events = POLLIN;
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		if (poll(p, (nfds_t)n, -1) < 0)
			continue;
		for (i = n - 1; i >= 1; i--) {
			if (!p[i].revents || echo_one(p[i].fd, &m[i]) == 0)
				continue;
			free(m[i].buf);
			p[i] = p[n - 1];
			m[i] = m[n - 1];
			n--;
		}
		if ((p[0].revents & POLLIN) && n <= MAXC) {
			p[n].fd = sctputil_accept(p[0].fd);
			p[n].events = POLLIN;
			p[n].revents = 0;
			msg_init(&m[n++], 65536);
		}
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One round trip of message ${i}: NULL if fine, else what went wrong. */
static const char *
round_trip(int fd, struct msg *m, uint8_t *out, size_t size, int i)
{
	enum rd r;

	fill(out, size, (uint64_t)i);
	if (sctputil_send(fd, out, size, 1, 60, 0) != (ssize_t)size)
		return strerror(errno);
	r = read_msg(fd, m, 10000);
	if (r == RD_TIMEOUT)
		return "no answer within 10 s";
	if (r == RD_EOF)
		return "closed";
	if (r == RD_ERR)
		return strerror(errno);
	if (r == RD_BIG || m->len != size || memcmp(m->buf, out, size) != 0)
		return "the echo differs";
	if (m->sid != 1 || m->ppid != 60 || m->unord)
		return "the echo's stream, PPID or flag differs";
	return NULL;
}

/* rr: COUNT round trips of SIZE bytes (after 20 not counted). */
static int
do_rr(const char *host, const char *port, int count, size_t size,
    const char *stop)
{
	enum { WARMUP = 20 };
	static uint8_t out[65536];
	struct msg m;
	const char *err;
	double *rtt, t0;
	int fd, i;

	if (count < 1 || size < 1 || size > sizeof(out))
		return 2;
	if ((rtt = malloc(sizeof(*rtt) * (size_t)count)) == NULL)
		return 2;
	if ((fd = sctputil_connect(host, port)) < 0) {
		printf("connect failed: %s\n", strerror(errno));
		return 1;
	}
	msg_init(&m, sizeof(out));
	for (i = -WARMUP; i < count; i++) {
		t0 = now();
		if ((err = round_trip(fd, &m, out, size, i + WARMUP)) != NULL) {
			printf("round trip %d: %s\n", i, err);
			return 1;
		}
		if (i >= 0)
			rtt[i] = (now() - t0) * 1e6;
		if (i >= 0 && stop != NULL && access(stop, F_OK) == 0) {
			count = i + 1;
			break;
		}
	}
	close(fd);
	qsort(rtt, (size_t)count, sizeof(*rtt), cmp_double);
	printf("ok: %d round trips, median %.0f us, p99 %.0f us\n", count,
	    rtt[count / 2], rtt[(count * 99 - 1) / 100]);
	free(rtt);
	free(m.buf);
	return 0;
}

/* A number argument in [min, max], else usage error. */
static unsigned long long
num(const char *s, unsigned long long min, unsigned long long max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || v < min || v > max) {
		fprintf(stderr, "sctppeer: bad number %s\n", s);
		exit(2);
	}
	return v;
}

int
main(int argc, char **argv)
{
	const char *c = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* sctp_sendv() does not pass MSG_NOSIGNAL on (lksctp 1.0.19). */
	signal(SIGPIPE, SIG_IGN);
	if (argc == 6 && strcmp(c, "send") == 0)
		return do_send(argv[2], argv[3], num(argv[4], 0, 1ull << 40),
		    (unsigned long)num(argv[5], 0, ~0ul));
	if (argc == 5 && strcmp(c, "sink") == 0)
		return do_sink(argv[2], num(argv[3], 0, 1ull << 40),
		    (unsigned long)num(argv[4], 0, ~0ul));
	if ((argc == 6 || argc == 7) && strcmp(c, "sendone") == 0)
		return do_sendone(argv[2], argv[3],
		    (size_t)num(argv[4], 1, 1 << 24),
		    (uint16_t)num(argv[5], 0, 65535),
		    argc == 7 ? (uint32_t)num(argv[6], 0, 0xffffffffu) : 0);
	if ((argc == 6 || argc == 7) && strcmp(c, "sendshut") == 0)
		return do_sendshut(argv[2], argv[3],
		    (size_t)num(argv[4], 1, 65536),
		    (uint16_t)num(argv[5], 0, 65535),
		    argc == 7 ? (uint32_t)num(argv[6], 0, 0xffffffffu) : 0);
	if (argc == 4 && strcmp(c, "abort") == 0)
		return do_abort(argv[2], argv[3]);
	if (argc == 3 && strcmp(c, "abort-server") == 0)
		return do_abort_server(argv[2]);
	if (argc == 3 && strcmp(c, "noread") == 0)
		do_noread(argv[2]);
	if (argc == 3 && strcmp(c, "lines") == 0)
		do_lines(argv[2]);
	if (argc == 3 && strcmp(c, "echo") == 0)
		do_echo(argv[2]);
	if ((argc == 6 || argc == 7) && strcmp(c, "rr") == 0)
		return do_rr(argv[2], argv[3], (int)num(argv[4], 1, 1 << 24),
		    (size_t)num(argv[5], 1, 65536), argc == 7 ? argv[6] : NULL);
	fprintf(stderr, "usage: see the comment at the top of sctppeer.c\n");
	return 2;
}
