/*
 * client.c: the echo client of the seed (-c): connect, handshake, send N
 * messages and check each comes back identical, close; its transcript on
 * stdout keeps the seed's lines.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "tls.h"
#include "client.h"
#include "dial.h"
#include "log.h"
#include "net.h"
#include "transcript.h"

#define MSG_MAX 16384

enum cl_state { CL_CONNECT, CL_HANDSHAKE, CL_SEND, CL_RECV, CL_CLOSE };

struct client {
	struct ev_loop *loop;
	const struct client_opts *o;
	SSL_CTX *ctx;
	struct addrinfo *res;
	struct dial *dial; /* while connecting */
	int fd;
	ev_io io;
	ev_timer timer;
	struct dtls *d;
	enum cl_state state;
	long i; /* message being exchanged */
	long good; /* identical responses */
	int failed;
	int done;
	uint8_t msg[MSG_MAX];
	size_t msglen;
	uint8_t resp[MSG_MAX];
	char who[NET_ADDRSTRLEN + 16];
};

static void client_step(struct client *cl);
static int connected(struct client *cl);

static void
print_notification(void *arg, const char *text)
{
	(void)arg;
	transcript_notification(text);
}

/* Message i: "MSG (i)", padded with a pattern or cut to --size bytes. */
static void
make_message(struct client *cl)
{
	int n = snprintf((char *)cl->msg, sizeof(cl->msg), "%s (%ld)",
	    cl->o->message, cl->i);
	size_t len = n < 0 ? 0 : (size_t)n, k;

	if (len > sizeof(cl->msg))
		len = sizeof(cl->msg);
	if (cl->o->size > 0) {
		for (k = len; k < (size_t)cl->o->size; k++)
			cl->msg[k] =
			    (uint8_t)('a' + (k * 7 + (size_t)cl->i) % 26);
		len = (size_t)cl->o->size;
	}
	cl->msglen = len;
}

static void
finish(struct client *cl)
{
	cl->done = 1;
	ev_io_stop(cl->loop, &cl->io);
	ev_timer_stop(cl->loop, &cl->timer);
	ev_break(cl->loop, EVBREAK_ONE);
}

static void
fail(struct client *cl)
{
	cl->failed = 1;
	finish(cl);
}

static void
watch(struct client *cl, int ev)
{
	if (ev_is_active(&cl->io) && cl->io.events == ev)
		return;
	ev_io_stop(cl->loop, &cl->io);
	ev_io_set(&cl->io, cl->fd, ev);
	ev_io_start(cl->loop, &cl->io);
}

static void
arm(struct client *cl)
{
	ev_timer_stop(cl->loop, &cl->timer);
	ev_timer_set(&cl->timer, cl->o->timeout, 0);
	ev_timer_start(cl->loop, &cl->timer);
}

/* The PEM session saved in ${path} (--sess-in), or NULL. */
static SSL_SESSION *
session_load(const char *path)
{
	SSL_SESSION *s = NULL;
	FILE *f;

	if ((f = fopen(path, "r")) != NULL) {
		s = PEM_read_SSL_SESSION(f, NULL, NULL, NULL);
		fclose(f);
	}
	ERR_clear_error();
	return s;
}

/* Save ${s} to ${path} as PEM (--sess-out). 0 or -1. */
static int
session_save(const SSL_SESSION *s, const char *path)
{
	FILE *f;
	int ok;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	ok = PEM_write_SSL_SESSION(f, s) == 1;
	if (fclose(f) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

/* The association is up (dial.c): on to the handshake. */
static void
on_dialed(void *arg, int fd, const char *addr, int err)
{
	struct client *cl = arg;

	dial_free(cl->dial);
	cl->dial = NULL;
	if (fd == -1) {
		log_err(cl->who, "cannot connect: %s", strerror(err));
		fail(cl);
		return;
	}
	cl->fd = fd;
	snprintf(cl->who, sizeof(cl->who), "%s", addr);
	if (connected(cl) != 0) {
		fail(cl);
		return;
	}
	arm(cl);
	client_step(cl);
}

static int
connected(struct client *cl)
{
	transcript_connected();
	if (sctp_sock_up(cl->fd, NULL, cl->who) != 0 ||
	    (cl->d = dtls_new(cl->ctx, cl->fd, 0, &cl->o->dp, cl->who)) == NULL)
		return -1;
	if (cl->o->sess_in != NULL) {
		SSL_SESSION *s = session_load(cl->o->sess_in);

		if (s == NULL || dtls_session_offer(cl->d, s) != 0)
			log_warn(cl->who,
			    "cannot resume the session in %s; "
			    "full handshake",
			    cl->o->sess_in);
		tls_session_free(s);
	}
	cl->state = CL_HANDSHAKE;
	return 0;
}

static int
handshake_done(struct client *cl)
{
	SSL_SESSION *s;

	dtls_log_handshake(cl->d, NULL, NULL);
	transcript_peer(cl->d);
	if (cl->o->sess_out != NULL) {
		s = dtls_session_get(cl->d);
		if (s == NULL || session_save(s, cl->o->sess_out) != 0)
			log_warn(cl->who, "cannot save the session to %s",
			    cl->o->sess_out);
		tls_session_free(s);
	}
	cl->state = cl->o->count > 0 ? CL_SEND : CL_CLOSE;
	if (cl->state == CL_CLOSE) {
		transcript_client_cleanup();
	}
	return 0;
}

/* Exchange messages; 0 to wait, -1 on failure. */
static int
exchange(struct client *cl)
{
	ssize_t n;

	while (cl->state == CL_SEND || cl->state == CL_RECV) {
		if (cl->state == CL_SEND) {
			make_message(cl);
			n = dtls_write(cl->d, cl->msg, cl->msglen, NULL);
			if (n == DTLS_AGAIN)
				return 0;
			if (n < 0)
				return -1;
			transcript_message(
			    "Sending message", cl->msg, cl->msglen);
			cl->state = CL_RECV;
			arm(cl);
		}
		n = dtls_read(cl->d, cl->resp, sizeof(cl->resp), NULL);
		if (n == DTLS_AGAIN)
			return 0;
		if (n < 0) {
			if (n == DTLS_EOF)
				log_err(cl->who,
				    "server closed before "
				    "answering message %ld",
				    cl->i);
			return -1;
		}
		transcript_message("Server's response", cl->resp, (size_t)n);
		if ((size_t)n == cl->msglen &&
		    memcmp(cl->resp, cl->msg, cl->msglen) == 0)
			cl->good++;
		else
			log_err(cl->who,
			    "response %ld differs from what was "
			    "sent (%zd bytes, sent %zu)",
			    cl->i, n, cl->msglen);
		if (++cl->i < cl->o->count) {
			cl->state = CL_SEND;
		} else {
			cl->state = CL_CLOSE;
			transcript_client_cleanup();
		}
	}
	return 0;
}

/* Send close_notify, then wait for the server's (or the end). */
static int
closing(struct client *cl)
{
	ssize_t n;
	int r;

	if ((r = dtls_shutdown(cl->d)) != 1)
		return r == DTLS_AGAIN ? 0 : -1;
	for (;;) {
		n = dtls_read(cl->d, cl->resp, sizeof(cl->resp), NULL);
		if (n == DTLS_AGAIN)
			return 0;
		if (n < 0)
			break;
	}
	finish(cl);
	return 0;
}

static void
client_step(struct client *cl)
{
	int r = 0;

	if (cl->state == CL_HANDSHAKE) {
		r = dtls_handshake(cl->d);
		if (r == DTLS_ERR)
			goto failed;
		/* The timer armed on connecting covers the whole handshake. */
		if (r == 1) {
			if (handshake_done(cl) != 0)
				goto failed;
			arm(cl);
		}
	}
	if ((cl->state == CL_SEND || cl->state == CL_RECV) && exchange(cl) != 0)
		goto failed;
	if (cl->state == CL_CLOSE && closing(cl) != 0)
		goto failed;
	if (!cl->done)
		watch(cl, EV_READ | (dtls_want_write(cl->d) ? EV_WRITE : 0));
	return;

failed:
	fail(cl);
}

static void
on_io(struct ev_loop *loop, ev_io *w, int revents)
{
	struct client *cl = w->data;

	(void)loop;
	if ((revents & EV_READ) && cl->d != NULL)
		dtls_readable(cl->d);
	if ((revents & EV_WRITE) && cl->d != NULL)
		(void)dtls_flush(cl->d); /* a failure fails the next step */
	client_step(cl);
}

static void
on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct client *cl = w->data;
	static const char *const what[] = {"connecting", "the handshake",
	    "sending", "the response", "closing"};
	char why[200] = "";

	(void)loop;
	(void)revents;
	if (cl->state == CL_CLOSE && cl->i >= cl->o->count) {
		/* The server did not answer our close_notify: close anyway. */
		log_notice(cl->who, "no close_notify from the server");
		finish(cl);
		return;
	}
	if (cl->state == CL_HANDSHAKE && cl->d != NULL)
		dtls_stall_reason(cl->d, why, sizeof(why));
	log_err(cl->who, "timed out during %s%s", what[cl->state], why);
	fail(cl);
}

/**
 * client_run(loop, ctx, o): run the echo client ${o} on ${loop} with the
 * TLS context ${ctx}, printing the seed's transcript on stdout. Returns 0
 * if every response came back identical, else 1.
 */
int
client_run(struct ev_loop *loop, SSL_CTX *ctx, const struct client_opts *o)
{
	struct dial_conf dc = {loop, 1, &o->so, 0, NULL, 0};
	struct client *cl;
	struct dtls_params dp = o->dp;
	struct client_opts co = *o;
	int rc = 1;

	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		log_err(NULL, "out of memory");
		goto err0;
	}
	dp.notify = print_notification;
	co.dp = dp;
	cl->loop = loop;
	cl->o = &co;
	cl->ctx = ctx;
	cl->fd = -1;
	ev_init(&cl->io, on_io);
	cl->io.data = cl;
	ev_init(&cl->timer, on_timer);
	cl->timer.data = cl;
	if (net_resolve(
	        o->host, o->port, SOCK_STREAM, IPPROTO_SCTP, 0, &cl->res) != 0)
		goto err1;
	snprintf(cl->who, sizeof(cl->who), "%s", o->host);
	dc.trying = cl->who;
	if ((cl->dial = dial_start(&dc, cl->res, o->host, on_dialed, cl)) ==
	    NULL)
		goto err2;
	arm(cl);
	transcript_started(o->key, o->cert);
	ev_run(loop, 0);
	if (!cl->failed && cl->good == o->count)
		rc = 0;
	else if (!cl->failed)
		log_err(cl->who, "%ld of %ld responses were identical",
		    cl->good, o->count);

err2:
	dial_free(cl->dial);
	ev_io_stop(loop, &cl->io);
	ev_timer_stop(loop, &cl->timer);
	dtls_free(cl->d);
	if (cl->fd != -1)
		close(cl->fd);
	freeaddrinfo(cl->res);
err1:
	free(cl);
err0:
	return rc;
}
