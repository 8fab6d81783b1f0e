/* sctp.c: kernel SCTP sockets, SCTP-AUTH keys and notifications. */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/sctp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "sctp.h"

/* The send buffer asked for once an association is up (sctp_sock_up). */
#define SNDBUF_WANT (4 << 20)
/* Chunk types RFC 6083 4.5 requires to be authenticated. */
#define CHUNK_DATA 0x00
#define CHUNK_FWD_TSN 0xc0

static int
setopt(int fd, int opt, const void *val, socklen_t len)
{
	return setsockopt(fd, IPPROTO_SCTP, opt, val, len);
}

static int
subscribe(int fd, uint16_t type, int on)
{
	struct sctp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.se_assoc_id = SCTP_FUTURE_ASSOC;
	ev.se_type = type;
	ev.se_on = on ? 1 : 0;
	return setopt(fd, SCTP_EVENT, &ev, sizeof(ev));
}

/* Options that apply to the association; inherited or not on accept. */
static int
assoc_opts(int fd, const struct sctp_sockopts *o, const char *who)
{
	int one = 1;
	int nodelay = o->nodelay ? 1 : 0;

	if (setopt(fd, SCTP_NODELAY, &nodelay, sizeof(nodelay)) != 0) {
		log_err(who, "SCTP_NODELAY: %s", strerror(errno));
		goto err0;
	}
	if (setopt(fd, SCTP_RECVRCVINFO, &one, sizeof(one)) != 0) {
		log_err(who, "SCTP_RECVRCVINFO: %s", strerror(errno));
		goto err0;
	}
	/*
	 * DTLS/SCTP: whether more is queued, so that no read has to find out.
	 * (Looking takes a pending socket error, ECONNRESET after an ABORT,
	 * when nothing is queued: rbio.c tells an ABORT from a SHUTDOWN by
	 * SCTP_SHUTDOWN_EVENT instead. Plaintext ends need SO_ERROR.)
	 */
	if (o->dtls && setopt(fd, SCTP_RECVNXTINFO, &one, sizeof(one)) != 0) {
		log_err(who, "SCTP_RECVNXTINFO: %s", strerror(errno));
		goto err0;
	}
	/*
	 * DTLS/SCTP: the engine's events; plaintext: association changes,
	 * the only sign that a SHUTDOWN we started has completed.
	 */
	if (o->dtls ? subscribe(fd, SCTP_AUTHENTICATION_EVENT, 1) != 0 ||
	            subscribe(fd, SCTP_SHUTDOWN_EVENT, 1) != 0
	            : subscribe(fd, SCTP_ASSOC_CHANGE, 1) != 0) {
		log_err(who, "SCTP_EVENT: %s", strerror(errno));
		goto err0;
	}
	/* Path management: path changes, and restarts for DTLS/SCTP too. */
	if (o->tune != NULL &&
	    (subscribe(fd, SCTP_PEER_ADDR_CHANGE, 1) != 0 ||
	        (o->dtls && subscribe(fd, SCTP_ASSOC_CHANGE, 1) != 0))) {
		log_err(who, "SCTP_EVENT: %s", strerror(errno));
		goto err0;
	}
	return 0;

err0:
	return -1;
}

/*
 * The HMACs the peer may authenticate its chunks with, most preferred
 * first (SCTP_HMAC_IDENT): SHA-256, then SHA-1, which RFC 4895 requires in
 * every list (Linux refuses a list without it) and which a peer thus uses
 * only when it has nothing better; or SHA-1 alone. A kernel without
 * SHA-256 keeps its default, SHA-1.
 */
static int
auth_hmacs(int fd, const struct sctp_sockopts *o, const char *who)
{
	union {
		struct sctp_hmacalgo h;
		uint8_t
		    buf[sizeof(struct sctp_hmacalgo) + 2 * sizeof(uint16_t)];
	} u;
	socklen_t len;

	memset(&u, 0, sizeof(u));
	if (o->hmac_sha1) {
		u.h.shmac_idents[0] = SCTP_AUTH_HMAC_ID_SHA1;
		u.h.shmac_num_idents = 1;
	} else {
		u.h.shmac_idents[0] = SCTP_AUTH_HMAC_ID_SHA256;
		u.h.shmac_idents[1] = SCTP_AUTH_HMAC_ID_SHA1;
		u.h.shmac_num_idents = 2;
	}
	len = (socklen_t)(sizeof(u.h) +
	    u.h.shmac_num_idents * sizeof(u.h.shmac_idents[0]));
	if (setopt(fd, SCTP_HMAC_IDENT, &u, len) == 0) {
		log_debug(who, "SCTP-AUTH HMACs: %s",
		    o->hmac_sha1 ? "SHA-1" : "SHA-256, then SHA-1");
	} else if (!o->hmac_sha1 && errno == EOPNOTSUPP) {
		log_warn(who,
		    "this kernel has no HMAC-SHA-256 for SCTP-AUTH: "
		    "SHA-1 only");
	} else {
		log_err(who, "SCTP_HMAC_IDENT: %s", strerror(errno));
		goto err0;
	}
	return 0;

err0:
	return -1;
}

/* Turn SCTP-AUTH on for this socket and list the chunks it covers. */
static int
auth_enable(int fd, const struct sctp_sockopts *o, const char *who)
{
	struct sctp_assoc_value av;
	struct sctp_authchunk ac;
	int per_socket;

	memset(&av, 0, sizeof(av));
	av.assoc_id = SCTP_FUTURE_ASSOC;
	av.assoc_value = 1;
	per_socket = setopt(fd, SCTP_AUTH_SUPPORTED, &av, sizeof(av)) == 0;

	ac.sauth_chunk = CHUNK_DATA;
	if (setopt(fd, SCTP_AUTH_CHUNK, &ac, sizeof(ac)) != 0)
		goto fail;
	ac.sauth_chunk = CHUNK_FWD_TSN;
	if (setopt(fd, SCTP_AUTH_CHUNK, &ac, sizeof(ac)) != 0)
		goto fail;
	return auth_hmacs(fd, o, who);

fail:
	if (errno == EACCES && !per_socket)
		log_err(who,
		    "SCTP-AUTH is not available: this kernel has "
		    "neither per-socket SCTP_AUTH_SUPPORTED (Linux "
		    ">= 5.4) nor net.sctp.auth_enable=1; upgrade the "
		    "kernel or set that sysctl");
	else
		log_err(who, "SCTP_AUTH_CHUNK: %s", strerror(errno));
	return -1;
}

/* ASCONF (RFC 5061) off: no peer adds, deletes or moves addresses. */
static void
asconf_off(int fd, const char *who)
{
	struct sctp_assoc_value av;
	int zero = 0;

	memset(&av, 0, sizeof(av));
	av.assoc_id = SCTP_FUTURE_ASSOC;
	if (setopt(fd, SCTP_ASCONF_SUPPORTED, &av, sizeof(av)) != 0)
		log_debug(who,
		    "SCTP_ASCONF_SUPPORTED: %s (ASCONF stays off "
		    "unless net.sctp.addip_enable = 1)",
		    strerror(errno));
	(void)setopt(fd, SCTP_AUTO_ASCONF, &zero, sizeof(zero));
}

/* RTO.Initial, RTO.Min, RTO.Max, merged with the kernel's values. */
static int
tune_rto(int fd, const struct sctp_tuning *t, const char *who)
{
	struct sctp_rtoinfo r;
	socklen_t len = sizeof(r);

	if (t->rto_initial == 0 && t->rto_min == 0 && t->rto_max == 0)
		return 0;
	memset(&r, 0, sizeof(r));
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_RTOINFO, &r, &len) != 0)
		goto fail;
	if (t->rto_initial > 0)
		r.srto_initial = (uint32_t)t->rto_initial;
	if (t->rto_min > 0)
		r.srto_min = (uint32_t)t->rto_min;
	if (t->rto_max > 0)
		r.srto_max = (uint32_t)t->rto_max;
	if (r.srto_min > r.srto_max) {
		log_err(who,
		    "rto_min (%u ms) exceeds rto_max (%u ms); the one not "
		    "set is the kernel's",
		    r.srto_min, r.srto_max);
		return -1;
	}
	if (setopt(fd, SCTP_RTOINFO, &r, sizeof(r)) == 0)
		return 0;
fail:
	log_err(who, "SCTP_RTOINFO (rto_initial, rto_min, rto_max): %s",
	    strerror(errno));
	return -1;
}

/* Heartbeats and Path.Max.Retrans of every path; SACK delay. */
static int
tune_paths(int fd, const struct sctp_tuning *t, const char *who)
{
	struct sctp_paddrparams p;
	struct sctp_sack_info s;

	memset(&p, 0, sizeof(p));
	p.spp_hbinterval = (uint32_t)t->heartbeat_interval;
	p.spp_pathmaxrxt = (uint16_t)t->path_max_retransmits;
	if (!t->heartbeat)
		p.spp_flags = SPP_HB_DISABLE;
	else if (t->heartbeat_interval > 0)
		p.spp_flags = SPP_HB_ENABLE;
	if ((p.spp_flags != 0 || p.spp_pathmaxrxt != 0) &&
	    setopt(fd, SCTP_PEER_ADDR_PARAMS, &p, sizeof(p)) != 0) {
		log_err(who,
		    "SCTP_PEER_ADDR_PARAMS (heartbeat, heartbeat_interval, "
		    "path_max_retransmits): %s",
		    strerror(errno));
		return -1;
	}
	memset(&s, 0, sizeof(s));
	s.sack_delay = (uint32_t)t->sack_delay;
	s.sack_freq = (uint32_t)t->sack_frequency;
	if ((s.sack_delay != 0 || s.sack_freq != 0) &&
	    setopt(fd, SCTP_DELAYED_SACK, &s, sizeof(s)) != 0) {
		log_err(who,
		    "SCTP_DELAYED_SACK (sack_delay, sack_frequency): %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Association.Max.Retrans and the socket buffers. */
static int
tune_assoc(int fd, const struct sctp_tuning *t, const char *who)
{
	struct sctp_assocparams a;

	memset(&a, 0, sizeof(a));
	a.sasoc_asocmaxrxt = (uint16_t)t->assoc_max_retransmits;
	if (a.sasoc_asocmaxrxt != 0 &&
	    setopt(fd, SCTP_ASSOCINFO, &a, sizeof(a)) != 0) {
		log_err(who, "SCTP_ASSOCINFO (association_max_retransmits): %s",
		    strerror(errno));
		return -1;
	}
	if (t->sndbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &t->sndbuf,
	        sizeof(t->sndbuf)) != 0) {
		log_err(who, "SO_SNDBUF (sndbuf): %s", strerror(errno));
		return -1;
	}
	if (t->rcvbuf > 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &t->rcvbuf,
	        sizeof(t->rcvbuf)) != 0) {
		log_err(who, "SO_RCVBUF (rcvbuf): %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Before it connects or listens: the service's tuning of ${fd}. */
static int
tune(int fd, const struct sctp_sockopts *o, const char *who)
{
	asconf_off(fd, who);
	if (o->tune == NULL)
		return 0;
	if (tune_rto(fd, o->tune, who) != 0 ||
	    tune_paths(fd, o->tune, who) != 0 ||
	    tune_assoc(fd, o->tune, who) != 0)
		return -1;
	return 0;
}

/**
 * sctp_ostreams_for(stream): the outbound streams to ask for so that
 * application data can go on ${stream}: at least SCTP_OSTREAMS_MIN.
 */
uint16_t
sctp_ostreams_for(uint16_t stream)
{
	return stream + 1 > SCTP_OSTREAMS_MIN ? (uint16_t)(stream + 1)
	                                      : SCTP_OSTREAMS_MIN;
}

/**
 * sctp_streams(fd, in, out): the inbound and outbound streams the
 * association on ${fd} negotiated (SCTP_STATUS). 0, or -1 with errno.
 */
int
sctp_streams(int fd, unsigned *in, unsigned *out)
{
	struct sctp_status st;
	socklen_t len = sizeof(st);

	memset(&st, 0, sizeof(st));
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len) != 0)
		return -1;
	*in = st.sstat_instrms;
	*out = st.sstat_outstrms;
	return 0;
}

/**
 * sctp_sock_new(family, o, who): a non-blocking one-to-one SCTP socket with
 * the options ${o}; for DTLS/SCTP (o->dtls), SCTP-AUTH of DATA and
 * FORWARD-TSN enabled on that socket alone and the events the engine
 * needs; with o->tune, the service's tuning (SCTP_RTOINFO, SCTP_INITMSG,
 * SCTP_ASSOCINFO, SCTP_PEER_ADDR_PARAMS, SCTP_DELAYED_SACK, SO_SNDBUF,
 * SO_RCVBUF) and path and restart events. ASCONF (RFC 5061) is off on
 * every socket. ${who} prefixes errors. Returns the fd or -1 (logged).
 */
int
sctp_sock_new(int family, const struct sctp_sockopts *o, const char *who)
{
	struct sctp_initmsg im;
	int fd;

	fd = socket(
	    family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_SCTP);
	if (fd == -1) {
		if (errno == EPROTONOSUPPORT || errno == ESOCKTNOSUPPORT)
			log_err(who,
			    "this kernel has no SCTP support: load "
			    "the sctp module (modprobe sctp)");
		else
			log_err(who, "socket: %s", strerror(errno));
		goto err0;
	}
	if (o->dtls && auth_enable(fd, o, who) != 0)
		goto err1;
	memset(&im, 0, sizeof(im));
	im.sinit_num_ostreams =
	    o->ostreams > 0 ? o->ostreams : SCTP_OSTREAMS_MIN;
	im.sinit_max_instreams =
	    o->instreams > 0 ? o->instreams : SCTP_INSTREAMS;
	if (o->tune != NULL) {
		im.sinit_max_attempts = (uint16_t)o->tune->max_init_retransmits;
		im.sinit_max_init_timeo = (uint16_t)o->tune->init_timeout;
	}
	if (setopt(fd, SCTP_INITMSG, &im, sizeof(im)) != 0) {
		log_err(who, "SCTP_INITMSG: %s", strerror(errno));
		goto err1;
	}
	if (assoc_opts(fd, o, who) != 0 || tune(fd, o, who) != 0)
		goto err1;
	return fd;

err1:
	close(fd);
err0:
	return -1;
}

/**
 * sctp_sock_up(fd, t, who): the association on ${fd} is up (accepted or
 * connected). Its receive window was fixed from the receive buffer when it
 * was set up: half the buffer. Each 16 KiB message costs the kernel about
 * twice its size in buffer memory, so a reader that falls a little behind
 * makes the kernel drop packets that the window allowed, and each drop
 * costs a retransmission timeout (at least rto_min, 1 s). Doubling the
 * buffer now, which leaves the window as it was, gives room for that
 * overhead. Unless the service's tuning ${t} (may be NULL) sets sndbuf,
 * the send buffer grows too: SCTP's default (net.sctp.sctp_wmem, 16 KiB)
 * holds one full-size record, which then waits for its SACK before the
 * next may go; it is raised as far as net.core.wmem_max allows. Options set on a listener are inherited by what it accepts.
 * 0 or -1 (logged).
 */
int
sctp_sock_up(int fd, const struct sctp_tuning *t, const char *who)
{
	int size;
	socklen_t len = sizeof(size);

	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &len) != 0 ||
	    (size *= 2,
	        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size))) !=
	        0) {
		log_err(who, "SO_RCVBUF: %s", strerror(errno));
		return -1;
	}
	size = SNDBUF_WANT; /* the kernel caps it at wmem_max */
	if ((t == NULL || t->sndbuf == 0) &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) != 0) {
		log_err(who, "SO_SNDBUF: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/**
 * sctp_peer_auth_check(fd, who): 0 if the peer of ${fd} authenticates DATA
 * and FORWARD-TSN chunks (RFC 6083 4.5), else -1 with the reason logged.
 */
int
sctp_peer_auth_check(int fd, const char *who)
{
	union {
		struct sctp_authchunks ac;
		uint8_t buf[sizeof(struct sctp_authchunks) + 256];
	} u;
	socklen_t len = sizeof(u);
	int data = 0, fwd = 0;
	uint32_t i;

	memset(&u, 0, sizeof(u));
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_PEER_AUTH_CHUNKS, &u, &len) !=
	    0) {
		log_err(who,
		    "peer does not support SCTP-AUTH (RFC 6083 "
		    "requires it): %s",
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < u.ac.gauth_number_of_chunks &&
	     i < sizeof(u.buf) - sizeof(u.ac);
	     i++) {
		if (u.ac.gauth_chunks[i] == CHUNK_DATA)
			data = 1;
		if (u.ac.gauth_chunks[i] == CHUNK_FWD_TSN)
			fwd = 1;
	}
	if (!data || !fwd) {
		log_err(who,
		    "peer does not authenticate %s chunks with "
		    "SCTP-AUTH (RFC 6083 4.5 requires DATA and "
		    "FORWARD-TSN)",
		    !data ? "DATA" : "FORWARD-TSN");
		return -1;
	}
	return 0;
}

/**
 * sctp_key_set(fd, id, key, len): install the SCTP-AUTH shared key ${id}.
 */
int
sctp_key_set(int fd, uint16_t id, const uint8_t *key, size_t len)
{
	struct sctp_authkey *ak;
	size_t sz = sizeof(*ak) + len;
	int rc;

	if ((ak = calloc(1, sz)) == NULL)
		return -1;
	ak->sca_assoc_id = 0;
	ak->sca_keynumber = id;
	ak->sca_keylength = (uint16_t)len;
	memcpy(ak->sca_key, key, len);
	rc = setopt(fd, SCTP_AUTH_KEY, ak, (socklen_t)sz);
	explicit_bzero(ak->sca_key, len);
	free(ak);
	return rc == 0 ? 0 : -1;
}

/** sctp_key_activate(fd, id): send with key ${id} from now on. 0 or -1. */
int
sctp_key_activate(int fd, uint16_t id)
{
	struct sctp_authkeyid k;

	memset(&k, 0, sizeof(k));
	k.scact_keynumber = id;
	return setopt(fd, SCTP_AUTH_ACTIVE_KEY, &k, sizeof(k)) == 0 ? 0 : -1;
}

/**
 * sctp_key_retire(fd, id): deactivate key ${id} and delete it; the kernel
 * keeps it until no queued chunk uses it. 0 or -1.
 */
int
sctp_key_retire(int fd, uint16_t id)
{
	struct sctp_authkeyid k;

	memset(&k, 0, sizeof(k));
	k.scact_keynumber = id;
	/* Deactivation needs Linux >= 4.20; deleting alone is enough before. */
	(void)setopt(fd, SCTP_AUTH_DEACTIVATE_KEY, &k, sizeof(k));
	return setopt(fd, SCTP_AUTH_DELETE_KEY, &k, sizeof(k)) == 0 ? 0 : -1;
}

/**
 * sctp_assoc_gone(fd): non-zero if the one-to-one socket ${fd} has no
 * association any more (aborted, lost or shut down: SCTP_STATUS finds
 * none); errno is kept.
 */
int
sctp_assoc_gone(int fd)
{
	struct sctp_status st;
	socklen_t len = sizeof(st);
	int saved = errno, gone;

	memset(&st, 0, sizeof(st));
	gone = getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len) != 0 &&
	    errno == EINVAL;
	errno = saved;
	return gone;
}

/** sctp_key_active(fd): the key number the socket sends with, or -1. */
int
sctp_key_active(int fd)
{
	struct sctp_authkeyid k;
	socklen_t len = sizeof(k);

	memset(&k, 0, sizeof(k));
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_AUTH_ACTIVE_KEY, &k, &len) != 0)
		return -1;
	return k.scact_keynumber;
}

/**
 * sctp_dry_subscribe(fd, on): turn SCTP_SENDER_DRY_EVENT delivery on or
 * off. On turning it on the kernel reports at once if nothing is in flight.
 */
int
sctp_dry_subscribe(int fd, int on)
{
	return subscribe(fd, SCTP_SENDER_DRY_EVENT, on);
}

/**
 * sctp_msg_send(fd, buf, len, m, now): send ${buf} as one message on the
 * stream, with the payload protocol id and unordered flag of ${m}, asking
 * for an immediate SACK if ${now}. Returns ${len}, or -1 with errno
 * (EAGAIN...).
 */
ssize_t
sctp_msg_send(
    int fd, const void *buf, size_t len, const struct unit_meta *m, int now)
{
	struct sctp_sndinfo si;
	struct iovec iov;

	memset(&si, 0, sizeof(si));
	si.snd_sid = m->stream;
	si.snd_ppid = htonl(m->ppid);
	si.snd_flags = (uint16_t)((now ? SCTP_SACK_IMMEDIATELY : 0) |
	    (m->unordered ? SCTP_UNORDERED : 0));
	iov.iov_base = (void *)(uintptr_t)buf;
	iov.iov_len = len;
	return sctp_sendv(fd, &iov, 1, NULL, 0, &si, sizeof(si),
	    SCTP_SENDV_SNDINFO, MSG_NOSIGNAL);
}

/**
 * sctp_msg_recv(fd, buf, len, flags, m, next): receive (part of) one
 * message or notification into ${buf}; *${flags} gets MSG_EOR /
 * MSG_NOTIFICATION and *${m} the stream, PPID and unordered flag of a
 * message. *${next} (if not NULL) is 1 when the kernel reported another
 * message or notification queued behind it (SCTP_NXTINFO, on DTLS/SCTP
 * sockets), else 0: there, after a whole message with *${next} 0 the
 * socket was empty, and reading it again before it is readable would only
 * return EAGAIN. Returns the byte count, 0 at end of association, -1 with
 * errno.
 */
ssize_t
sctp_msg_recv(
    int fd, void *buf, size_t len, int *flags, struct unit_meta *m, int *next)
{
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(struct sctp_rcvinfo)) +
		    CMSG_SPACE(sizeof(struct sctp_nxtinfo))];
	} cm;
	const struct sctp_rcvinfo *ri = NULL;
	struct iovec iov = {buf, len};
	struct msghdr mh;
	struct cmsghdr *c;
	ssize_t n;

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.b;
	mh.msg_controllen = sizeof(cm.b);
	*flags = 0;
	if (next != NULL)
		*next = 0;
	if ((n = recvmsg(fd, &mh, 0)) < 0)
		return n;
	*flags = mh.msg_flags;
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != IPPROTO_SCTP)
			continue;
		if (c->cmsg_type == SCTP_RCVINFO)
			ri = (const struct sctp_rcvinfo *)(void *)CMSG_DATA(c);
		else if (c->cmsg_type == SCTP_NXTINFO && next != NULL)
			*next = 1;
	}
	if (n > 0 && m != NULL) {
		m->stream = ri != NULL ? ri->rcv_sid : 0;
		m->ppid = ri != NULL ? ntohl(ri->rcv_ppid) : 0;
		m->unordered =
		    ri != NULL && (ri->rcv_flags & SCTP_UNORDERED) != 0;
		m->set = 1;
	}
	return n;
}

/* The seed's description of a notification ${n}, into ${out}. */
static void
notif_text(const union sctp_notification *n, char *out, size_t outlen)
{
	switch (n->sn_header.sn_type) {
	case SCTP_ASSOC_CHANGE:
		snprintf(out, outlen,
		    "assoc_change: state=%hu, error=%hu, instr=%hu outstr=%hu",
		    n->sn_assoc_change.sac_state, n->sn_assoc_change.sac_error,
		    n->sn_assoc_change.sac_inbound_streams,
		    n->sn_assoc_change.sac_outbound_streams);
		break;
	case SCTP_PEER_ADDR_CHANGE:
		snprintf(out, outlen, "intf_change: state=%d, error=%d",
		    n->sn_paddr_change.spc_state, n->sn_paddr_change.spc_error);
		break;
	case SCTP_REMOTE_ERROR:
		snprintf(out, outlen, "remote_error: err=%hu len=%hu",
		    ntohs(n->sn_remote_error.sre_error),
		    ntohs(n->sn_remote_error.sre_length));
		break;
	case SCTP_SEND_FAILED_EVENT:
	case SCTP_SEND_FAILED:
		snprintf(out, outlen, "sendfailed: len=%u err=%d",
		    n->sn_send_failed.ssf_length, n->sn_send_failed.ssf_error);
		break;
	case SCTP_SHUTDOWN_EVENT:
		snprintf(out, outlen, "shutdown event");
		break;
	case SCTP_ADAPTATION_INDICATION:
		snprintf(out, outlen, "adaptation event");
		break;
	case SCTP_PARTIAL_DELIVERY_EVENT:
		snprintf(out, outlen, "partial delivery");
		break;
	case SCTP_AUTHENTICATION_EVENT:
		snprintf(out, outlen, "authentication event");
		break;
	case SCTP_SENDER_DRY_EVENT:
		snprintf(out, outlen, "sender dry event");
		break;
	case SCTP_STREAM_RESET_EVENT:
		snprintf(out, outlen, "stream reset event");
		break;
	case SCTP_ASSOC_RESET_EVENT:
		snprintf(out, outlen, "association reset event");
		break;
	default:
		snprintf(
		    out, outlen, "unknown type: %hu", n->sn_header.sn_type);
		break;
	}
}

/**
 * sctp_notif_parse(buf, len, n): decode the notification of ${len} bytes
 * at ${buf} into ${n}. Returns n->type.
 */
int
sctp_notif_parse(const void *buf, size_t len, struct sctp_notif *n)
{
	union sctp_notification copy;
	const union sctp_notification *sn = &copy;

	/* ${buf} may be anywhere (OpenSSL's buffer): read an aligned copy. */
	memset(&copy, 0, sizeof(copy));
	memcpy(&copy, buf, len < sizeof(copy) ? len : sizeof(copy));
	memset(n, 0, sizeof(*n));
	n->assoc_state = -1;
	if (len < sizeof(sn->sn_header) || len < sn->sn_header.sn_length) {
		snprintf(n->text, sizeof(n->text), "truncated notification");
		n->type = -1;
		return -1;
	}
	n->type = sn->sn_header.sn_type;
	n->addr_state = -1;
	notif_text(sn, n->text, sizeof(n->text));
	switch (n->type) {
	case SCTP_ASSOC_CHANGE:
		n->assoc_state = sn->sn_assoc_change.sac_state;
		/* sac_info holds the ABORT chunk that ended it, if one did. */
		n->peer_abort = n->assoc_state == SCTP_COMM_LOST &&
		    sn->sn_assoc_change.sac_length >
		        sizeof(struct sctp_assoc_change);
		break;
	case SCTP_PEER_ADDR_CHANGE:
		if (len < sizeof(sn->sn_paddr_change))
			break;
		n->addr_state = sn->sn_paddr_change.spc_state;
		n->addr_error = sn->sn_paddr_change.spc_error;
		memcpy(
		    &n->addr, &sn->sn_paddr_change.spc_aaddr, sizeof(n->addr));
		break;
	case SCTP_AUTHENTICATION_EVENT:
		n->no_auth = len >= sizeof(sn->sn_authkey_event) &&
		    sn->sn_authkey_event.auth_indication == SCTP_AUTH_NO_AUTH;
		break;
	case SCTP_PARTIAL_DELIVERY_EVENT:
		n->pd_aborted = len >= sizeof(sn->sn_pdapi_event) &&
		    sn->sn_pdapi_event.pdapi_indication ==
		        SCTP_PARTIAL_DELIVERY_ABORTED;
		break;
	default:
		break;
	}
	return n->type;
}

/**
 * sctp_notif_next(fd, n): if the next message queued on ${fd} is a
 * notification, take it into ${n} and return 1; else leave it there and
 * return 0 (nothing queued, or data first).
 */
int
sctp_notif_next(int fd, struct sctp_notif *n)
{
	union {
		union sctp_notification n;
		uint8_t b[512];
	} u;
	struct msghdr mh;
	struct iovec iov;
	ssize_t r;
	int flags;

	memset(&mh, 0, sizeof(mh));
	iov.iov_base = u.b;
	iov.iov_len = 1;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	r = recvmsg(fd, &mh, MSG_PEEK | MSG_DONTWAIT);
	if (r <= 0 || !(mh.msg_flags & MSG_NOTIFICATION))
		return 0;
	r = sctp_msg_recv(fd, u.b, sizeof(u.b), &flags, NULL, NULL);
	if (r <= 0 || !(flags & MSG_NOTIFICATION))
		return 0;
	/* Notifications are small and come whole. */
	sctp_notif_parse(u.b, (size_t)r, n);
	return 1;
}

/**
 * sctp_missing(fd): how many chunks the peer sent are missing below the
 * highest TSN received on ${fd} (SCTP_STATUS sstat_penddata): 0 when
 * everything sent so far has arrived. -1 with errno on failure.
 */
int
sctp_missing(int fd)
{
	struct sctp_status st;
	socklen_t len = sizeof(st);

	memset(&st, 0, sizeof(st));
	if (getsockopt(fd, IPPROTO_SCTP, SCTP_STATUS, &st, &len) != 0)
		return -1;
	return st.sstat_penddata;
}
