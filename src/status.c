/*
 * status.c: the status listener: libmicrohttpd in external epoll mode
 * (its one epoll descriptor watched by libev, MHD_run() when it is
 * readable or MHD's timeout ends), the four paths, and the numbers they
 * show, gathered from the shared counters and rendered by metrics.c.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "endpoint.h"
#include "log.h"
#include "metrics.h"
#include "net.h"
#include "status.h"

#define MAX_CLIENTS 64 /* HTTP connections at once */
#define MAX_PER_ADDR 16 /* ... from one client address (TCP) */
#define CLIENT_MEMORY 16384 /* bytes each (request line and headers) */
#define CLIENT_TIMEOUT 10 /* seconds a client may stay idle */
#define MAX_LISTED 8192 /* connections /status lists */
#define TICK_MS 1000 /* longest wait between two runs of MHD */

struct status {
	struct ev_loop *loop;
	struct MHD_Daemon *mhd;
	int lfd;
	char *unix_path; /* a unix socket to remove at the end */
	ev_io io;
	ev_timer timer; /* MHD's timeouts, at most TICK_MS */
	int watching; /* io and timer started, the loop unreferenced */
	struct shared *sh;
	int workers;
	struct connlist *cl; /* the connections, or NULL */
	const struct config *cfg;
	struct metrics_cert *certs;
	int ncerts;
	struct metrics_proc proc;
	char health[256];
	struct client {
		int fd; /* -1: a free slot */
		unsigned char ip[16]; /* its address (TCP), iplen bytes */
		int iplen;
	} clients[MAX_CLIENTS];
};

/* Bind and listen at "HOST:PORT" or "unix:/path". The socket, or -1. */
static int
bind_tcp(const char *where)
{
	char host[256], port[32];
	struct addrinfo *res = NULL, *ai;
	int fd = -1, on = 1;

	if (net_split_hostport(where, host, sizeof(host), port, sizeof(port)) !=
	        0 ||
	    net_resolve(strcmp(host, "*") == 0 ? NULL : host, port, SOCK_STREAM,
	        IPPROTO_TCP, 1, &res) != 0)
		goto err0;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family,
		    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd == -1)
			continue;
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, 64) == 0)
			break;
		close(fd);
		fd = -1;
	}
	if (fd == -1)
		log_err(NULL, "status %s: %s", where, strerror(errno));
	freeaddrinfo(res);
err0:
	return fd;
}

/* A unix socket at ${path}: a stale socket file is replaced, a live one
 * (another daemon) is not. The socket, or -1. */
static int
bind_unix(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, probe;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if ((probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) != -1) {
		if (connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(probe);
			log_err(NULL, "status unix:%s: in use", path);
			return -1;
		}
		close(probe);
	}
	(void)unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 64) != 0) {
		log_err(NULL, "status unix:%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

/* The notAfter of the first certificate in ${path}, Unix time, or -1. */
static long long
not_after(const char *path)
{
	struct tm tm;
	X509 *x = NULL;
	FILE *f;
	long long t = -1;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if ((x = PEM_read_X509(f, NULL, NULL, NULL)) != NULL &&
	    ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) == 1)
		t = (long long)timegm(&tm);
	X509_free(x);
	fclose(f);
	return t;
}

/* The services of ${st->cfg} with their counters, all workers. */
static struct metrics_svc *
gather(struct status *st, int *n, char (*text)[2][300])
{
	const struct svc_conf *sc;
	struct metrics_svc *s;
	struct shared_totals t;
	struct shared_svc *ss;
	int i = 0, m;

	*n = 0;
	if ((s = calloc((size_t)st->cfg->nsvcs + 1, sizeof(*s))) == NULL)
		return NULL;
	for (sc = st->cfg->svcs; sc != NULL && i < st->cfg->nsvcs;
	     sc = sc->next, i++) {
		s[i].name = sc->name;
		s[i].accept = endpoint_text(&sc->accept, text[i][0], 300);
		s[i].connect = endpoint_text(&sc->connect, text[i][1], 300);
		if ((ss = shared_svc(st->sh, sc->name)) == NULL)
			continue;
		shared_totals(ss, &t);
		s[i].open = t.conns;
		s[i].handshaking = t.handshakes;
		for (m = 0; m < M_COUNT; m++)
			s[i].v[m] = shared_get(ss, m);
		s[i].v[M_ACCEPTED] = t.accepted;
	}
	*n = i;
	return s;
}

/* The body of ${url}: its text in *${body}; the content type, or NULL. */
static const char *
render(struct status *st, const char *url, char **body, size_t *len)
{
	char(*text)[2][300] = NULL;
	struct metrics_conn *k = NULL;
	struct metrics_svc *s = NULL;
	const char *type = NULL;
	int ns = 0, nk = -1;
	FILE *f;

	if ((f = open_memstream(body, len)) == NULL)
		return NULL;
	st->proc.health = st->health;
	st->proc.now = ev_now(st->loop);
	if ((text = calloc((size_t)st->cfg->nsvcs + 1, sizeof(*text))) ==
	        NULL ||
	    (s = gather(st, &ns, text)) == NULL)
		goto out;
	if (strcmp(url, "/metrics") == 0) {
		if (metrics_prom(f, &st->proc, s, ns, st->certs, st->ncerts) ==
		    0)
			type = "text/plain; version=0.0.4; charset=utf-8";
		goto out;
	}
	if (st->cl != NULL) {
		if ((k = calloc(MAX_LISTED, sizeof(*k))) == NULL)
			goto out;
		nk = connlist_read(st->cl, k, MAX_LISTED);
	}
	if (metrics_json(f, &st->proc, s, ns, k, nk) == 0)
		type = "application/json";
out:
	free(k);
	free(s);
	free(text);
	if (fclose(f) != 0)
		type = NULL;
	return type;
}

/* Queue ${code} with ${body} (malloc'd, taken) of ${type}. */
static enum MHD_Result
reply(struct MHD_Connection *mc, unsigned code, char *body, size_t len,
    const char *type)
{
	struct MHD_Response *r;
	enum MHD_Result ok;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	(void)MHD_add_response_header(r, "Content-Type", type);
	(void)MHD_add_response_header(r, "Cache-Control", "no-store");
	if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
		(void)MHD_add_response_header(r, "Allow", "GET, HEAD");
	ok = MHD_queue_response(mc, code, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result
text_reply(struct MHD_Connection *mc, unsigned code, const char *line)
{
	char *b = NULL;

	if (asprintf(&b, "%s\n", line) < 0)
		return MHD_NO;
	return reply(mc, code, b, strlen(b), "text/plain; charset=utf-8");
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *mc, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **req)
{
	struct status *st = cls;
	const char *type;
	char *body = NULL;
	size_t len = 0;

	(void)version;
	(void)upload;
	if (*req == NULL) { /* headers only so far */
		*req = st;
		return MHD_YES;
	}
	if (*upload_size != 0) { /* a body: not wanted, not kept */
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return text_reply(
		    mc, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD");
	if (strcmp(url, "/livez") == 0)
		return text_reply(mc, MHD_HTTP_OK, "ok");
	if (strcmp(url, "/healthz") == 0)
		return text_reply(mc,
		    strcmp(st->health, "ok") == 0
		        ? MHD_HTTP_OK
		        : MHD_HTTP_SERVICE_UNAVAILABLE,
		    st->health);
	if (strcmp(url, "/metrics") != 0 && strcmp(url, "/status") != 0)
		return text_reply(mc, MHD_HTTP_NOT_FOUND,
		    "not found: try /healthz, /livez, /metrics, /status");
	if ((type = render(st, url, &body, &len)) == NULL) {
		free(body);
		return text_reply(
		    mc, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	}
	return reply(mc, MHD_HTTP_OK, body, len, type);
}

/* The IP address bytes of ${sa} into ${ip}: how many (0: not TCP/IP). */
static int
ip_key(const struct sockaddr *sa, unsigned char *ip)
{
	if (sa != NULL && sa->sa_family == AF_INET) {
		memcpy(ip,
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
		    4);
		return 4;
	}
	if (sa != NULL && sa->sa_family == AF_INET6) {
		memcpy(ip,
		    &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		    16);
		return 16;
	}
	return 0;
}

/* MHD's accept policy: at most MAX_PER_ADDR clients from one address. */
static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	struct status *st = cls;
	unsigned char ip[16];
	int i, n = 0, len = ip_key(addr, ip);

	(void)addrlen;
	for (i = 0; len > 0 && i < MAX_CLIENTS; i++)
		if (st->clients[i].fd != -1 && st->clients[i].iplen == len &&
		    memcmp(st->clients[i].ip, ip, (size_t)len) == 0)
			n++;
	if (n < MAX_PER_ADDR)
		return MHD_YES;
	log_debug(
	    "status", "a client refused: %d connections from its address", n);
	return MHD_NO;
}

/* Keep the clients' sockets (status_forget() closes them in a child) and
 * addresses (on_accept()). */
static void
on_client(void *cls, struct MHD_Connection *mc, void **sock,
    enum MHD_ConnectionNotificationCode code)
{
	struct status *st = cls;
	const union MHD_ConnectionInfo *ci, *ca;
	int i, fd;

	(void)sock;
	ci = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci == NULL)
		return;
	fd = ci->connect_fd;
	for (i = 0; i < MAX_CLIENTS; i++) {
		if (code == MHD_CONNECTION_NOTIFY_STARTED &&
		    st->clients[i].fd == -1) {
			st->clients[i].fd = fd;
			ca = MHD_get_connection_info(
			    mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
			st->clients[i].iplen =
			    ip_key(ca != NULL ? ca->client_addr : NULL,
			        st->clients[i].ip);
			return;
		}
		if (code == MHD_CONNECTION_NOTIFY_CLOSED &&
		    st->clients[i].fd == fd) {
			st->clients[i].fd = -1;
			return;
		}
	}
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_debug("status", "%s", line);
}

/* Let MHD work, then wait for its descriptor or its next timeout. */
static void
drive(struct status *st)
{
	MHD_UNSIGNED_LONG_LONG ms;

	(void)MHD_run(st->mhd);
	ev_timer_stop(st->loop, &st->timer);
	/* At most a second: MHD takes up its listening socket again (after
	 * MAX_CLIENTS) only when it runs, maybe with nothing else to wake it. */
	if (MHD_get_timeout(st->mhd, &ms) != MHD_YES || ms > TICK_MS)
		ms = TICK_MS;
	ev_timer_set(&st->timer, (double)ms / 1000.0, 0);
	ev_timer_start(st->loop, &st->timer);
}

static void
on_io(struct ev_loop *loop, ev_io *w, int revents)
{
	(void)loop;
	(void)revents;
	drive(w->data);
}

static void
on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	drive(w->data);
}

/* Start MHD on ${st->lfd}, in external epoll mode. 0, or -1 (logged). */
static int
start_mhd(struct status *st)
{
	const union MHD_DaemonInfo *di;

	st->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0,
	    on_accept, st, on_request, st, MHD_OPTION_EXTERNAL_LOGGER,
	    on_mhd_log, st, MHD_OPTION_LISTEN_SOCKET, st->lfd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CLIENTS,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CLIENT_MEMORY,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CLIENT_TIMEOUT,
	    MHD_OPTION_NOTIFY_CONNECTION, on_client, st, MHD_OPTION_END);
	if (st->mhd == NULL) {
		log_err(NULL, "status: libmicrohttpd did not start");
		return -1;
	}
	di = MHD_get_daemon_info(st->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (di == NULL) {
		log_err(NULL, "status: libmicrohttpd has no epoll descriptor");
		return -1;
	}
	ev_io_init(&st->io, on_io, di->epoll_fd, EV_READ);
	st->io.data = st;
	ev_io_start(st->loop, &st->io);
	ev_timer_init(&st->timer, on_timer, 0, 0);
	st->timer.data = st;
	ev_timer_start(st->loop, &st->timer);
	/* The listener alone keeps no loop alive. */
	ev_unref(st->loop);
	ev_unref(st->loop);
	st->watching = 1;
	return 0;
}

/* Stop the watchers of start_mhd(), giving the loop its references back. */
static void
unwatch(struct status *st)
{
	if (!st->watching)
		return;
	ev_ref(st->loop);
	ev_ref(st->loop);
	ev_io_stop(st->loop, &st->io);
	ev_timer_stop(st->loop, &st->timer);
	st->watching = 0;
}

/**
 * status_new(loop, where, sh, cl, workers): listen at ${where}
 * ("HOST:PORT", "[v6]:PORT", "*:PORT" or "unix:/path"), showing the
 * counters of ${sh} and the connections of ${cl} (may be NULL) for
 * ${workers} processes. Health starts as "starting". NULL on failure
 * (logged).
 */
struct status *
status_new(struct ev_loop *loop, const char *where, struct shared *sh,
    struct connlist *cl, int workers)
{
	struct status *st;
	int i;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		log_err(NULL, "status: out of memory");
		return NULL;
	}
	st->loop = loop;
	st->sh = sh;
	st->workers = workers;
	st->cl = cl;
	for (i = 0; i < MAX_CLIENTS; i++)
		st->clients[i].fd = -1;
	snprintf(st->health, sizeof(st->health), "starting");
	st->proc.version = VERSION;
	st->proc.workers = workers;
	st->proc.start_time = ev_time();
	if (strncmp(where, "unix:", 5) == 0) {
		st->lfd = bind_unix(where + 5);
		if (st->lfd != -1 &&
		    (st->unix_path = strdup(where + 5)) == NULL)
			log_err(NULL, "status: out of memory");
	} else {
		st->lfd = bind_tcp(where);
	}
	if (st->lfd == -1 || start_mhd(st) != 0) {
		status_free(st);
		return NULL;
	}
	log_info(NULL, "status listener on %s", where);
	return st;
}

/**
 * status_config(st, cfg): show the services of ${cfg} (which must outlive
 * its use: call again after a reload) and the notAfter of their
 * certificates, read now.
 */
void
status_config(struct status *st, const struct config *cfg)
{
	const struct svc_conf *sc;
	int n = 0;

	if (st == NULL)
		return;
	st->cfg = cfg;
	free(st->certs);
	st->ncerts = 0;
	st->certs = calloc((size_t)cfg->nsvcs + 1, sizeof(*st->certs));
	if (st->certs == NULL)
		return;
	for (sc = cfg->svcs; sc != NULL && n < cfg->nsvcs; sc = sc->next) {
		if (sc->cert == NULL)
			continue;
		st->certs[n].svc = sc->name;
		st->certs[n].path = sc->cert;
		st->certs[n].not_after = not_after(sc->cert);
		n++;
	}
	st->ncerts = n;
}

/**
 * status_health(st, why): /healthz answers 200 if ${why} is NULL, else
 * 503 with the one line ${why} (copied).
 */
void
status_health(struct status *st, const char *why)
{
	if (st != NULL)
		snprintf(st->health, sizeof(st->health), "%s",
		    why == NULL ? "ok" : why);
}

/**
 * status_reloaded(st, ok, files): count a reload that succeeded if ${ok};
 * ${files}: it was started by a change of certificate files.
 */
void
status_reloaded(struct status *st, int ok, int files)
{
	if (st == NULL)
		return;
	if (ok)
		st->proc.reloads_ok++;
	else
		st->proc.reloads_failed++;
	if (files && ok)
		st->proc.rotations_ok++;
	else if (files)
		st->proc.rotations_failed++;
	st->proc.last_reload = ev_time();
}

/**
 * status_forget(st): in a process forked from the owner: close the
 * listening socket, MHD's epoll descriptor and the clients' sockets,
 * touching nothing the owner still uses.
 */
void
status_forget(struct status *st)
{
	int i;

	if (st == NULL)
		return;
	unwatch(st);
	close(st->io.fd);
	close(st->lfd);
	for (i = 0; i < MAX_CLIENTS; i++)
		if (st->clients[i].fd != -1)
			close(st->clients[i].fd);
	free(st->unix_path); /* not the owner's to remove */
	st->unix_path = NULL;
}

/** status_free(st): stop listening (a unix socket is removed); NULL: no-op. */
void
status_free(struct status *st)
{
	if (st == NULL)
		return;
	if (st->mhd != NULL) {
		unwatch(st);
		MHD_stop_daemon(st->mhd); /* closes st->lfd */
	} else if (st->lfd != -1) {
		close(st->lfd);
	}
	if (st->unix_path != NULL)
		(void)unlink(st->unix_path);
	free(st->unix_path);
	free(st->certs);
	free(st);
}
