/*
 * dtls.c: the RFC 6083 engine: a stock OpenSSL SSL object over the BIO of
 * rbio.c, driven without blocking, with the SCTP-AUTH key schedule of
 * section 4.8 as OpenSSL's enable-sctp implementation runs it (authkey.c
 * on the socket, ksched.c as pure state).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "authkey.h"
#include "dtls.h"
#include "log.h"
#include "rbio.h"
#include "rec.h"
#include "rekey.h"
#include "sctp.h"
#include "tls.h"

/*
 * DTLS retransmission MUST NOT be used on SCTP (RFC 6083 3.5). Stock
 * OpenSSL cannot turn its timer off, so it gets the longest interval it can
 * hold (~71 minutes); handshakes time out long before.
 */
#define NO_TIMER_US 4000000000u
/* The link MTU (rbio.c says why). */
#define LINK_MTU (16384 + 2048)

struct dtls {
	SSL *ssl;
	struct rbio *rb; /* owned by ssl */
	int fd;
	struct dtls_params p;
	struct authkey *ak; /* its SCTP-AUTH keys */
	struct tls_peer tp; /* for tls.c's callbacks */
	unsigned long handed; /* application records handed to OpenSSL */
	unsigned long discarded; /* ... that it dropped */
	int alert; /* the handshake failed on the peer's fatal alert */
	struct unit_meta last; /* what the last of them came with */
	struct rekey *rk; /* renegotiations, once the first handshake is done */
	unsigned long long moved; /* application bytes both ways */
	X509 *peer; /* the certificate of the last completed handshake */
	unsigned released : 1; /* OpenSSL's record buffers given back */
	char who[128];
};

/* A key action's result: a failure ends the association. */
static void
keys(struct dtls *d, int r)
{
	if (r != 0 && !rbio_failed(d->rb))
		rbio_fail(d->rb, authkey_error(d->ak), errno);
}

static void
on_before_send(void *arg, uint8_t type)
{
	struct dtls *d = arg;

	if (!rbio_failed(d->rb))
		keys(d, authkey_before_send(d->ak, type));
}

static void
on_after_send(void *arg, uint8_t type)
{
	struct dtls *d = arg;

	if (!rbio_failed(d->rb))
		keys(d, authkey_after_send(d->ak, type));
}

static void
on_handed(void *arg, const uint8_t *rec, size_t len, const struct unit_meta *m)
{
	struct dtls *d = arg;

	(void)len;
	if (rec[0] == REC_CCS)
		authkey_received(d->ak, REC_CCS);
	if (rec[0] == REC_APPDATA) {
		d->handed++;
		d->last = *m;
	}
}

static void
on_notify(void *arg, const struct sctp_notif *n)
{
	struct dtls *d = arg;

	if (d->p.notify != NULL)
		d->p.notify(d->p.notify_arg, n->text);
	if (d->p.event == NULL)
		return;
	d->p.event(d->p.event_arg, n);
	/* The peer's association is gone, and its DTLS state with it. */
	if (n->assoc_state == SCTP_COMM_LOST || n->assoc_state == SCTP_RESTART)
		rbio_fail(d->rb, NULL, 0);
}

static const struct rbio_ops rbio_ops = {
    on_before_send,
    on_after_send,
    on_handed,
    on_notify,
};

/* A handshake completed: its peer certificate is kept (dtls_peer_name). */
static void
keep_peer(struct dtls *d)
{
	X509 *x = SSL_get1_peer_certificate(d->ssl);

	if (x == NULL)
		return;
	X509_free(d->peer);
	d->peer = x;
}

/*
 * A renegotiation starts (rekey.c tells ours from the peer's), or a
 * handshake after the first completes: ChangeCipherSpec went both ways, so
 * the new key is in use on both sides and the old one goes (RFC 6083 4.8).
 * A server's HelloRequest alone completes a "handshake" without keys.
 */
static void
renegotiation(struct dtls *d, int where)
{
	int retired;

	if (where & SSL_CB_HANDSHAKE_START) {
		rekey_event(d->rk, where);
		return;
	}
	if (rbio_failed(d->rb) || authkey_done(d->ak, &retired) != 0 ||
	    !retired)
		return;
	keep_peer(d);
	rekey_done(d->rk, authkey_active(d->ak), authkey_old(d->ak), d->moved);
}

/*
 * The master secret exists once the handshake is past these states: the
 * earliest moment the new key can be installed, so that it is there before
 * the peer may use it, whichever Finished comes first.
 */
static void
info_cb(const SSL *ssl, int where, int ret)
{
	struct dtls *d = SSL_get_app_data(ssl);

	if (d == NULL)
		return;
	if (where & SSL_CB_ALERT)
		log_debug(d->who, "DTLS alert %s: %s %s",
		    (where & SSL_CB_READ) ? "received" : "sent",
		    SSL_alert_type_string_long(ret),
		    SSL_alert_desc_string_long(ret));
	if (d->rk != NULL &&
	    (where & (SSL_CB_HANDSHAKE_START | SSL_CB_HANDSHAKE_DONE)))
		renegotiation(d, where);
	if ((where & SSL_CB_LOOP) && !rbio_failed(d->rb))
		keys(d, authkey_state(d->ak, SSL_get_state(ssl)));
}

static unsigned int
timer_cb(SSL *ssl, unsigned int timer_us)
{
	(void)ssl;
	(void)timer_us;
	return NO_TIMER_US;
}

/** dtls_init(void): set up the process-wide BIO method. 0 or -1. */
int
dtls_init(void)
{
	return rbio_init();
}

/** dtls_fini(void): free what dtls_init() made; a no-op if nothing. */
void
dtls_fini(void)
{
	rbio_fini();
}

/**
 * dtls_new(ctx, fd, server, p, who): the DTLS endpoint of the established
 * association on ${fd} (not owned), after checking the peer authenticates
 * DATA and FORWARD-TSN (RFC 6083 4.5). ${who} (copied) prefixes its log
 * lines. NULL on failure (logged).
 */
struct dtls *
dtls_new(SSL_CTX *ctx, int fd, int server, const struct dtls_params *p,
    const char *who)
{
	struct dtls *d;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		log_err(who, "out of memory");
		goto err0;
	}
	d->fd = fd;
	d->p = *p;
	snprintf(d->who, sizeof(d->who), "%s", who);
	d->tp.who = d->who;
	d->tp.fd = fd;
	if (sctp_peer_auth_check(fd, who) != 0)
		goto err1;
	if ((d->ssl = SSL_new(ctx)) == NULL) {
		log_ssl(LOG_LVL_ERROR, who, "cannot create the DTLS state");
		goto err1;
	}
	if ((d->ak = authkey_new(d->ssl, fd, p->label_bug, d->who)) == NULL)
		goto err2;
	if ((d->rb = rbio_new(fd, &rbio_ops, d, who)) == NULL)
		goto err2;
	SSL_set_bio(d->ssl, rbio_bio(d->rb), rbio_bio(d->rb));
	rbio_send_meta(d->rb, &d->p.app);
	SSL_set_app_data(d->ssl, d);
	SSL_set_info_callback(d->ssl, info_cb);
	DTLS_set_timer_cb(d->ssl, timer_cb);
	if (tls_peer_set(d->ssl, &d->tp) != 0)
		goto err2;
	if (!DTLS_set_link_mtu(d->ssl, LINK_MTU)) {
		log_ssl(LOG_LVL_ERROR, who, "cannot set the link MTU");
		goto err2;
	}
	if (server)
		SSL_set_accept_state(d->ssl);
	else
		SSL_set_connect_state(d->ssl);
	return d;

err2:
	SSL_free(d->ssl); /* and the BIO it holds */
	authkey_free(d->ak);
err1:
	free(d);
err0:
	return NULL;
}

/** dtls_free(d): free ${d}; the fd stays open. A no-op for NULL. */
void
dtls_free(struct dtls *d)
{
	if (d == NULL)
		return;
	SSL_free(d->ssl);
	authkey_free(d->ak);
	rekey_free(d->rk);
	X509_free(d->peer);
	free(d);
}

/* Non-zero if OpenSSL's error queue says the peer sent a fatal alert. */
static int
alert_received(void)
{
	unsigned long e = ERR_peek_last_error();

	return ERR_GET_LIB(e) == ERR_LIB_SSL &&
	    ERR_GET_REASON(e) >= SSL_AD_REASON_OFFSET;
}

/* We refused the peer's renegotiation: the association ends (rekey.c). */
static int
refused(const struct dtls *d)
{
	int f = d->rk != NULL ? rekey_fault(d->rk) : 0;

	return f != 0 && f != REKEY_FAILED;
}

/* Map an SSL_* result to DTLS_AGAIN / DTLS_EOF / DTLS_ERR, logging once. */
static int
ssl_result(struct dtls *d, int r, const char *what)
{
	int failed = rbio_failed(d->rb);
	long vr;

	switch (SSL_get_error(d->ssl, r)) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		if (!failed)
			return DTLS_AGAIN;
		break;
	case SSL_ERROR_ZERO_RETURN:
		return DTLS_EOF;
	case SSL_ERROR_SYSCALL:
		/*
		 * OpenSSL's buffering BIO (handshakes) does not pass on the
		 * retry flag of a flush: a record ours keeps for a full socket
		 * looks like a system error. It is a retry.
		 */
		if (!failed && ERR_peek_error() == 0 &&
		    SSL_want_write(d->ssl) &&
		    BIO_should_write(SSL_get_rbio(d->ssl)))
			return DTLS_AGAIN;
		break;
	default:
		break;
	}
	if (!failed) {
		vr = SSL_get_verify_result(d->ssl);
		/* the peer's fatal alert, read before the queue is drained */
		d->alert = vr == X509_V_OK && alert_received();
		if (vr != X509_V_OK)
			log_err(d->who, "%s: peer certificate rejected: %s",
			    what, X509_verify_cert_error_string(vr));
		else if (rbio_eof(d->rb) && ERR_peek_error() == 0)
			log_err(
			    d->who, "%s: association closed by the peer", what);
		else if (ERR_GET_REASON(ERR_peek_last_error()) ==
		    SSL_R_NO_RENEGOTIATION)
			log_err(d->who,
			    "%s: the peer refused to renegotiate "
			    "(no_renegotiation alert): set rekey = no for it, "
			    "or let it accept renegotiation",
			    what);
		else if (refused(d))
			log_ssl(LOG_LVL_DEBUG, d->who,
			    "the peer answered our refusal to renegotiate");
		else if (ERR_peek_error() == 0)
			log_err(d->who,
			    "%s: SSL error %d in state %s (want %d, BIO retry "
			    "flags %#x, errno %d)",
			    what, SSL_get_error(d->ssl, r),
			    SSL_state_string_long(d->ssl), SSL_want(d->ssl),
			    BIO_test_flags(SSL_get_rbio(d->ssl),
			        BIO_FLAGS_SHOULD_RETRY | BIO_FLAGS_RWS),
			    errno);
		else
			log_ssl(LOG_LVL_ERROR, d->who, what);
		rbio_fail(d->rb, NULL, 0);
	}
	ERR_clear_error();
	return DTLS_ERR;
}

/* Ready to call OpenSSL: its record buffers back after dtls_release(). */
static int
ready(struct dtls *d)
{
	if (rbio_failed(d->rb))
		return -1;
	if (d->released) {
		if (SSL_alloc_buffers(d->ssl) != 1) {
			rbio_fail(d->rb, "out of memory", 0);
			return -1;
		}
		d->released = 0;
	}
	ERR_clear_error();
	return 0;
}

/**
 * dtls_release(d): give back the record buffers of the quiet association
 * ${d} (OpenSSL's and the BIO's); they come back before its next use.
 */
void
dtls_release(struct dtls *d)
{
	if (!d->released && SSL_is_init_finished(d->ssl) &&
	    SSL_free_buffers(d->ssl) == 1)
		d->released = 1;
	if (d->rk != NULL)
		rekey_release(d->rk);
	rbio_release(d->rb);
}

/**
 * dtls_handshake(d): advance the handshake: 1 done, DTLS_AGAIN, DTLS_ERR.
 */
int
dtls_handshake(struct dtls *d)
{
	int r, retired;

	if (ready(d) != 0)
		return DTLS_ERR;
	r = SSL_do_handshake(d->ssl);
	if (r == 1 && !rbio_failed(d->rb)) {
		(void)authkey_done(d->ak, &retired); /* key 0 goes */
		keep_peer(d);
		if (!rbio_failed(d->rb) && d->rk == NULL &&
		    (d->rk = rekey_new(d->ssl, &d->p.rekey,
		         !SSL_is_server(d->ssl), d->p.handshake,
		         d->p.handshake_arg, d->who)) == NULL)
			rbio_fail(d->rb, NULL, 0);
		return rbio_failed(d->rb) ? DTLS_ERR : 1;
	}
	r = ssl_result(d, r, "DTLS handshake failed");
	return r == DTLS_EOF ? DTLS_ERR : r;
}

/*
 * Application records handed to OpenSSL during one SSL_read, ${returned}
 * of them given back: the rest it dropped (a record that does not
 * authenticate is dropped without an alert in DTLS). Never silently.
 */
static void
account(struct dtls *d, unsigned long handed, int returned)
{
	unsigned long lost = handed > (unsigned long)returned
	    ? handed - (unsigned long)returned
	    : 0;

	if (lost == 0)
		return;
	d->discarded += lost;
	log_warn(d->who,
	    "%lu DTLS record(s) discarded by OpenSSL (failed to "
	    "authenticate or out of place)",
	    lost);
}

/* One record from OpenSSL, running any handshake that comes on the way. */
static ssize_t
read_record(struct dtls *d, void *buf, size_t len, struct unit_meta *m)
{
	unsigned long before = d->handed;
	size_t got = 0;
	int r;

	r = SSL_read_ex(d->ssl, buf, len > 16384 ? 16384 : len, &got);
	account(d, d->handed - before, r == 1);
	if (r == 1) {
		if (m != NULL)
			*m = d->last;
		d->moved += got;
		return (ssize_t)got;
	}
	r = ssl_result(d, r,
	    d->rk != NULL && rekey_running(d->rk) ? "DTLS renegotiation failed"
	                                          : "DTLS read failed");
	if (r == DTLS_ERR && d->rk != NULL)
		rekey_fail(d->rk);
	return r;
}

static ssize_t
reader(void *arg, void *buf, size_t len, struct unit_meta *m)
{
	return read_record(arg, buf, len, m);
}

/* Writing may go on (1), not during a renegotiation (rekey_drive()). */
static int
drive(struct dtls *d)
{
	int r = d->rk != NULL ? rekey_drive(d->rk, reader, d) : 1;

	return r > 0 ? 1 : r == 0 ? DTLS_AGAIN : DTLS_ERR;
}

/* Start a renegotiation if one is due, and let OpenSSL take it up. */
static void
maybe_rekey(struct dtls *d, int tick)
{
	int why;

	/* Per record no clock read: time is the timer's (dtls_rekey_tick). */
	if (d->rk == NULL ||
	    (why = tick ? rekey_due(d->rk, d->moved)
	                : rekey_due_bytes(d->rk, d->moved)) == 0)
		return;
	if (rekey_start(d->rk, why) == 0)
		(void)drive(d);
}

/**
 * dtls_read(d, buf, len, m): the plaintext of one record into ${buf}
 * (${len} >= 16384) and its stream, PPID and unordered flag into *${m}
 * (if not NULL): the byte count (0 for an empty record), DTLS_EOF once the
 * peer's close_notify came, DTLS_AGAIN or DTLS_ERR.
 */
ssize_t
dtls_read(struct dtls *d, void *buf, size_t len, struct unit_meta *m)
{
	ssize_t n;

	if (ready(d) != 0)
		return DTLS_ERR;
	if (d->rk != NULL && (n = rekey_take(d->rk, buf, m)) >= 0)
		return n;
	n = read_record(d, buf, len, m);
	if (n >= 0)
		maybe_rekey(d, 0);
	return n;
}

/**
 * dtls_write(d, buf, len, m): send 1 to 16384 bytes of ${buf} as one
 * record on the stream, PPID and flags of ${m} (NULL: the defaults of the
 * parameters): ${len}, DTLS_AGAIN or DTLS_ERR.
 */
ssize_t
dtls_write(
    struct dtls *d, const void *buf, size_t len, const struct unit_meta *m)
{
	int r;

	if (ready(d) != 0 || (r = rbio_flush(d->rb)) < 0)
		return DTLS_ERR;
	if (r == 0)
		return DTLS_AGAIN; /* the record before waits for room */
	if ((r = drive(d)) != 1)
		return r;
	rbio_send_meta(d->rb, m != NULL ? m : &d->p.app);
	r = SSL_write(d->ssl, buf, len > 16384 ? 16384 : (int)len);
	if (r > 0) {
		d->moved += (unsigned long long)r;
		maybe_rekey(d, 0);
		return r;
	}
	r = ssl_result(d, r, "DTLS write failed");
	return r == DTLS_EOF ? DTLS_ERR : r;
}

/**
 * dtls_shutdown(d): send close_notify once all sent data is acknowledged
 * (RFC 6083 4.9): 1 when sent, DTLS_AGAIN or DTLS_ERR.
 */
int
dtls_shutdown(struct dtls *d)
{
	int r;

	if (ready(d) != 0)
		return DTLS_ERR;
	if (SSL_get_shutdown(d->ssl) & SSL_SENT_SHUTDOWN)
		return 1;
	if ((r = drive(d)) != 1)
		return r; /* SSL_shutdown fails during a handshake */
	if ((r = rbio_flush(d->rb)) <= 0 || (r = rbio_wait_dry(d->rb)) <= 0)
		return r == 0 ? DTLS_AGAIN : DTLS_ERR;
	r = SSL_shutdown(d->ssl);
	if (r >= 0 && (SSL_get_shutdown(d->ssl) & SSL_SENT_SHUTDOWN))
		return 1;
	r = ssl_result(d, r, "DTLS shutdown failed");
	return r == DTLS_EOF ? DTLS_ERR : r;
}

/**
 * dtls_flush(d): send what waits for socket space and the records queued
 * (dtls_batch()): 1 when nothing waits, DTLS_AGAIN while the socket is
 * full, DTLS_ERR.
 */
int
dtls_flush(struct dtls *d)
{
	int r = rbio_push(d->rb);

	return r > 0 ? 1 : r == 0 ? DTLS_AGAIN : DTLS_ERR;
}

/**
 * dtls_batch(d, on): if ${on}, the records dtls_write() makes are queued
 * and leave together (several per system call) at dtls_flush(), before
 * any other record (never across an SCTP-AUTH key change) or a sender-dry
 * wait, or when the queue is full; else each leaves as it is written.
 */
void
dtls_batch(struct dtls *d, int on)
{
	rbio_batch(d->rb, on);
}

/**
 * dtls_readable(d): the socket of ${d} became readable: the engine reads
 * it again. An owner that calls this once must call it whenever its event
 * loop reports the socket readable: the engine then does not read a socket
 * it found empty until told (rbio_readable()).
 */
void
dtls_readable(struct dtls *d)
{
	rbio_readable(d->rb);
}

/** dtls_want_write(d): non-zero if a send waits for socket space. */
int
dtls_want_write(const struct dtls *d)
{
	return rbio_want_write(d->rb);
}

/**
 * dtls_rekey_tick(d): start a renegotiation if one is due (rekey.h); 0,
 * or DTLS_ERR if the running one took longer than its timeout (logged).
 */
int
dtls_rekey_tick(struct dtls *d)
{
	if (d->rk == NULL || rbio_failed(d->rb))
		return 0;
	/* A refused peer's alert must reach the socket before it closes. */
	if (rekey_expired(d->rk, rbio_want_write(d->rb))) {
		rbio_fail(d->rb, NULL, 0);
		return DTLS_ERR;
	}
	if (ready(d) == 0)
		maybe_rekey(d, 1);
	return rbio_failed(d->rb) ? DTLS_ERR : 0;
}

/**
 * dtls_rekey(d): the renegotiations of ${d} (rekey.h), or NULL before its
 * first handshake completed.
 */
struct rekey *
dtls_rekey(const struct dtls *d)
{
	return d->rk;
}

/** dtls_key_active(d): the SCTP-AUTH key number in use, from the kernel. */
int
dtls_key_active(const struct dtls *d)
{
	return sctp_key_active(d->fd);
}

/**
 * dtls_log_handshake(d, local, remote): log at info level that the
 * handshake of ${d} completed: cipher, peer, full or resumed, SCTP-AUTH key
 * in use (the key and the name are looked up only when that level is
 * logged), then, if not NULL, the association's ${local} and ${remote}
 * addresses (given by the caller, path_list()).
 */
void
dtls_log_handshake(const struct dtls *d, const char *local, const char *remote)
{
	char subject[512];
	int both = local != NULL && remote != NULL;

	if (!log_enabled(LOG_LVL_INFO))
		return;
	log_info(d->who,
	    "DTLS handshake complete: %s, peer %s, %s, SCTP-AUTH key %d "
	    "active%s%s%s%s",
	    dtls_cipher(d), dtls_peer_name(d, subject, sizeof(subject)),
	    dtls_resumed(d) ? "session resumed" : "full handshake",
	    dtls_key_active(d), both ? ", local " : "", both ? local : "",
	    both ? ", remote " : "", both ? remote : "");
}

/** dtls_cipher(d): the name of the cipher suite in use, or "-". */
const char *
dtls_cipher(const struct dtls *d)
{
	const SSL_CIPHER *c = SSL_get_current_cipher(d->ssl);

	return c != NULL ? SSL_CIPHER_get_name(c) : "-";
}

/** dtls_resumed(d): non-zero if the handshake resumed a session. */
int
dtls_resumed(const struct dtls *d)
{
	return SSL_session_reused(d->ssl);
}

/**
 * dtls_peer_name(d, buf, size): the peer certificate's subject on one line
 * (RFC 2253): the one of the last completed handshake (a renegotiation that
 * failed leaves it), else the one of the handshake running; "-" without
 * one; returns ${buf}.
 */
char *
dtls_peer_name(const struct dtls *d, char *buf, size_t size)
{
	X509 *x = d->peer != NULL ? d->peer : SSL_get0_peer_certificate(d->ssl);

	return tls_name_str(
	    x != NULL ? X509_get_subject_name(x) : NULL, buf, size);
}

/**
 * dtls_print_subject(d, f): the peer certificate's subject to ${f}, one
 * field a line (the seed's transcript); nothing without one.
 */
void
dtls_print_subject(const struct dtls *d, FILE *f)
{
	X509 *x = SSL_get0_peer_certificate(d->ssl);

	if (x != NULL)
		X509_NAME_print_ex_fp(
		    f, X509_get_subject_name(x), 1, XN_FLAG_MULTILINE);
}

/** dtls_aborted(d): non-zero if the peer of ${d} aborted the association. */
int
dtls_aborted(const struct dtls *d)
{
	return rbio_aborted(d->rb);
}

/**
 * dtls_unanswered(d): non-zero if ${d} is a client whose ClientHello the
 * server has not answered yet (an ABORT now is a refusal, not a failure).
 */
int
dtls_unanswered(const struct dtls *d)
{
	OSSL_HANDSHAKE_STATE st = SSL_get_state(d->ssl);

	return !SSL_is_server(d->ssl) &&
	    (st == TLS_ST_BEFORE || st == TLS_ST_CW_CLNT_HELLO);
}

/**
 * dtls_stall_reason(d, buf, size): what a handshake that stopped waits
 * for, as far as it can be told (tls_stall_reason()), as ": ..." into
 * ${buf}, or ""; returns ${buf}.
 */
char *
dtls_stall_reason(const struct dtls *d, char *buf, size_t size)
{
	return tls_stall_reason(d->ssl, buf, size);
}

/** dtls_stats(d, st): the counters of ${d} into ${st}. */
void
dtls_stats(const struct dtls *d, struct dtls_stats *st)
{
	const struct rbio_stats *b = rbio_stats(d->rb);

	st->held_max = b->held_max;
	st->stale = b->stale;
	st->skipped = b->skipped;
	st->discarded = d->discarded;
	st->keys = authkey_installed(d->ak);
	st->verify_failed = SSL_get_verify_result(d->ssl) != X509_V_OK;
	st->alert = d->alert;
	st->rekeys = d->rk != NULL ? rekey_count(d->rk) : 0;
	memset(st->rekeys_by, 0, sizeof(st->rekeys_by));
	if (d->rk != NULL)
		rekey_counts(d->rk, st->rekeys_by);
}

/**
 * dtls_session_get(d): the session of ${d}'s finished handshake if it can
 * be resumed (a reference the caller frees with tls_session_free()), or
 * NULL.
 */
SSL_SESSION *
dtls_session_get(const struct dtls *d)
{
	SSL_SESSION *s = SSL_get1_session(d->ssl);

	if (s != NULL && !SSL_SESSION_is_resumable(s)) {
		SSL_SESSION_free(s);
		s = NULL;
	}
	return s;
}

/**
 * dtls_session_offer(d, s): a client offers ${s} for resumption. 0, or -1
 * if it cannot be offered.
 */
int
dtls_session_offer(struct dtls *d, SSL_SESSION *s)
{
	return SSL_set_session(d->ssl, s) == 1 ? 0 : -1;
}
