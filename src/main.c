/*
 * main.c: command line, start-up and the event loop.
 *
 * Config mode ("-f FILE") runs the services of an INI file. Flag mode keeps
 * the seed's command lines: "-h ADDR -p PORT -k KEY -l CERT" is the echo
 * server, "-c -h HOST -p PORT -m MSG -i N -k KEY -l CERT" the echo client.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ev.h>
#include <openssl/ssl.h>

#include "client.h"
#include "config.h"
#include "dtls.h"
#include "log.h"
#include "psk.h"
#include "run.h"
#include "svc.h"
#include "tls.h"
#include "transcript.h"

#ifndef VERSION
#define VERSION "0.1.0"
#endif

#define DEFAULT_PORT "8080"

struct opts {
	const char *config;
	int test_config;
	int client;
	const char *host, *port;
	const char *message;
	long count, size;
	const char *key, *cert, *ca;
	const char *capath, *crl, *check_host, *check_ip;
	const char *ciphers, *groups;
	const char *psk_secrets, *psk_identity;
	struct psk *psk; /* the keys of psk_secrets, read by main() */
	int insecure;
	const char *sess_in, *sess_out;
	long stream, ppid;
	double timeout;
	int log_level;
	int log_level_set; /* -v / --log-level given */
	int nodelay;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sctp-dtls -f FILE [-t]                  (services of an INI "
	    "file)\n"
	    "       sctp-dtls [-h ADDR] [-p PORT] -k KEY -l CERT [options]"
	    "       (echo server)\n"
	    "       sctp-dtls -c -h HOST [-p PORT] [-m MSG] [-i N] -k KEY -l "
	    "CERT [options]  (echo client)\n"
	    "\n"
	    "  -f, --config FILE     run the services configured in FILE\n"
	    "  -t, --test-config     check the configuration and exit\n"
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
	    "      --capath DIR      directory of hashed trust anchors\n"
	    "      --crl FILE        PEM CRLs: check the peer's chain for "
	    "revocation\n"
	    "      --check-host NAME the peer's certificate must be for "
	    "NAME\n"
	    "      --check-ip ADDR   the peer's certificate must be for "
	    "ADDR\n"
	    "      --ciphers LIST    DTLS 1.2 cipher list (OpenSSL "
	    "syntax)\n"
	    "      --groups LIST     key exchange groups, such as "
	    "P-256:X25519\n"
	    "      --psk-secrets FILE  pre-shared keys, IDENTITY:HEXKEY "
	    "lines;\n"
	    "                        -k and -l are then optional\n"
	    "      --psk-identity ID client: the identity of the key to "
	    "use\n"
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
		O_CAPATH,
		O_CRL,
		O_CHECK_HOST,
		O_CHECK_IP,
		O_CIPHERS,
		O_GROUPS,
		O_PSK_SECRETS,
		O_PSK_IDENTITY,
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
	    {"config", required_argument, NULL, 'f'},
	    {"test-config", no_argument, NULL, 't'},
	    {"client", no_argument, NULL, 'c'},
	    {"host", required_argument, NULL, 'h'},
	    {"port", required_argument, NULL, 'p'},
	    {"message", required_argument, NULL, 'm'},
	    {"count", required_argument, NULL, 'i'},
	    {"key", required_argument, NULL, 'k'},
	    {"cert", required_argument, NULL, 'l'},
	    {"ca", required_argument, NULL, O_CA},
	    {"capath", required_argument, NULL, O_CAPATH},
	    {"crl", required_argument, NULL, O_CRL},
	    {"check-host", required_argument, NULL, O_CHECK_HOST},
	    {"check-ip", required_argument, NULL, O_CHECK_IP},
	    {"ciphers", required_argument, NULL, O_CIPHERS},
	    {"groups", required_argument, NULL, O_GROUPS},
	    {"psk-secrets", required_argument, NULL, O_PSK_SECRETS},
	    {"psk-identity", required_argument, NULL, O_PSK_IDENTITY},
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
	            argc, argv, "f:tch:p:m:i:k:l:v", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			o->config = optarg;
			break;
		case 't':
			o->test_config = 1;
			break;
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
		case O_CAPATH:
			o->capath = optarg;
			break;
		case O_CRL:
			o->crl = optarg;
			break;
		case O_CHECK_HOST:
			o->check_host = optarg;
			break;
		case O_CHECK_IP:
			o->check_ip = optarg;
			break;
		case O_CIPHERS:
			o->ciphers = optarg;
			break;
		case O_GROUPS:
			o->groups = optarg;
			break;
		case O_PSK_SECRETS:
			o->psk_secrets = optarg;
			break;
		case O_PSK_IDENTITY:
			o->psk_identity = optarg;
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
			o->log_level_set = 1;
			break;
		case O_LOG_LEVEL:
			if ((o->log_level = log_level_parse(optarg)) < 0) {
				fprintf(stderr,
				    "sctp-dtls: --log-level: "
				    "unknown level \"%s\"\n",
				    optarg);
				return -1;
			}
			o->log_level_set = 1;
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
	if (o->config != NULL || o->test_config) {
		if (o->config == NULL) {
			fprintf(stderr, "sctp-dtls: -t needs -f FILE\n");
			return -1;
		}
		if (o->client || o->key != NULL || o->cert != NULL ||
		    o->capath != NULL || o->crl != NULL ||
		    o->check_host != NULL || o->check_ip != NULL ||
		    o->ciphers != NULL || o->groups != NULL ||
		    o->psk_secrets != NULL || o->psk_identity != NULL) {
			fprintf(stderr,
			    "sctp-dtls: -f does not mix with the "
			    "echo flags\n");
			return -1;
		}
		return 0;
	}
	if (o->client && o->host == NULL) {
		fprintf(stderr, "sctp-dtls: the client needs -h HOST\n");
		return -1;
	}
	if (o->psk_identity != NULL && (!o->client || o->psk_secrets == NULL)) {
		fprintf(stderr,
		    "sctp-dtls: --psk-identity is for the client (-c), with "
		    "--psk-secrets\n");
		return -1;
	}
	if (o->client && o->psk_secrets != NULL && o->psk_identity == NULL) {
		fprintf(stderr,
		    "sctp-dtls: the client needs --psk-identity with "
		    "--psk-secrets\n");
		return -1;
	}
	/* Without a certificate: an insecure client, or pre-shared keys. */
	if ((o->cert == NULL) != (o->key == NULL) ||
	    (o->cert == NULL && o->psk_secrets == NULL &&
	        (!o->client || !o->insecure))) {
		fprintf(stderr, "sctp-dtls: -k KEY and -l CERT are required\n");
		return -1;
	}
	return 0;
}

/* The echo flags' TLS and SCTP settings as a service configuration. */
static void
echo_conf(const struct opts *o, struct svc_conf *sc)
{
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->name, sizeof(sc->name), "echo");
	sc->cert = (char *)(uintptr_t)o->cert;
	sc->key = (char *)(uintptr_t)o->key;
	sc->ca = (char *)(uintptr_t)o->ca;
	sc->capath = (char *)(uintptr_t)o->capath;
	sc->crl = (char *)(uintptr_t)o->crl;
	sc->check_host = (char *)(uintptr_t)o->check_host;
	sc->check_ip = (char *)(uintptr_t)o->check_ip;
	sc->verify_depth = -1;
	sc->ciphers = (char *)(uintptr_t)o->ciphers;
	sc->groups = (char *)(uintptr_t)o->groups;
	sc->psk_secrets = (char *)(uintptr_t)o->psk_secrets;
	sc->psk = o->psk;
	sc->psk_identity = (char *)(uintptr_t)o->psk_identity;
	sc->session_cache = 1;
	sc->session_timeout = 300;
	sc->verify = !o->insecure;
	sc->stream = (uint16_t)o->stream;
	sc->ppid = (uint32_t)o->ppid;
	sc->nodelay = o->nodelay;
	sc->handshake_timeout = o->timeout;
	sc->close_timeout = 10;
	sc->max_handshakes = 100;
}

/* The seed's echo server: one service, accept DTLS/SCTP, connect echo. */
static int
run_echo_server(struct ev_loop *loop, const struct opts *o)
{
	struct svc_conf sc;

	echo_conf(o, &sc);
	sc.accept.kind = EP_DTLS_SCTP;
	snprintf(sc.accept.host, sizeof(sc.accept.host), "%s",
	    o->host != NULL ? o->host : "");
	snprintf(sc.accept.port, sizeof(sc.accept.port), "%s", o->port);
	sc.connect.kind = EP_ECHO;
	transcript_started(o->key, o->cert);
	return run_echo(loop, &sc);
}

/* The keys of the --psk-secrets file ${path}; errors go to stderr. */
static struct psk *
load_psk(const char *path)
{
	struct psk *psk;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "sctp-dtls: %s: %s\n", path, strerror(errno));
		goto err0;
	}
	psk = psk_read(f, path, stderr);
	fclose(f);
	return psk;

err0:
	return NULL;
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
	struct tls_conf t;
	struct ev_loop *loop;
	SSL_CTX *ctx;
	int rc = 2, r;

	if ((r = parse_args(argc, argv, &o)) != 0)
		return r > 0 ? 0 : 2;
	if (o.psk_secrets != NULL && (o.psk = load_psk(o.psk_secrets)) == NULL)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	if (log_open("stderr", o.log_level, "sctp-dtls") != 0)
		goto err0;
	if ((loop = ev_default_loop(EVFLAG_AUTO)) == NULL) {
		log_err(NULL, "cannot initialise the event loop");
		goto err0;
	}
	if (dtls_init() != 0)
		goto err1;
	if (o.config != NULL) {
		rc = run_config(loop, o.config, o.test_config,
		    o.log_level_set ? o.log_level : -1);
	} else if (!o.client) {
		if (o.insecure)
			log_warn(NULL,
			    "--insecure: peers are not verified; "
			    "anyone can impersonate them");
		rc = run_echo_server(loop, &o) == 0 ? 0 : 1;
	} else {
		struct client_opts co;
		struct svc_conf sc;

		echo_conf(&o, &sc);
		svc_conf_tls(&sc, &t);
		t.psk = o.psk;
		if (o.insecure)
			log_warn(NULL,
			    "--insecure: the server's certificate "
			    "is not verified; anyone can "
			    "impersonate it");
		if ((ctx = tls_ctx_new(&t, 0, "client")) == NULL) {
			rc = 1;
			goto err2;
		}
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
		co.dp.app.stream = (uint16_t)o.stream;
		co.dp.app.ppid = (uint32_t)o.ppid;
		rc = client_run(loop, ctx, &co);
		SSL_CTX_free(ctx);
	}
err2:
	dtls_fini();
err1:
	ev_loop_destroy(loop);
err0:
	log_close();
	psk_free(o.psk);
	return rc;
}
