/*
 * main.c: the command line, as a table of options, and start-up.
 *
 * Config mode ("-f FILE") runs the services of an INI file. Flag mode keeps
 * the seed's command lines: "-h ADDR -p PORT -k KEY -l CERT" is the echo
 * server, "-c -h HOST -p PORT -m MSG -i N -k KEY -l CERT" the echo client.
 * The flags that are configuration keys (the TLS files and options,
 * stream, PPID...) go through the same checks as the file (keys.c).
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
#include "config.h"
#include "dtls.h"
#include "keys.h"
#include "log.h"
#include "psk.h"
#include "run.h"
#include "tls.h"
#include "transcript.h"

#ifndef VERSION
#define VERSION "0.1.0"
#endif

#define DEFAULT_PORT "8080"

/* What an option does that is not a configuration key. */
enum act {
	A_KEY, /* sets the configuration key of its row */
	A_CONFIG,
	A_TEST,
	A_CLIENT,
	A_HOST,
	A_PORT,
	A_MESSAGE,
	A_COUNT,
	A_SIZE,
	A_SESS_IN,
	A_SESS_OUT,
	A_TIMEOUT,
	A_VERBOSE,
	A_LOG_LEVEL,
	A_HELP,
	A_VERSION,
};

/* One option: its names, argument, what it does, its help line. */
static const struct opt {
	const char *name; /* long */
	char shortc; /* or 0 */
	const char *arg; /* its argument's name, or NULL */
	enum act act;
	const char *key; /* A_KEY: the configuration key it sets ... */
	const char *value; /* ... to this value (an option without argument) */
	const char *help;
} opts[] = {
    {"config", 'f', "FILE", A_CONFIG, NULL, NULL,
        "run the services configured in FILE"},
    {"test-config", 't', NULL, A_TEST, NULL, NULL,
        "check the configuration and exit"},
    {"client", 'c', NULL, A_CLIENT, NULL, NULL, "run the echo client"},
    {"host", 'h', "HOST", A_HOST, NULL, NULL,
        "address to listen on / server to connect to (name, IPv4 or "
        "IPv6; default: all addresses)"},
    {"port", 'p', "PORT", A_PORT, NULL, NULL,
        "SCTP port (default " DEFAULT_PORT ")"},
    {"message", 'm', "MSG", A_MESSAGE, NULL, NULL,
        "client: message text (default \"Hello\")"},
    {"count", 'i', "N", A_COUNT, NULL, NULL,
        "client: messages to send (default 1)"},
    {"key", 'k', "FILE", A_KEY, "key", NULL, "private key (PEM)"},
    {"cert", 'l', "FILE", A_KEY, "cert", NULL, "certificate chain (PEM)"},
    {"ca", 0, "FILE", A_KEY, "ca", NULL,
        "trust anchors (default: the own certificate)"},
    {"capath", 0, "DIR", A_KEY, "capath", NULL,
        "directory of hashed trust anchors"},
    {"crl", 0, "FILE", A_KEY, "crl", NULL,
        "PEM CRLs: check the peer's chain for revocation"},
    {"check-host", 0, "NAME", A_KEY, "check_host", NULL,
        "the peer's certificate must be for NAME"},
    {"check-ip", 0, "ADDR", A_KEY, "check_ip", NULL,
        "the peer's certificate must be for ADDR"},
    {"ciphers", 0, "LIST", A_KEY, "ciphers", NULL,
        "DTLS 1.2 cipher list (OpenSSL syntax)"},
    {"groups", 0, "LIST", A_KEY, "groups", NULL,
        "key exchange groups, such as P-256:X25519"},
    {"psk-secrets", 0, "FILE", A_KEY, "psk_secrets", NULL,
        "pre-shared keys, IDENTITY:HEXKEY lines; -k and -l are then "
        "optional"},
    {"psk-identity", 0, "ID", A_KEY, "psk_identity", NULL,
        "client: the identity of the key to use"},
    {"insecure", 0, NULL, A_KEY, "verify", "none",
        "do not verify the peer (warns)"},
    {"size", 0, "N", A_SIZE, NULL, NULL,
        "client: make every message N bytes (1..16384)"},
    {"sess-in", 0, "FILE", A_SESS_IN, NULL, NULL,
        "client: resume the session saved in FILE"},
    {"sess-out", 0, "FILE", A_SESS_OUT, NULL, NULL,
        "client: save the session to FILE"},
    {"stream", 0, "N", A_KEY, "stream", NULL,
        "SCTP stream for application data (default 0)"},
    {"ppid", 0, "N", A_KEY, "ppid", NULL,
        "SCTP payload protocol id of application data (default 0)"},
    {"no-nodelay", 0, NULL, A_KEY, "nodelay", "no", "do not set SCTP_NODELAY"},
    {"sctp-label-bug", 0, NULL, A_KEY, "sctp_label_bug", "yes",
        "SCTP-AUTH keys as OpenSSL <= 1.1.0i made them (24-byte label)"},
    {"timeout", 0, "SEC", A_TIMEOUT, "handshake_timeout", NULL,
        "connect/handshake/response timeout (default 30)"},
    {"verbose", 'v', NULL, A_VERBOSE, NULL, NULL, "log debug messages"},
    {"log-level", 0, "LVL", A_LOG_LEVEL, NULL, NULL,
        "error, warning, notice, info or debug (default notice)"},
    {"help", 0, NULL, A_HELP, NULL, NULL, "show this help"},
    {"version", 0, NULL, A_VERSION, NULL, NULL, "show the version"},
};

#define NOPTS (int)(sizeof(opts) / sizeof(opts[0]))

/* The command line as parsed. */
struct cmd {
	struct svc_conf sc; /* the echo modes' service, keys at defaults */
	const char *config;
	int test_config;
	int client;
	const char *host, *port;
	const char *message;
	long count, size;
	const char *sess_in, *sess_out;
	int log_level;
	int log_level_set; /* -v / --log-level given */
	int keys_set; /* a configuration key was given as a flag */
};

static void
usage(FILE *f)
{
	char left[40];
	int i;

	fprintf(f,
	    "usage: sctp-dtls -f FILE [-t]            (services of an INI "
	    "file)\n"
	    "       sctp-dtls [-h ADDR] [-p PORT] -k KEY -l CERT [options]  "
	    "(echo server)\n"
	    "       sctp-dtls -c -h HOST [-p PORT] [-m MSG] [-i N] -k KEY -l "
	    "CERT [options]  (echo client)\n\n");
	for (i = 0; i < NOPTS; i++) {
		snprintf(left, sizeof(left), "%c%c%s--%s%s%s",
		    opts[i].shortc ? '-' : ' ',
		    opts[i].shortc ? opts[i].shortc : ' ',
		    opts[i].shortc ? ", " : "  ", opts[i].name,
		    opts[i].arg != NULL ? " " : "",
		    opts[i].arg != NULL ? opts[i].arg : "");
		fprintf(f, "  %-24s %s\n", left, opts[i].help);
	}
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
		    "sctp-dtls: --%s: expected a number from %ld to %ld, got "
		    "\"%s\"\n",
		    opt, min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The option ${o} sets its configuration key to ${v}. 0 or -1 (told). */
static int
set_key(struct cmd *c, const struct opt *o, const char *v)
{
	const char *why = "";

	if (key_set(key_find(o->key), &c->sc, v, 0, &why) != 0) {
		fprintf(stderr, "sctp-dtls: --%s: bad value '%s': %s\n",
		    o->name, v, why);
		return -1;
	}
	c->keys_set = 1;
	return 0;
}

/* Carry out option ${o} with argument ${v}: 0, 1 (exit 0), -1 (exit 2). */
static int
act(struct cmd *c, const struct opt *o, const char *v)
{
	long n;

	switch (o->act) {
	case A_KEY:
		return set_key(c, o, o->value != NULL ? o->value : v);
	case A_CONFIG:
		c->config = v;
		return 0;
	case A_TEST:
		c->test_config = 1;
		return 0;
	case A_CLIENT:
		c->client = 1;
		return 0;
	case A_HOST:
		c->host = v;
		return 0;
	case A_PORT:
		c->port = v;
		return parse_long(o->name, v, 1, 65535, &n);
	case A_MESSAGE:
		c->message = v;
		return 0;
	case A_COUNT:
		return parse_long(o->name, v, 0, LONG_MAX, &c->count);
	case A_SIZE:
		return parse_long(o->name, v, 1, 16384, &c->size);
	case A_SESS_IN:
		c->sess_in = v;
		return 0;
	case A_SESS_OUT:
		c->sess_out = v;
		return 0;
	case A_TIMEOUT:
		if (parse_long(o->name, v, 1, 86400, &n) != 0)
			return -1;
		return set_key(c, o, v);
	case A_VERBOSE:
		c->log_level = LOG_LVL_DEBUG;
		c->log_level_set = 1;
		return 0;
	case A_LOG_LEVEL:
		if ((c->log_level = log_level_parse(v)) < 0) {
			fprintf(stderr,
			    "sctp-dtls: --log-level: unknown level \"%s\"\n",
			    v);
			return -1;
		}
		c->log_level_set = 1;
		return 0;
	case A_HELP:
		usage(stdout);
		return 1;
	default:
		printf("sctp-dtls %s (%s)\n", VERSION,
		    OpenSSL_version(OPENSSL_VERSION));
		return 1;
	}
}

/* The flags given together must make one mode. 0, or -1 (told). */
static int
check_mode(const struct cmd *c)
{
	const struct svc_conf *s = &c->sc;
	const char *bad = NULL;

	if (c->config != NULL || c->test_config) {
		if (c->config == NULL)
			bad = "-t needs -f FILE";
		else if (c->client || c->keys_set)
			bad = "-f does not mix with the echo flags";
	} else if (c->client && c->host == NULL) {
		bad = "the client needs -h HOST";
	} else if (s->psk_identity != NULL &&
	    (!c->client || s->psk_secrets == NULL)) {
		bad = "--psk-identity is for the client (-c), with "
		      "--psk-secrets";
	} else if (c->client && s->psk_secrets != NULL &&
	    s->psk_identity == NULL) {
		bad = "the client needs --psk-identity with --psk-secrets";
	} else if ((s->cert == NULL) != (s->key == NULL) ||
	    (s->cert == NULL && s->psk_secrets == NULL &&
	        (!c->client || s->verify))) {
		/* Without a certificate: an insecure client, or PSK. */
		bad = "-k KEY and -l CERT are required";
	}
	if (bad != NULL)
		fprintf(stderr, "sctp-dtls: %s\n", bad);
	return bad != NULL ? -1 : 0;
}

/* Returns 0 to run, 1 to exit 0 (help/version), -1 to exit 2. */
static int
parse_args(int argc, char **argv, struct cmd *c)
{
	struct option lo[NOPTS + 1];
	char shorts[2 * NOPTS + 1], *sp = shorts;
	int i, ch, idx, r;

	memset(lo, 0, sizeof(lo));
	for (i = 0; i < NOPTS; i++) {
		lo[i].name = opts[i].name;
		lo[i].has_arg =
		    opts[i].arg != NULL ? required_argument : no_argument;
		lo[i].val = opts[i].shortc ? opts[i].shortc : 256 + i;
		if (opts[i].shortc) {
			*sp++ = opts[i].shortc;
			if (opts[i].arg != NULL)
				*sp++ = ':';
		}
	}
	*sp = '\0';
	while ((ch = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		for (idx = 0; idx < NOPTS && lo[idx].val != ch; idx++)
			;
		if (idx == NOPTS) {
			usage(stderr);
			return -1;
		}
		if ((r = act(c, &opts[idx], optarg)) != 0)
			return r;
	}
	if (optind < argc) {
		fprintf(stderr, "sctp-dtls: unexpected argument \"%s\"\n",
		    argv[optind]);
		return -1;
	}
	return check_mode(c);
}

/* The seed's echo server: one service, accept DTLS/SCTP, connect echo. */
static int
run_echo_server(struct ev_loop *loop, struct cmd *c)
{
	struct svc_conf *sc = &c->sc;

	if (!sc->verify)
		log_warn(NULL,
		    "--insecure: peers are not verified; anyone can "
		    "impersonate them");
	sc->accept.kind = EP_DTLS_SCTP;
	snprintf(sc->accept.host, sizeof(sc->accept.host), "%s",
	    c->host != NULL ? c->host : "");
	snprintf(sc->accept.port, sizeof(sc->accept.port), "%s", c->port);
	sc->connect.kind = EP_ECHO;
	sc->idle_timeout = 0; /* associations stay until they end */
	transcript_started(sc->key, sc->cert);
	return run_echo(loop, sc) == 0 ? 0 : 1;
}

/* The seed's echo client. */
static int
run_echo_client(struct ev_loop *loop, struct cmd *c)
{
	const struct svc_conf *sc = &c->sc;
	struct client_opts co;
	struct tls_conf t;
	SSL_CTX *ctx;
	int rc;

	config_tls(sc, &t);
	t.psk = sc->psk;
	if (!sc->verify)
		log_warn(NULL,
		    "--insecure: the server's certificate is not verified; "
		    "anyone can impersonate it");
	if ((ctx = tls_ctx_new(&t, 0, "client", NULL, NULL)) == NULL)
		return 1;
	memset(&co, 0, sizeof(co));
	co.host = c->host;
	co.port = c->port;
	co.message = c->message;
	co.count = c->count;
	co.size = c->size;
	co.sess_in = c->sess_in;
	co.sess_out = c->sess_out;
	co.key = sc->key;
	co.cert = sc->cert;
	co.timeout = sc->handshake_timeout;
	co.so.dtls = 1;
	co.so.nodelay = sc->nodelay;
	co.so.ostreams = sctp_ostreams_for(sc->stream);
	co.dp.app.stream = sc->stream;
	co.dp.app.ppid = sc->ppid;
	co.dp.label_bug = sc->sctp_label_bug;
	co.dp.rekey.on = sc->rekey;
	co.dp.rekey.interval = sc->rekey_interval;
	co.dp.rekey.bytes = sc->rekey_bytes;
	co.dp.rekey.min_interval = sc->rekey_min_interval;
	co.dp.rekey.timeout = sc->handshake_timeout;
	rc = client_run(loop, ctx, &co);
	SSL_CTX_free(ctx);
	return rc;
}

/* The keys of the --psk-secrets file ${path}; errors go to stderr. */
static struct psk *
load_psk(const char *path)
{
	struct psk *psk;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "sctp-dtls: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	psk = psk_read(f, path, stderr);
	fclose(f);
	return psk;
}

/* Run the mode the command line ${c} asked for: the exit status. */
static int
run(struct ev_loop *loop, struct cmd *c)
{
	if (c->config != NULL)
		return run_config(loop, c->config, c->test_config,
		    c->log_level_set ? c->log_level : -1);
	if (!c->client)
		return run_echo_server(loop, c);
	return run_echo_client(loop, c);
}

int
main(int argc, char **argv)
{
	struct cmd c;
	struct ev_loop *loop;
	int rc = 2, r;

	memset(&c, 0, sizeof(c));
	config_service_defaults(&c.sc, "echo");
	c.port = DEFAULT_PORT;
	c.message = "Hello";
	c.count = 1;
	c.log_level = LOG_LVL_NOTICE;
	if ((r = parse_args(argc, argv, &c)) != 0) {
		rc = r > 0 ? 0 : 2;
		goto err0;
	}
	if (c.sc.psk_secrets != NULL &&
	    (c.sc.psk = load_psk(c.sc.psk_secrets)) == NULL)
		goto err0;
	signal(SIGPIPE, SIG_IGN);
	if (log_open("stderr", c.log_level, "sctp-dtls") != 0)
		goto err0;
	if ((loop = ev_default_loop(EVFLAG_AUTO)) == NULL) {
		log_err(NULL, "cannot initialise the event loop");
		goto err1;
	}
	rc = dtls_init() == 0 ? run(loop, &c) : 1;
	dtls_fini();
	ev_loop_destroy(loop);
err1:
	log_close();
err0:
	config_service_free(&c.sc);
	return rc;
}
