/*
 * rbio.c: the RFC 6083 BIO: DTLS records to and from SCTP user messages on
 * a one-to-one SCTP socket, wire compatible with OpenSSL's own enable-sctp
 * BIO (crypto/bio/bss_dgram.c), on a stock OpenSSL that has none.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "log.h"
#include "mmsg.h"
#include "rbio.h"
#include "rec.h"
#include "rgap.h"
#include "rtx.h"

/*
 * The link MTU we tell OpenSSL: large enough that a 16384-byte write leaves
 * as one record and handshake messages are not fragmented below 2^14
 * (RFC 6083 3.2: no path MTU discovery, PMTU 2^14).
 */
#define LINK_MTU (16384 + 2048)

struct rbio {
	BIO *bio;
	int fd;
	const struct rbio_ops *ops;
	void *arg;
	struct rec_asm rx; /* the message being received */
	size_t rx_off; /* its next record not looked at */
	struct unit_meta rx_meta; /* what it came with */
	struct rgap *gap; /* records held back (rgap.c) */
	struct rtx *out; /* the records we send (rtx.c) */
	struct mmsg_in *in; /* messages received, not looked at yet */
	unsigned rx_ready : 1; /* rx holds a whole message */
	unsigned eof : 1; /* the association ended */
	unsigned failed : 1; /* fatal error, logged */
	unsigned aborted : 1; /* the peer aborted the association */
	unsigned dry : 1; /* nothing of ours is unacknowledged */
	unsigned dry_wait : 1; /* subscribed to the sender-dry event */
	unsigned shut : 1; /* the peer began a graceful SHUTDOWN */
	unsigned empty : 1; /* the socket was found empty ... */
	unsigned hinted : 1; /* ... and the owner says when it is readable
	                        (rbio_readable()): not read again until then */
	char who[128];
};

static BIO_METHOD *method;

/**
 * rbio_fail(r, what, err): the association failed: log "${what}" (and
 * strerror(${err}) if not 0) unless a failure was logged already, or
 * ${what} is NULL (the caller logged it).
 */
void
rbio_fail(struct rbio *r, const char *what, int err)
{
	if (!r->failed && what != NULL) {
		if (err != 0)
			log_err(r->who, "%s: %s", what, strerror(err));
		else
			log_err(r->who, "%s", what);
	}
	r->failed = 1;
}

/* The peer aborted the association (ABORT): an end, not a fault of ours. */
static void
aborted(struct rbio *r)
{
	if (!r->failed)
		log_notice(r->who, "association aborted by the peer");
	r->failed = 1;
	r->aborted = 1;
}

static void
on_notification(struct rbio *r, const struct sctp_notif *n)
{
	log_debug(r->who, "SCTP notification: %s", n->text);
	if (r->ops->notify != NULL)
		r->ops->notify(r->arg, n);
	if (n->type == SCTP_SHUTDOWN_EVENT)
		r->shut = 1;
	if (n->type == SCTP_SENDER_DRY_EVENT && r->dry_wait) {
		r->dry = 1;
		r->dry_wait = 0;
		(void)sctp_dry_subscribe(r->fd, 0);
	}
	if (n->no_auth)
		rbio_fail(r, "peer does not support SCTP-AUTH", 0);
	/* A message being put together will not be completed (PR-SCTP). */
	if (n->pd_aborted && !r->rx_ready)
		rec_asm_free(&r->rx);
}

/*
 * If the next message queued (in the batch received, else on the socket)
 * is a notification, take it into ${n}: 1; else leave it there: 0.
 */
static int
notif_next(struct rbio *r, struct sctp_notif *n)
{
	struct mmsg_got g;

	if (r->in == NULL || mmsg_in_left(r->in) == 0)
		return sctp_notif_next(r->fd, n);
	if (!mmsg_in_peek(r->in, &g) || !(g.flags & MSG_NOTIFICATION) ||
	    !(g.flags & MSG_EOR))
		return 0;
	(void)mmsg_in_next(r->in, &g);
	sctp_notif_parse(g.p, g.len, n);
	return 1;
}

/*
 * A send failed with ${err}: the notifications queued first may say why
 * (the association lost or restarted: the engine's owner logs it).
 */
static void
send_failed(struct rbio *r, int err)
{
	struct sctp_notif n;

	while (!r->failed && notif_next(r, &n))
		on_notification(r, &n);
	rbio_fail(r, "SCTP send", err);
}

/* A message that is not whole DTLS records ends the association. */
static void
violation(struct rbio *r, const char *why, int eor)
{
	if (eor)
		log_err(r->who, "protocol violation: %s (%zu bytes)", why,
		    r->rx.len);
	else
		log_err(r->who, "protocol violation: %s", why);
	r->failed = 1;
}

/* recv_one(): nothing more to read now. */
#define RX_STOP (-2)

/*
 * The association ended (recvmsg returned 0): gracefully if the peer began
 * a SHUTDOWN, else it was aborted (with SCTP_RECVNXTINFO, the look for a
 * next message may have taken the ECONNRESET that would have said so).
 * RX_STOP, or -1 (failed).
 */
static ssize_t
ended(struct rbio *r)
{
	r->eof = 1;
	if (r->shut)
		return RX_STOP;
	aborted(r);
	return -1;
}

/*
 * The next message, piece or notification (mmsg_in_read(): small messages
 * several per recvmmsg, a large one straight into *${pp}); *${pp} then
 * points where it is. sctp_msg_recv()'s results.
 */
static ssize_t
recv_batch(struct rbio *r, uint8_t **pp, size_t room, int *flags,
    struct unit_meta *m, int *next)
{
	struct mmsg_got g;

	if (r->in == NULL && (r->in = mmsg_in_new()) == NULL)
		return sctp_msg_recv(r->fd, *pp, room, flags, m, next);
	if (mmsg_in_read(r->in, r->fd, *pp, room, &g) < 0)
		return -1;
	*pp = (uint8_t *)(uintptr_t)g.p;
	*flags = g.flags;
	*m = g.m;
	*next = g.next;
	return (ssize_t)g.len;
}

/*
 * One message (or a piece) into *${pp} (${room} bytes) or taken from the
 * batch received (*${pp} then points there), with what the message came with
 * into *${m} and whether it ended (MSG_EOR) into *${eor}: the byte count;
 * 0 after a notification (handled); RX_STOP when there is nothing more to
 * read now (EAGAIN, EINTR, the end of the association); -1 if it failed.
 */
static ssize_t
recv_one(
    struct rbio *r, uint8_t **pp, size_t room, struct unit_meta *m, int *eor)
{
	struct sctp_notif n;
	uint8_t *p;
	ssize_t got;
	int flags, next;

	got = recv_batch(r, pp, room, &flags, m, &next);
	p = *pp;
	if (got < 0) {
		r->empty = errno == EAGAIN;
		if (errno == EAGAIN || errno == EINTR)
			return RX_STOP;
		if (errno == ECONNRESET || errno == EPIPE)
			aborted(r);
		else
			rbio_fail(r, "SCTP receive", errno);
		return -1;
	}
	if (got == 0)
		return ended(r);
	/*
	 * Nothing queued behind a whole message: no read to find out. Not
	 * while the batch holds more: in one recvmmsg a slot can say nothing
	 * followed it and the next slot still take a message that came after
	 * (10-echo's concurrent clients waited for echoes held so).
	 */
	*eor = (flags & MSG_EOR) != 0;
	r->empty = *eor && !next && (r->in == NULL || mmsg_in_left(r->in) == 0);
	if (!(flags & MSG_NOTIFICATION))
		return got;
	/* Notifications are small and come whole. */
	if (*eor) {
		sctp_notif_parse(p, (size_t)got, &n);
		on_notification(r, &n);
	}
	return 0;
}

/*
 * Read from the socket until a whole message is held, the socket is empty
 * or the association ends. Notifications are handled on the way. With
 * ${out} (${outl} bytes: OpenSSL's read buffer), a message that is not the
 * rest of one begun is read straight into it, and if it is one whole
 * record, there it stays: its length is returned, for the caller to hand
 * over without a copy. Otherwise 0, or -1 if the association failed.
 */
static ssize_t
pump(struct rbio *r, uint8_t *out, size_t outl)
{
	const char *why;
	uint8_t *p;
	size_t room;
	ssize_t got;
	int a, eor = 0, direct;

	while (
	    !r->rx_ready && !r->eof && !r->failed && !(r->empty && r->hinted)) {
		direct = out != NULL &&
		    !(r->rx.state == REC_ASM_MORE && r->rx.len > 0);
		if (direct) {
			p = out;
			room = outl;
		} else if ((p = rec_asm_room(&r->rx, &room)) == NULL) {
			rbio_fail(r, "out of memory", 0);
			return -1;
		}
		if ((got = recv_one(r, &p, room, &r->rx_meta, &eor)) == -1)
			return -1;
		if (got == RX_STOP)
			break;
		if (got == 0)
			continue;
		if (direct && eor && rec_len(p, (size_t)got) == got &&
		    rec_check(p, (size_t)got, &why) == 0 &&
		    (size_t)got <= outl) {
			if (p != out) /* from the batch */
				memcpy(out, p, (size_t)got);
			return got;
		}
		/* Several records, or a piece: put together in rx. */
		a = rec_asm_add(&r->rx, p, (size_t)got, eor, &why);
		if (a == REC_ASM_ERR) {
			violation(r, why, eor);
			return -1;
		}
		if (a == REC_ASM_WHOLE) {
			r->rx_ready = 1;
			r->rx_off = 0;
		}
	}
	return r->failed ? -1 : 0;
}

/* Hand the record ${rec} to OpenSSL's buffer ${out}. */
static int
hand(struct rbio *r, const uint8_t *rec, size_t len, const struct unit_meta *m,
    char *out, int outl)
{
	struct unit_meta meta = *m;

	if (len > (size_t)outl) {
		log_err(r->who,
		    "protocol violation: record of %zu bytes "
		    "exceeds the DTLS read buffer",
		    len);
		r->failed = 1;
		return -1;
	}
	if ((const char *)rec != out)
		memcpy(out, rec, len);
	rgap_delivered(r->gap, rec); /* frees a held copy */
	if (r->ops->handed != NULL)
		r->ops->handed(r->arg, (const uint8_t *)out, len, &meta);
	return (int)len;
}

/*
 * The record ${rec} (${len} bytes) arrived: handed to OpenSSL's buffer
 * ${out} (its length returned), or held, or refused as stale (0).
 */
static int
arrived(struct rbio *r, const uint8_t *rec, size_t len, char *out, int outl)
{
	int a = rgap_arrived(r->gap, rec, len, &r->rx_meta);

	if (a == RGAP_DELIVER)
		return hand(r, rec, len, &r->rx_meta, out, outl);
	if (a < 0)
		rbio_fail(r, NULL, 0); /* logged */
	return 0;
}

static int
bio_read(BIO *b, char *out, int outl)
{
	struct rbio *r = BIO_get_data(b);
	struct unit_meta m;
	const uint8_t *rec;
	size_t len;
	ssize_t got;
	int n;

	BIO_clear_retry_flags(b);
	while (!r->failed) {
		if ((rec = rgap_next(r->gap, &len, &m)) != NULL)
			return hand(r, rec, len, &m, out, outl);
		if (rgap_skip(r->gap))
			continue;
		if (r->rx_ready && r->rx_off < r->rx.len) {
			rec = r->rx.buf + r->rx_off;
			len = (size_t)rec_len(rec, r->rx.len - r->rx_off);
			r->rx_off += len;
			/* The next piece starts a new message. */
			r->rx_ready = r->rx_off < r->rx.len;
			if ((n = arrived(r, rec, len, out, outl)) != 0)
				return n;
			continue;
		}
		/* The usual case: a record read straight into ${out}. */
		if ((got = pump(r, (uint8_t *)out, (size_t)outl)) < 0)
			break;
		if (got > 0 &&
		    (n = arrived(
		         r, (const uint8_t *)out, (size_t)got, out, outl)) != 0)
			return n;
		if (r->rx_ready || got > 0)
			continue;
		if (r->eof)
			return 0;
		if ((n = rgap_probe(r->gap)) == RGAP_MARKED)
			r->empty = 0; /* what arrived before the mark */
		if (n != RGAP_WAIT)
			continue;
		BIO_set_retry_read(b);
		return -1;
	}
	return -1;
}

/*
 * The peer sent an alert while our flight waits for sender-dry: it gave
 * up on the handshake, so do we, saying why when the alert is readable.
 */
static int
held_alert(struct rbio *r)
{
	const uint8_t *m = r->rx.buf + r->rx_off;
	size_t len = r->rx.len - r->rx_off;

	if (!(rec_types(m, len) & (1u << (REC_ALERT - REC_CCS))))
		return 0;
	if (m[0] == REC_ALERT && m[3] == 0 && m[4] == 0 && len >= 15)
		log_err(r->who,
		    "DTLS handshake failed: the peer sent the "
		    "alert \"%s\"",
		    SSL_alert_desc_string_long(m[14]));
	else
		log_err(r->who,
		    "DTLS handshake failed: the peer sent an "
		    "alert");
	r->failed = 1;
	return 1;
}

/* Wait (without blocking) until all we sent is acknowledged. */
static int
wait_dry(struct rbio *r, int in_handshake)
{
	struct sctp_notif n;
	int w;

	if (r->dry)
		return 1;
	if ((w = rtx_push(r->out)) <= 0)
		return w; /* what is queued must go first */
	if (!r->dry_wait) {
		if (sctp_dry_subscribe(r->fd, 1) != 0) {
			rbio_fail(
			    r, "subscribing to SCTP_SENDER_DRY_EVENT", errno);
			return -1;
		}
		r->dry_wait = 1;
		r->empty = 0; /* the event may be queued at once */
	}
	if (pump(r, NULL, 0) != 0)
		return -1;
	if (r->rx_ready && !r->dry) {
		if (in_handshake && held_alert(r))
			return -1;
		/* The notifications queued behind the message held. */
		while (!r->dry && !r->failed && notif_next(r, &n))
			on_notification(r, &n);
	}
	if (r->eof && !r->dry) {
		rbio_fail(r,
		    "association ended while waiting for "
		    "acknowledgements",
		    0);
		return -1;
	}
	return r->failed ? -1 : r->dry;
}

/**
 * rbio_wait_dry(r): RFC 6083 4.9: 1 once everything sent is acknowledged
 * (SCTP_SENDER_DRY_EVENT), 0 to wait for the socket, -1 if the
 * association failed.
 */
int
rbio_wait_dry(struct rbio *r)
{
	return wait_dry(r, 0);
}

/* rtx.c's callbacks: around each record sent. */
static int
tx_before(void *arg, uint8_t type)
{
	struct rbio *r = arg;
	int w;

	r->ops->before_send(r->arg, type);
	/* RFC 6083 4.7: everything acknowledged before our CCS. */
	if (type == REC_CCS && !r->failed && (w = wait_dry(r, 1)) <= 0)
		return w;
	return r->failed ? -1 : 1;
}

static int
tx_after(void *arg, uint8_t type)
{
	struct rbio *r = arg;

	r->dry = 0;
	r->ops->after_send(r->arg, type);
	return r->failed ? -1 : 0;
}

static void
tx_send_failed(void *arg, int err)
{
	struct rbio *r = arg;
	struct sctp_notif n;

	if (err != EPIPE && err != ECONNRESET) {
		send_failed(r, err);
		return;
	}
	/* The notifications queued first (SCTP_COMM_LOST) say it first. */
	while (!r->failed && notif_next(r, &n))
		on_notification(r, &n);
	aborted(r);
}

static void
tx_fail(void *arg, const char *why)
{
	rbio_fail(arg, why, 0);
}

static const struct rtx_ops tx_ops = {
    tx_before, tx_after, tx_send_failed, tx_fail};

/*
 * OpenSSL writes one record or a whole flight at a time, and during a
 * handshake its 4096-byte buffering BIO cuts a long flight (a large
 * certificate chain) anywhere, even inside a record: rtx_write() sends
 * each record as its own SCTP message when it is whole. Returns the bytes
 * taken; -1 with the retry flag when nothing could be.
 */
static int
bio_write(BIO *b, const char *in, int inl)
{
	struct rbio *r = BIO_get_data(b);
	ssize_t n;

	BIO_clear_retry_flags(b);
	if (r->failed)
		return -1;
	n = rtx_write(r->out, (const uint8_t *)in, (size_t)inl);
	if (n > 0)
		return (int)n;
	if (n == RTX_RETRY && !r->failed)
		BIO_set_retry_write(b);
	return -1;
}

/**
 * rbio_flush(r): send the record kept back because the socket was full:
 * 1 when nothing is kept (any more), 0 while the socket is still full (or
 * the record waits for sender-dry), -1 if the association failed.
 */
int
rbio_flush(struct rbio *r)
{
	int s;

	if (r->failed)
		return -1;
	if (!rtx_kept(r->out))
		return 1; /* nothing kept, or the rest is still to come */
	BIO_clear_retry_flags(r->bio);
	if ((s = rtx_flush(r->out)) == 0)
		BIO_set_retry_write(r->bio); /* OpenSSL's BIO_flush() asks */
	return r->failed ? -1 : s;
}

/**
 * rbio_push(r): send the application data records queued since the last
 * push (rbio_batch()), several per system call: 1 when none is left, 0
 * while the socket is full, -1 if the association failed.
 */
int
rbio_push(struct rbio *r)
{
	int s;

	if ((s = rbio_flush(r)) <= 0)
		return s;
	return rtx_push(r->out);
}

/**
 * rbio_batch(r, on): if ${on}, application data records are queued and
 * leave, several per sendmmsg, at rbio_push() (or before any other record,
 * a sender-dry wait, or when the queue is full); else each is sent as it
 * is written.
 */
void
rbio_batch(struct rbio *r, int on)
{
	rtx_batch(r->out, on);
}

static long
bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	struct rbio *r = BIO_get_data(b);

	(void)ptr;
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return r != NULL ? rbio_flush(r) > 0 : 1;
	case BIO_CTRL_WPENDING:
		return r != NULL ? (long)rtx_pending(r->out) : 0;
	case BIO_CTRL_DUP:
		return 1;
	case BIO_CTRL_DGRAM_QUERY_MTU:
	case BIO_CTRL_DGRAM_GET_FALLBACK_MTU:
		return LINK_MTU;
	case BIO_CTRL_DGRAM_SET_MTU:
		return num;
	case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
	case BIO_CTRL_DGRAM_MTU_EXCEEDED:
	case BIO_CTRL_PENDING:
	default:
		return 0;
	}
}

static int
bio_create(BIO *b)
{
	BIO_set_init(b, 1);
	return 1;
}

static int
bio_destroy(BIO *b)
{
	struct rbio *r = BIO_get_data(b);

	if (r != NULL) {
		rec_asm_free(&r->rx);
		rgap_free(r->gap);
		rtx_free(r->out);
		mmsg_in_free(r->in);
		free(r);
		BIO_set_data(b, NULL);
	}
	return 1;
}

/** rbio_init(void): the process-wide BIO method. 0, or -1 (logged). */
int
rbio_init(void)
{
	BIO_METHOD *m;

	if (method != NULL)
		return 0;
	m = BIO_meth_new(
	    BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "RFC 6083 DTLS/SCTP");
	if (m == NULL || !BIO_meth_set_write(m, bio_write) ||
	    !BIO_meth_set_read(m, bio_read) ||
	    !BIO_meth_set_ctrl(m, bio_ctrl) ||
	    !BIO_meth_set_create(m, bio_create) ||
	    !BIO_meth_set_destroy(m, bio_destroy)) {
		log_ssl(LOG_LVL_ERROR, NULL, "cannot create the BIO method");
		BIO_meth_free(m);
		return -1;
	}
	method = m;
	return 0;
}

/** rbio_fini(void): free what rbio_init() made; a no-op if nothing. */
void
rbio_fini(void)
{
	BIO_meth_free(method);
	method = NULL;
}

/**
 * rbio_new(fd, ops, arg, who): a BIO for the association on ${fd} (not
 * owned) that reports to ${ops} with ${arg}; ${who} (copied) prefixes its
 * log lines. The BIO owns the returned state: BIO_free(rbio_bio(r)), or
 * the SSL it is given to, frees both. NULL on failure (logged).
 */
struct rbio *
rbio_new(int fd, const struct rbio_ops *ops, void *arg, const char *who)
{
	struct rbio *r;

	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->gap = rgap_new(fd, r->who)) == NULL ||
	    (r->out = rtx_new(fd, &tx_ops, r)) == NULL) {
		log_err(who, "out of memory");
		goto err1;
	}
	if ((r->bio = BIO_new(method)) == NULL) {
		log_ssl(LOG_LVL_ERROR, who, "cannot create the BIO");
		goto err1;
	}
	r->fd = fd;
	r->ops = ops;
	r->arg = arg;
	snprintf(r->who, sizeof(r->who), "%s", who);
	BIO_set_data(r->bio, r);
	return r;

err1:
	if (r != NULL) {
		rgap_free(r->gap);
		rtx_free(r->out);
	}
	free(r);
	return NULL;
}

/** rbio_bio(r): the BIO of ${r}. */
BIO *
rbio_bio(struct rbio *r)
{
	return r->bio;
}

/**
 * rbio_send_meta(r, m): stream, PPID and unordered flag of the application
 * data records written from now on.
 */
void
rbio_send_meta(struct rbio *r, const struct unit_meta *m)
{
	rtx_meta(r->out, m);
}

/** rbio_failed(r): non-zero once ${r} failed (and said why). */
int
rbio_failed(const struct rbio *r)
{
	return r->failed;
}

/** rbio_aborted(r): non-zero if ${r} failed because the peer aborted. */
int
rbio_aborted(const struct rbio *r)
{
	return r->aborted;
}

/** rbio_eof(r): non-zero once the association ended (no more input). */
int
rbio_eof(const struct rbio *r)
{
	return r->eof;
}

/** rbio_want_write(r): non-zero if a send waits for socket space. */
int
rbio_want_write(const struct rbio *r)
{
	return rtx_want_write(r->out);
}

/**
 * rbio_release(r): give back the receive and send buffers while nothing
 * is in them (a quiet association); they come back when needed.
 */
void
rbio_release(struct rbio *r)
{
	if (!r->rx_ready && (r->rx.len == 0 || r->rx.state != REC_ASM_MORE))
		rec_asm_free(&r->rx);
	rtx_release(r->out);
	if (r->in != NULL && mmsg_in_left(r->in) == 0) {
		mmsg_in_free(r->in);
		r->in = NULL;
	}
}

/**
 * rbio_readable(r): the socket of ${r} became readable: read it again.
 * An owner that calls this once must call it whenever its event loop
 * reports the socket readable: from then on the BIO does not read a
 * socket it found empty (a system call that would only say EAGAIN) until
 * told. Owners that never call it (a blocking loop) see every read tried.
 */
void
rbio_readable(struct rbio *r)
{
	r->empty = 0;
	r->hinted = 1;
}

/** rbio_stats(r): the counters of ${r}. */
const struct rbio_stats *
rbio_stats(const struct rbio *r)
{
	return rgap_stats(r->gap);
}
