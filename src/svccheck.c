/*
 * svccheck.c: a service's keys checked against each other (svccheck.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "keys.h"
#include "path.h"
#include "psk.h"
#include "svccheck.h"

/* What a check needs: where the keys are, where problems go. */
struct chk {
	const struct svc_conf *s;
	const int *given;
	tls_report_fn *report;
	void *arg;
};

static void say(const struct chk *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Report a problem with ${key} (NULL: the section). */
static void
say(const struct chk *c, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->report(c->arg, key, NULL, msg);
}

/* Non-zero if the key ${name} was given. */
static int
has(const struct chk *c, const char *name)
{
	const struct key *k = key_find(name);

	return k != NULL && c->given[key_index(k)] != 0;
}

/* Which sides the service has and whether they go together. */
static void
check_sides(const struct chk *c)
{
	const struct svc_conf *s = c->s;
	enum ep_kind a = s->accept.kind, k = s->connect.kind;

	if (a == EP_NONE || k == EP_NONE) {
		/* Missing (else the bad value was reported). */
	} else if (a == EP_DTLS_SCTP && k == EP_DTLS_SCTP) {
		say(c, "connect",
		    "[%s]: dtls+sctp:// on both sides is not supported",
		    s->name);
	} else if (k == EP_ECHO && a != EP_DTLS_SCTP) {
		say(c, "connect",
		    "[%s]: 'connect = echo' needs a dtls+sctp:// accept",
		    s->name);
	} else if ((a == EP_TCP && k == EP_UDP) ||
	    (a == EP_UDP && k == EP_TCP)) {
		say(c, "connect",
		    "[%s]: tcp:// on one side and udp:// on the other is "
		    "impossible: one side must be dtls+sctp://",
		    s->name);
	} else if (a != EP_DTLS_SCTP && k != EP_DTLS_SCTP) {
		say(c, "connect",
		    "[%s]: both sides are plaintext: one side must be "
		    "dtls+sctp://",
		    s->name);
	}
}

/* Keys that would mean nothing with the service's sides: refused. */
static void
check_side_keys(const struct chk *c)
{
	const struct svc_conf *s = c->s;
	enum ep_kind a = s->accept.kind, k = s->connect.kind;
	int sctp = a == EP_SCTP || k == EP_SCTP;
	int bytes = a == EP_TCP || a == EP_UDP || k == EP_TCP || k == EP_UDP;

	if (has(c, "ppid_map") && !sctp)
		say(c, "ppid_map",
		    "[%s]: 'ppid_map' is for a service with an sctp:// side "
		    "(tcp:// and udp:// data go with 'ppid')",
		    s->name);
	if (has(c, "streams") && bytes)
		say(c, "streams",
		    "[%s]: 'streams' is for a service with an sctp:// side "
		    "(tcp:// and udp:// data go on 'stream')",
		    s->name);
	if (has(c, "stream") && sctp)
		say(c, "stream",
		    "[%s]: 'stream' is for tcp:// and udp:// services: an "
		    "sctp:// side keeps each message's own stream",
		    s->name);
	if (has(c, "ppid") && sctp)
		say(c, "ppid",
		    "[%s]: 'ppid' is for tcp:// and udp:// services: an "
		    "sctp:// side keeps each message's own PPID (translate it "
		    "with 'ppid_map')",
		    s->name);
}

/* An address listed twice in ${ep} (the key ${key}): refused. */
static void
check_dup(const struct chk *c, const char *key, const struct endpoint *ep)
{
	int i = endpoint_dup_host(ep);

	if (i > 0)
		say(c, key,
		    "[%s]: '%s' lists the address %s twice (each address of "
		    "a multi-homed endpoint once)",
		    c->s->name, key, endpoint_host_at(ep, i));
}

/* The SCTP keys that depend on each other or on the sides. */
static void
check_sctp(const struct chk *c)
{
	const struct svc_conf *s = c->s;
	const struct sctp_tuning *k = &s->sctp;
	int ck = s->connect.kind;
	char why[EP_HOSTS * 300];

	check_dup(c, "accept", &s->accept);
	check_dup(c, "connect", &s->connect);
	check_dup(c, "local", &s->local);
	if (ck != EP_NONE &&
	    path_primary_check(k, &s->connect, why, sizeof(why)))
		say(c, "primary", "[%s]: %s", s->name, why);
	if (has(c, "local") && ck != EP_SCTP && ck != EP_DTLS_SCTP)
		say(c, "local",
		    "[%s]: 'local' is for an sctp:// or dtls+sctp:// connect",
		    s->name);
	if (k->rto_min > 0 && k->rto_max > 0 && k->rto_min > k->rto_max)
		say(c, "rto_min",
		    "[%s]: rto_min (%d ms) exceeds rto_max (%d ms)", s->name,
		    k->rto_min, k->rto_max);
	if (k->rto_initial > 0 &&
	    ((k->rto_min > 0 && k->rto_initial < k->rto_min) ||
	        (k->rto_max > 0 && k->rto_initial > k->rto_max)))
		say(c, "rto_initial",
		    "[%s]: rto_initial (%d ms) is outside rto_min..rto_max",
		    s->name, k->rto_initial);
	if (!k->heartbeat && has(c, "heartbeat_interval"))
		say(c, "heartbeat_interval",
		    "[%s]: 'heartbeat_interval' with 'heartbeat = no'",
		    s->name);
}

/* Which pre-shared key identity a side needs, and has. */
static void
check_psk(const struct chk *c)
{
	const struct svc_conf *s = c->s;
	int client = s->connect.kind == EP_DTLS_SCTP;

	if (s->psk_identity != NULL) {
		if (!client)
			say(c, "psk_identity",
			    "[%s]: 'psk_identity' is for a dtls+sctp:// "
			    "connect: a server takes the identity its client "
			    "sends",
			    s->name);
		else if (s->psk_secrets == NULL)
			say(c, "psk_identity",
			    "[%s]: 'psk_identity' needs 'psk_secrets'",
			    s->name);
		else if (s->psk != NULL &&
		    psk_find(s->psk, s->psk_identity) == NULL)
			say(c, "psk_identity",
			    "[%s]: psk_identity '%s' is not in '%s'", s->name,
			    s->psk_identity, s->psk_secrets);
	} else if (client && s->psk_secrets != NULL) {
		say(c, "psk_secrets",
		    "[%s]: a dtls+sctp:// connect with 'psk_secrets' needs "
		    "'psk_identity'",
		    s->name);
	}
}

/* Certificate and key in pairs; something to verify the server with. */
static void
check_material(const struct chk *c)
{
	const struct svc_conf *s = c->s;
	int psk = s->psk_secrets != NULL;

	if (s->accept.kind == EP_DTLS_SCTP && !psk &&
	    (s->cert == NULL || s->key == NULL))
		say(c, "accept", "[%s]: a dtls+sctp:// accept needs %s",
		    s->name,
		    s->cert == NULL && s->key == NULL ? "'cert' and 'key'"
		        : s->cert == NULL             ? "'cert'"
		                                      : "'key'");
	else if (s->cert != NULL && s->key == NULL)
		say(c, "cert", "[%s]: 'cert' without 'key'", s->name);
	else if (s->key != NULL && s->cert == NULL)
		say(c, "key", "[%s]: 'key' without 'cert'", s->name);
	if (s->connect.kind == EP_DTLS_SCTP && s->verify && s->ca == NULL &&
	    s->capath == NULL && s->cert == NULL && !psk)
		say(c, "connect",
		    "[%s]: a dtls+sctp:// connect needs 'ca' (or 'cert') to "
		    "verify the server with, or 'verify = none'",
		    s->name);
}

/* Renegotiating more often than a peer like this one allows. */
static void
check_rekey(const struct chk *c)
{
	const struct svc_conf *s = c->s;

	if (s->rekey && s->rekey_interval < s->rekey_min_interval)
		say(c,
		    has(c, "rekey_interval") ? "rekey_interval"
		                             : "rekey_min_interval",
		    "[%s]: rekey_interval (%gs) is shorter than "
		    "rekey_min_interval (%gs), the limit a peer like this one "
		    "enforces",
		    s->name, s->rekey_interval, s->rekey_min_interval);
}

/**
 * svccheck_service(s, given, report, arg): check the service ${s};
 * ${given} holds the line each key was given at, by key_index() (0: not
 * given). Its pre-shared keys (s->psk) are read already.
 */
void
svccheck_service(const struct svc_conf *s, const int *given,
    tls_report_fn *report, void *arg)
{
	struct chk c = {s, given, report, arg};
	int acc = has(&c, "accept"), con = has(&c, "connect");

	if (!acc || !con)
		say(&c, NULL, "[%s] has %s", s->name,
		    !acc && !con ? "neither 'accept' nor 'connect'"
		        : !acc   ? "no 'accept'"
		                 : "no 'connect'");
	check_sides(&c);
	check_side_keys(&c);
	check_sctp(&c);
	check_material(&c);
	check_rekey(&c);
	check_psk(&c);
}
