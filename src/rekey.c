/*
 * rekey.c: rekeying a running association by secure renegotiation (RFC
 * 5746, RFC 6083 4.8): when this side starts one, the peer's told from
 * ours and limited, each logged and counted (rekey.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "rekey.h"
#include "tls.h"

/* The accepting side waits this much longer than the connecting one. */
#define GRACE_MIN 10.0 /* seconds, at least */
#define GRACE_PART 10 /* ... or a tenth of rekey_interval */
#define GRACE_BYTES 8 /* an eighth more bytes */
#define REKEY_RECORD 16384 /* the most plaintext a record carries */
/* A refused peer's association is shut down this long after the alert. */
#define REFUSED_GRACE 1.0

struct rekey {
	SSL *ssl;
	struct rekey_policy p;
	int (*budget)(void *arg, int ev);
	void *arg;
	double started; /* s: when the running one was started */
	unsigned long done; /* completed */
	unsigned long by[REKEY_REASONS]; /* ... by who started them */
	int why; /* REKEY_DUE_*: why we started the running one */
	int fault; /* REKEY_*: the association ends */
	uint8_t *held; /* a record read while a write waits */
	size_t held_len;
	struct unit_meta held_meta;
	unsigned holding : 1; /* held has it */
	unsigned pending : 1; /* SSL_renegotiate called, not taken up yet */
	unsigned running : 1; /* a renegotiation runs */
	unsigned ours : 1; /* ... started by us */
	unsigned counted : 1; /* ... and the budget counts it */
	unsigned dirty : 1; /* rekey_wait() changed */
	char who[128];
};

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds after the last handshake when this side starts one. */
static double
limit_time(const struct rekey_policy *p)
{
	double grace = p->c.interval / GRACE_PART;

	if (p->initiator)
		return p->c.interval;
	return p->c.interval + (grace > GRACE_MIN ? grace : GRACE_MIN);
}

/* Bytes after the last handshake when this side starts one. */
static unsigned long long
limit_bytes(const struct rekey_policy *p)
{
	return p->initiator ? p->c.bytes
	                    : p->c.bytes + p->c.bytes / GRACE_BYTES;
}

/**
 * rekey_policy_init(p, c, initiator, now): the policy ${c} for an
 * association whose first handshake completed at ${now} (seconds); the
 * side that connected is the ${initiator}.
 */
void
rekey_policy_init(struct rekey_policy *p, const struct rekey_conf *c,
    int initiator, double now)
{
	*p = (struct rekey_policy){0};
	p->c = *c;
	p->initiator = initiator;
	p->since = now;
	p->peer_last = -1;
}

/* When an asked renegotiation is due (rekey_policy_ask()). */
static double
asked_due(const struct rekey_policy *p)
{
	double at = p->since + p->c.min_interval;

	if (at < p->asked_at)
		at = p->asked_at;
	return p->initiator ? at : at + GRACE_MIN;
}

/**
 * rekey_policy_due(p, now, bytes): why this side should start a
 * renegotiation at ${now}, ${bytes} having moved both ways in all
 * (REKEY_DUE_*), or 0 if it should not.
 */
int
rekey_policy_due(
    const struct rekey_policy *p, double now, unsigned long long bytes)
{
	double gap = now - p->since;

	if (gap < p->c.min_interval)
		return 0;
	if (p->asked && now >= asked_due(p))
		return REKEY_DUE_RELOAD;
	if (!p->c.on)
		return 0;
	if (gap >= limit_time(p))
		return REKEY_DUE_TIME;
	if (p->c.bytes > 0 && bytes - p->base >= limit_bytes(p))
		return REKEY_DUE_BYTES;
	return 0;
}

/**
 * rekey_policy_wait(p, now): seconds from ${now} until a renegotiation is
 * due by time (0: now), or -1 if time alone never makes one due.
 */
double
rekey_policy_wait(const struct rekey_policy *p, double now)
{
	double at, t = limit_time(p);

	if (p->asked)
		at = asked_due(p);
	else if (p->c.on)
		at = p->since + (t > p->c.min_interval ? t : p->c.min_interval);
	else
		return -1;
	return at > now ? at - now : 0;
}

/**
 * rekey_policy_ask(p, now): renegotiate soon (a reload at ${now}): once
 * min_interval allows; the accepting side a grace period later, so that
 * its HelloRequest does not cross a ClientHello of the peer's (OpenSSL's
 * DTLS client then waits for a message that never comes).
 */
void
rekey_policy_ask(struct rekey_policy *p, double now)
{
	p->asked = 1;
	p->asked_at = now;
}

/**
 * rekey_policy_peer(p, now): the peer starts a renegotiation at ${now}:
 * 0, or -1 if it comes less than min_interval after its last one.
 */
int
rekey_policy_peer(struct rekey_policy *p, double now)
{
	if (p->c.min_interval > 0 && p->peer_last >= 0 &&
	    now - p->peer_last < p->c.min_interval)
		return -1;
	p->peer_last = now;
	return 0;
}

/**
 * rekey_policy_done(p, began, now, bytes): a renegotiation that began at
 * ${began} completed at ${now}, ${bytes} having moved both ways by then:
 * the next one counts from here; a reload asked for before it began is
 * served (one asked for later may have missed the new certificates).
 */
void
rekey_policy_done(
    struct rekey_policy *p, double began, double now, unsigned long long bytes)
{
	p->since = now;
	p->base = bytes;
	if (p->asked_at <= began)
		p->asked = 0;
}

/**
 * rekey_new(ssl, c, initiator, budget, arg, who): the renegotiations of
 * the established association of ${ssl} (not owned), with the policy ${c};
 * ${budget}(${arg}, REKEY_HS_*) (may be NULL) is the service's handshake
 * count; ${who} (copied) prefixes log lines. NULL if out of memory.
 */
struct rekey *
rekey_new(SSL *ssl, const struct rekey_conf *c, int initiator,
    int (*budget)(void *arg, int ev), void *arg, const char *who)
{
	struct rekey *k;

	if ((k = calloc(1, sizeof(*k))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	k->ssl = ssl;
	rekey_policy_init(&k->p, c, initiator, mono());
	k->budget = budget;
	k->arg = arg;
	k->dirty = 1;
	snprintf(k->who, sizeof(k->who), "%s", who);
	return k;
}

/* The budget is no longer held by a renegotiation: ${ev} says how. */
static void
uncount(struct rekey *k, int ev)
{
	if (k->counted && k->budget != NULL)
		(void)k->budget(k->arg, ev);
	k->counted = 0;
}

/** rekey_free(k): free ${k}, ending a renegotiation it counted; NULL ok. */
void
rekey_free(struct rekey *k)
{
	if (k == NULL)
		return;
	uncount(k, REKEY_HS_END);
	free(k->held);
	free(k);
}

/**
 * rekey_due(k, bytes): why this side should start a renegotiation now
 * (REKEY_DUE_*; none runs), ${bytes} having moved both ways in all, or 0.
 */
int
rekey_due(const struct rekey *k, unsigned long long bytes)
{
	if (k->running || k->pending || k->fault != 0)
		return 0;
	return rekey_policy_due(&k->p, mono(), bytes);
}

/**
 * rekey_due_bytes(k, bytes): rekey_due(), but only once ${bytes} reached
 * the byte limit (rekey_bytes), else 0 without reading the clock: for each
 * record moved. What time makes due, the owner's timer finds (rekey_wait(),
 * then rekey_due()).
 */
int
rekey_due_bytes(const struct rekey *k, unsigned long long bytes)
{
	const struct rekey_policy *p = &k->p;

	if (!p->c.on || p->c.bytes == 0 || bytes - p->base < limit_bytes(p))
		return 0;
	return rekey_due(k, bytes);
}

/* The key behind a REKEY_DUE_* reason. */
static const char *
why_text(int why)
{
	switch (why) {
	case REKEY_DUE_RELOAD:
		return "rekey_on_reload";
	case REKEY_DUE_TIME:
		return "rekey_interval";
	case REKEY_DUE_BYTES:
		return "rekey_bytes";
	default:
		return "asked";
	}
}

/* Count a renegotiation in the service's budget: 0, or -1 if full. */
static int
count(struct rekey *k)
{
	if (k->budget != NULL && k->budget(k->arg, REKEY_HS_START) != 0)
		return -1;
	k->counted = 1;
	return 0;
}

/**
 * rekey_start(k, why): start a renegotiation (SSL_renegotiate) for the
 * reason ${why} (REKEY_DUE_*, logged when it completes): 0, or -1 if it
 * cannot now (one runs, or the service has too many handshakes). The
 * caller must then call SSL_read at once: only reading may run the
 * handshake while the peer's data can arrive.
 */
int
rekey_start(struct rekey *k, int why)
{
	if (k->running || k->pending || k->fault != 0 || count(k) != 0)
		return -1;
	if (SSL_renegotiate(k->ssl) != 1) {
		log_ssl(LOG_LVL_WARNING, k->who, "cannot renegotiate");
		uncount(k, REKEY_HS_END);
		return -1;
	}
	log_debug(k->who, "DTLS renegotiation started (%s)", why_text(why));
	k->why = why;
	k->pending = 1;
	k->started = mono();
	k->dirty = 1;
	return 0;
}

/**
 * rekey_ask(k, ctx): present and verify the certificates of ${ctx} (a
 * reloaded service's; NULL: the same) in a renegotiation as soon as
 * min_interval allows.
 */
void
rekey_ask(struct rekey *k, SSL_CTX *ctx)
{
	if (ctx != NULL && SSL_set_SSL_CTX(k->ssl, ctx) == NULL)
		log_ssl(LOG_LVL_WARNING, k->who,
		    "cannot take up the reloaded certificates");
	rekey_policy_ask(&k->p, mono());
	k->dirty = 1;
}

/* Refuse the peer's renegotiation: OpenSSL answers no_renegotiation. */
static void
refuse(struct rekey *k, int why)
{
	SSL_set_options(k->ssl, SSL_OP_NO_RENEGOTIATION);
	k->fault = why;
	k->started = mono();
	k->dirty = 1;
	if (why == REKEY_TOO_OFTEN)
		log_warn(k->who,
		    "the peer renegotiates more often than once per %gs "
		    "(rekey_min_interval): refused with a no_renegotiation "
		    "alert; disconnecting",
		    k->p.c.min_interval);
	else
		log_warn(k->who,
		    "the peer's renegotiation would exceed max_handshakes: "
		    "refused with a no_renegotiation alert; disconnecting");
}

/**
 * rekey_event(k, where): the info callback's ${where} for the SSL of ${k}:
 * at SSL_CB_HANDSHAKE_START a renegotiation begins (ours, or the peer's,
 * which may be refused: then OpenSSL answers no_renegotiation and
 * rekey_fault() says why).
 */
void
rekey_event(struct rekey *k, int where)
{
	double now;

	if (!(where & SSL_CB_HANDSHAKE_START) || k->running || k->fault != 0)
		return;
	k->dirty = 1;
	if (k->pending) {
		k->pending = 0;
		k->running = 1;
		k->ours = 1;
		return;
	}
	now = mono();
	if (rekey_policy_peer(&k->p, now) != 0) {
		refuse(k, REKEY_TOO_OFTEN);
		return;
	}
	if (count(k) != 0) {
		refuse(k, REKEY_BUSY);
		return;
	}
	log_debug(k->who, "the peer started a DTLS renegotiation");
	k->running = 1;
	k->ours = 0;
	k->started = now;
}

/**
 * rekey_done(k, key, old, bytes): the running renegotiation completed with
 * SCTP-AUTH key ${key} active and ${old} retired, ${bytes} having moved
 * both ways in all: logged at info level, counted.
 */
void
rekey_done(
    struct rekey *k, unsigned key, unsigned old, unsigned long long bytes)
{
	const SSL_CIPHER *c = SSL_get_current_cipher(k->ssl);
	X509 *x = SSL_get0_peer_certificate(k->ssl);
	char subject[512];

	k->done++;
	k->by[k->ours ? k->why : REKEY_BY_PEER]++;
	if (log_enabled(LOG_LVL_INFO))
		log_info(k->who,
		    "DTLS renegotiation %lu complete (started by %s%s): %s, "
		    "%s, peer %s, SCTP-AUTH key %u active, key %u retired",
		    k->done, k->ours ? "us: " : "the peer",
		    k->ours ? why_text(k->why) : "",
		    c != NULL ? SSL_CIPHER_get_name(c) : "-",
		    SSL_session_reused(k->ssl) ? "session resumed"
		                               : "full handshake",
		    tls_name_str(x != NULL ? X509_get_subject_name(x) : NULL,
		        subject, sizeof(subject)),
		    key, old);
	uncount(k, REKEY_HS_DONE);
	k->running = k->pending = k->ours = 0;
	k->dirty = 1;
	rekey_policy_done(&k->p, k->started, mono(), bytes);
}

/**
 * rekey_drive(k, rd, arg): may a write go on? During a renegotiation only
 * SSL_read may run the handshake (an SSL_write or SSL_do_handshake that
 * meets the peer's application data, sent before it saw the request,
 * fails with "unexpected record"), so writes wait and reading goes on
 * through ${rd}(${arg}, buf, 16384, meta) into the one record ${k} holds
 * for rekey_take(). Returns 1 (write), 0 (wait: the socket, or the held
 * record to be taken) or -1 (${rd} failed).
 */
int
rekey_drive(struct rekey *k,
    ssize_t (*rd)(void *arg, void *buf, size_t len, struct unit_meta *m),
    void *arg)
{
	ssize_t n;

	if (!SSL_in_init(k->ssl) && !k->pending)
		return 1;
	if (k->holding)
		return 0;
	if (k->held == NULL && (k->held = malloc(REKEY_RECORD)) == NULL) {
		log_err(k->who, "out of memory");
		return -1;
	}
	n = rd(arg, k->held, REKEY_RECORD, &k->held_meta);
	if (n >= 0) {
		k->holding = 1;
		k->held_len = (size_t)n;
	} else if (n == -1) {
		return -1;
	}
	return SSL_in_init(k->ssl) || k->pending ? 0 : 1;
}

/**
 * rekey_take(k, buf, m): the record held by rekey_drive() into ${buf}
 * (16384 bytes) and *${m} (if not NULL): its length, or -1 if none.
 */
ssize_t
rekey_take(struct rekey *k, void *buf, struct unit_meta *m)
{
	if (!k->holding)
		return -1;
	memcpy(buf, k->held, k->held_len);
	if (m != NULL)
		*m = k->held_meta;
	k->holding = 0;
	return (ssize_t)k->held_len;
}

/** rekey_holding(k): non-zero while a record waits for rekey_take(). */
int
rekey_holding(const struct rekey *k)
{
	return k->holding;
}

/** rekey_release(k): give back the held record's buffer while empty. */
void
rekey_release(struct rekey *k)
{
	if (!k->holding) {
		free(k->held);
		k->held = NULL;
	}
}

/** rekey_running(k): non-zero while a renegotiation runs or is asked. */
int
rekey_running(const struct rekey *k)
{
	return k->running || k->pending;
}

/**
 * rekey_pending(k): non-zero between rekey_start() and OpenSSL taking the
 * renegotiation up (the next SSL_read): no SSL_write meanwhile.
 */
int
rekey_pending(const struct rekey *k)
{
	return k->pending;
}

/**
 * rekey_wait(k): seconds until rekey_tick() should run (a renegotiation
 * due by time, or the running one's timeout), or -1 for never.
 */
double
rekey_wait(const struct rekey *k)
{
	double now = mono(), left;

	if (k->fault == REKEY_FAILED)
		return -1;
	if (k->fault != 0) {
		left = k->started + REFUSED_GRACE - now;
		return left > 0 ? left : 0;
	}
	if (k->running || k->pending) {
		left = k->started + k->p.c.timeout - now;
		return left > 0 ? left : 0;
	}
	return rekey_policy_wait(&k->p, now);
}

/**
 * rekey_expired(k, unsent): non-zero if the association ends now: the
 * running renegotiation has taken longer than its timeout (logged once),
 * or the peer whose renegotiation was refused had its second to read the
 * alert, which has been sent (${unsent}: it still waits for room in the
 * socket; then until the timeout).
 */
int
rekey_expired(struct rekey *k, int unsent)
{
	if (k->fault != 0 && k->fault != REKEY_FAILED)
		return mono() - k->started >=
		    (unsent ? k->p.c.timeout : REFUSED_GRACE);
	if (!(k->running || k->pending) || k->fault != 0 ||
	    mono() - k->started < k->p.c.timeout)
		return k->fault == REKEY_FAILED;
	log_err(k->who,
	    "DTLS renegotiation (started by %s) did not complete within "
	    "%gs (handshake_timeout)",
	    k->ours || k->pending ? "us" : "the peer", k->p.c.timeout);
	k->fault = REKEY_FAILED;
	return 1;
}

/**
 * rekey_dirty(k): non-zero (once) if rekey_wait() changed since it was
 * last asked: a renegotiation started or ended.
 */
int
rekey_dirty(struct rekey *k)
{
	int d = k->dirty;

	k->dirty = 0;
	return d;
}

/** rekey_fault(k): 0, or REKEY_* if a renegotiation ends the association. */
int
rekey_fault(const struct rekey *k)
{
	return k->fault;
}

/** rekey_fail(k): the running renegotiation failed (logged by the caller). */
void
rekey_fail(struct rekey *k)
{
	if ((k->running || k->pending) && k->fault == 0)
		k->fault = REKEY_FAILED;
}

/** rekey_count(k): renegotiations completed (both sides' starting). */
unsigned long
rekey_count(const struct rekey *k)
{
	return k->done;
}

/**
 * rekey_counts(k, by): renegotiations completed by who started them, into
 * ${by}[REKEY_REASONS]: [REKEY_BY_PEER] the peer, [REKEY_DUE_*] this side
 * for that reason.
 */
void
rekey_counts(const struct rekey *k, unsigned long *by)
{
	memcpy(by, k->by, sizeof(k->by));
}
