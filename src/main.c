/*
 * main.c: command line, start-up and the event loop.
 *
 * Flag mode keeps the seed's command lines: "-h ADDR -p PORT -k KEY -l CERT"
 * is the echo server, "-c -h HOST -p PORT -m MSG -i N -k KEY -l CERT" the
 * echo client.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ev.h>
#include <openssl/ssl.h>

#include "client.h"
#include "conn.h"
#include "dtls.h"
#include "log.h"
#include "server.h"
#include "svc.h"

#ifndef VERSION
#define VERSION "0.1.0"
#endif

#define DEFAULT_PORT "8080"

struct opts {
	int client;
	const char *host, *port;
	const char *message;
	long count, size;
	const char *key, *cert, *ca;
	int insecure;
	const char *sess_in, *sess_out;
	long stream, ppid;
	double timeout;
	int log_level;
	int nodelay;
};

/* State of the echo server while it runs (signal handlers reach it). */
struct run {
	struct svc *svc;
	ev_signal sigint, sigterm, sighup, sigusr1;
	ev_timer drain;
	int stopping;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sctp-dtls [-h ADDR] [-p PORT] -k KEY -l CERT [options]"
	    "       (echo server)\n"
	    "       sctp-dtls -c -h HOST [-p PORT] [-m MSG] [-i N] -k KEY -l "
	    "CERT [options]  (echo client)\n"
	    "\n"
	    "  -c, --client          run the echo client\n"
	    "  -h, --host HOST       address to listen on / server to "
	    "connect to\n"
	    "                        (name, IPv4 or IPv6; default: all "
	    "addresses)\n"
	    "  -p, --port PORT       SCTP port (default " DEFAULT_PORT ")\n"
	    "  -m, --message MSG     client: message text (default "
	    "\"Hello\")\n"
	    "  -i, --count N         client: messages to send (default 1)\n"
	    "  -k, --key FILE        private key (PEM)\n"
	    "  -l, --cert FILE       certificate chain (PEM)\n"
	    "      --ca FILE         trust anchors (default: the own "
	    "certificate)\n"
	    "      --insecure        do not verify the peer (warns)\n"
	    "      --size N          client: make every message N bytes "
	    "(1..16384)\n"
	    "      --sess-in FILE    client: resume the session saved in "
	    "FILE\n"
	    "      --sess-out FILE   client: save the session to FILE\n"
	    "      --stream N        SCTP stream for application data "
	    "(default 0)\n"
	    "      --ppid N          SCTP payload protocol id of "
	    "application data (default 0)\n"
	    "      --no-nodelay      do not set SCTP_NODELAY\n"
	    "      --timeout SEC     connect/handshake/response timeout "
	    "(default 30)\n"
	    "  -v, --verbose         log debug messages\n"
	    "      --log-level LVL   error, warning, notice, info or debug "
	    "(default notice)\n"
	    "      --help            show this help\n"
	    "      --version         show the version\n");
}

static int
parse_long(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr,
		    "sctp-dtls: %s: expected a number from %ld to "
		    "%ld, got \"%s\"\n",
		    opt, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* Returns 0 to run, 1 to exit 0 (help/version), -1 to exit 2. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	enum {
		O_CA = 256,
		O_INSECURE,
		O_SIZE,
		O_SESS_IN,
		O_SESS_OUT,
		O_STREAM,
		O_PPID,
		O_TIMEOUT,
		O_LOG_LEVEL,
		O_HELP,
		O_VERSION,
		O_NO_NODELAY
	};
	static const struct option longopts[] = {
	    {"client", no_argument, NULL, 'c'},
	    {"host", required_argument, NULL, 'h'},
	    {"port", required_argument, NULL, 'p'},
	    {"message", required_argument, NULL, 'm'},
	    {"count", required_argument, NULL, 'i'},
	    {"key", required_argument, NULL, 'k'},
	    {"cert", required_argument, NULL, 'l'},
	    {"ca", required_argument, NULL, O_CA},
	    {"insecure", no_argument, NULL, O_INSECURE},
	    {"size", required_argument, NULL, O_SIZE},
	    {"sess-in", required_argument, NULL, O_SESS_IN},
	    {"sess-out", required_argument, NULL, O_SESS_OUT},
	    {"stream", required_argument, NULL, O_STREAM},
	    {"ppid", required_argument, NULL, O_PPID},
	    {"no-nodelay", no_argument, NULL, O_NO_NODELAY},
	    {"timeout", required_argument, NULL, O_TIMEOUT},
	    {"verbose", no_argument, NULL, 'v'},
	    {"log-level", required_argument, NULL, O_LOG_LEVEL},
	    {"help", no_argument, NULL, O_HELP},
	    {"version", no_argument, NULL, O_VERSION},
	    {NULL, 0, NULL, 0},
	};
	long v;
	int ch;

	while ((ch = getopt_long(
	            argc, argv, "ch:p:m:i:k:l:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->client = 1;
			break;
		case 'h':
			o->host = optarg;
			break;
		case 'p':
			if (parse_long("--port", optarg, 1, 65535, &v) != 0)
				return -1;
			o->port = optarg;
			break;
		case 'm':
			o->message = optarg;
			break;
		case 'i':
			if (parse_long(
			        "--count", optarg, 0, LONG_MAX, &o->count) != 0)
				return -1;
			break;
		case 'k':
			o->key = optarg;
			break;
		case 'l':
			o->cert = optarg;
			break;
		case O_CA:
			o->ca = optarg;
			break;
		case O_INSECURE:
			o->insecure = 1;
			break;
		case O_SIZE:
			if (parse_long("--size", optarg, 1, 16384, &o->size) !=
			    0)
				return -1;
			break;
		case O_SESS_IN:
			o->sess_in = optarg;
			break;
		case O_SESS_OUT:
			o->sess_out = optarg;
			break;
		case O_STREAM:
			if (parse_long(
			        "--stream", optarg, 0, 65534, &o->stream) != 0)
				return -1;
			break;
		case O_PPID:
			if (parse_long("--ppid", optarg, 0, 4294967295L,
			        &o->ppid) != 0)
				return -1;
			break;
		case O_NO_NODELAY:
			o->nodelay = 0;
			break;
		case O_TIMEOUT:
			if (parse_long("--timeout", optarg, 1, 86400, &v) != 0)
				return -1;
			o->timeout = (double)v;
			break;
		case 'v':
			o->log_level = LOG_LVL_DEBUG;
			break;
		case O_LOG_LEVEL:
			if ((o->log_level = log_level_parse(optarg)) < 0) {
				fprintf(stderr,
				    "sctp-dtls: --log-level: "
				    "unknown level \"%s\"\n",
				    optarg);
				return -1;
			}
			break;
		case O_HELP:
			usage(stdout);
			return 1;
		case O_VERSION:
			printf("sctp-dtls %s (%s)\n", VERSION,
			    OpenSSL_version(OPENSSL_VERSION));
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "sctp-dtls: unexpected argument \"%s\"\n",
		    argv[optind]);
		return -1;
	}
	if (o->client && o->host == NULL) {
		fprintf(stderr, "sctp-dtls: the client needs -h HOST\n");
		return -1;
	}
	if (o->cert == NULL || o->key == NULL) {
		if (!o->client || !o->insecure || o->cert != NULL ||
		    o->key != NULL) {
			fprintf(stderr,
			    "sctp-dtls: -k KEY and -l CERT are "
			    "required\n");
			return -1;
		}
	}
	return 0;
}

static void
on_stop(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct run *r = w->data;

	(void)revents;
	if (r->stopping) {
		ev_break(loop, EVBREAK_ALL);
		return;
	}
	log_notice(NULL, "signal %d: stopping, draining %d connection(s)",
	    w->signum, r->svc->nconns);
	r->stopping = 1;
	server_stop(r->svc);
	conn_shutdown_all(r->svc);
	ev_timer_start(loop, &r->drain);
}

static void
on_reopen(struct ev_loop *loop, ev_signal *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
	(void)log_reopen();
}

static void
on_drain(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct run *r = w->data;

	(void)revents;
	if (r->svc->nconns > 0)
		log_warn(NULL,
		    "%d connection(s) still open after draining; "
		    "aborting them",
		    r->svc->nconns);
	ev_break(loop, EVBREAK_ALL);
}

/* Poll while draining so the loop ends as soon as the last one closes. */
static void
on_drain_check(struct ev_loop *loop, ev_check *w, int revents)
{
	struct run *r = w->data;

	(void)revents;
	if (r->stopping && r->svc->nconns == 0)
		ev_break(loop, EVBREAK_ALL);
}

static int
run_server(struct ev_loop *loop, SSL_CTX *ctx, const struct opts *o)
{
	struct svc svc;
	struct run r;
	ev_check chk;

	memset(&svc, 0, sizeof(svc));
	memset(&r, 0, sizeof(r));
	snprintf(svc.name, sizeof(svc.name), "echo");
	svc.loop = loop;
	svc.ctx = ctx;
	svc.so.nodelay = o->nodelay;
	svc.so.ostreams = (uint16_t)(o->stream >= 10 ? o->stream + 1 : 0);
	svc.dp.stream = (uint16_t)o->stream;
	svc.dp.ppid = (uint32_t)o->ppid;
	svc.hs_timeout = o->timeout;
	svc.close_timeout = 5;
	svc.transcript = 1;
	svc.lfd = -1;
	printf("Socket created successfully\n");
	printf("key: %s\ncert: %s\n", o->key, o->cert);
	fflush(stdout);
	if (server_listen(&svc, o->host, o->port) != 0)
		return 1;
	r.svc = &svc;
	ev_signal_init(&r.sigint, on_stop, SIGINT);
	ev_signal_init(&r.sigterm, on_stop, SIGTERM);
	ev_signal_init(&r.sigusr1, on_reopen, SIGUSR1);
	r.sigint.data = r.sigterm.data = &r;
	ev_signal_start(loop, &r.sigint);
	ev_signal_start(loop, &r.sigterm);
	ev_signal_start(loop, &r.sigusr1);
	ev_timer_init(&r.drain, on_drain, 10.0, 0);
	r.drain.data = &r;
	ev_check_init(&chk, on_drain_check);
	chk.data = &r;
	ev_check_start(loop, &chk);
	ev_unref(loop); /* the check watcher alone keeps nothing alive */
	printf("Listening on port %s\n", o->port);
	fflush(stdout);
	ev_run(loop, 0);
	ev_ref(loop);
	ev_check_stop(loop, &chk);
	ev_signal_stop(loop, &r.sigint);
	ev_signal_stop(loop, &r.sigterm);
	ev_signal_stop(loop, &r.sigusr1);
	ev_timer_stop(loop, &r.drain);
	server_stop(&svc);
	while (svc.conns != NULL)
		conn_close(svc.conns, "shutting down", 1);
	log_notice(NULL, "stopped after %lu connection(s)", svc.served);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = {
	    .port = DEFAULT_PORT,
	    .message = "Hello",
	    .count = 1,
	    .timeout = 30,
	    .log_level = LOG_LVL_NOTICE,
	    .nodelay = 1,
	};
	struct dtls_tls t;
	struct ev_loop *loop;
	SSL_CTX *ctx;
	int rc = 2, r;

	if ((r = parse_args(argc, argv, &o)) != 0)
		return r > 0 ? 0 : 2;
	signal(SIGPIPE, SIG_IGN);
	if (log_open("stderr", o.log_level, "sctp-dtls") != 0)
		goto err0;
	if ((loop = ev_default_loop(EVFLAG_AUTO)) == NULL) {
		log_err(NULL, "cannot initialise the event loop");
		goto err0;
	}
	if (dtls_init() != 0)
		goto err1;
	memset(&t, 0, sizeof(t));
	t.cert = o.cert;
	t.key = o.key;
	t.ca = o.ca;
	t.insecure = o.insecure;
	if (o.insecure)
		log_warn(NULL,
		    "--insecure: the peer's certificate is not "
		    "verified; anyone can impersonate it");
	if ((ctx = dtls_ctx_new(
	         &t, !o.client, o.client ? "client" : "server")) == NULL)
		goto err2;
	if (o.client) {
		struct client_opts co;

		memset(&co, 0, sizeof(co));
		co.host = o.host;
		co.port = o.port;
		co.message = o.message;
		co.count = o.count;
		co.size = o.size;
		co.sess_in = o.sess_in;
		co.sess_out = o.sess_out;
		co.key = o.key;
		co.cert = o.cert;
		co.timeout = o.timeout;
		co.so.nodelay = o.nodelay;
		co.so.ostreams = (uint16_t)(o.stream >= 10 ? o.stream + 1 : 0);
		co.dp.stream = (uint16_t)o.stream;
		co.dp.ppid = (uint32_t)o.ppid;
		rc = client_run(loop, ctx, &co);
	} else {
		rc = run_server(loop, ctx, &o);
	}
	SSL_CTX_free(ctx);
err2:
	dtls_fini();
err1:
	ev_loop_destroy(loop);
err0:
	log_close();
	return rc;
}
