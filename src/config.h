#ifndef CONFIG_H
#define CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include <openssl/ssl.h>

#include "endpoint.h"
#include "ppidmap.h"
#include "psk.h"
#include "sctp.h"
#include "tls.h"

/*
 * One [section]: a service. Strings are owned (NULL when not set). The
 * defaults are those of the keyword table (keys.c).
 */
struct svc_conf {
	char name[64];
	int line; /* of the [section] header */
	struct endpoint accept; /* where we listen */
	struct endpoint connect; /* where we go */
	char *cert, *key, *ca; /* PEM files */
	char *capath; /* directory of hashed trust anchors */
	char *crl; /* PEM CRLs: revocation checked for the whole chain */
	char *check_host; /* DNS name the peer's certificate must have */
	char *check_ip; /* IP address the peer's certificate must have */
	int verify_depth; /* longest chain; -1: OpenSSL's default (100) */
	char *ciphers; /* DTLS 1.2 cipher list */
	char *groups; /* key exchange groups (curves), OpenSSL's names */
	int min_version; /* DTLS1_2_VERSION..., 0: default (DTLS 1.2) */
	int max_version; /* likewise */
	char *options; /* SSL_OP flags, as SSL_CONF_cmd() "Options" takes */
	char *psk_secrets; /* file of IDENTITY:HEXKEY lines */
	struct psk *psk; /* its keys, read by config_load() */
	char *psk_identity; /* client: the identity to send */
	int session_cache; /* session cache and tickets: yes (1) or no (0) */
	long session_timeout; /* session lifetime in seconds (300) */
	int sctp_hmac_sha1; /* sctp_hmac = sha1 (0: sha256, then SHA-1) */
	int verify; /* 1 (default) or 0 ("verify = none") */
	uint16_t stream; /* SCTP stream of application data (0) */
	uint32_t ppid; /* SCTP PPID of application data (0) */
	uint16_t streams; /* SCTP streams asked for and accepted (16) */
	struct ppidmap ppid_map; /* PPIDs in the clear and over DTLS */
	int nodelay; /* SCTP_NODELAY / TCP_NODELAY (yes) */
	struct endpoint local; /* source addresses of SCTP connects (hosts) */
	struct sctp_tuning sctp; /* SCTP tuning and paths; 0: the kernel's */
	double connect_timeout; /* seconds (10) */
	double handshake_timeout; /* seconds (30) */
	double idle_timeout; /* seconds, 0 = none (3600; UDP flows 60) */
	double close_timeout; /* seconds (10) */
	int max_conns; /* concurrent connections, 0 = none (1000) */
	int max_handshakes; /* concurrent DTLS handshakes accepted (100) */
	int rekey; /* renegotiate at the limits below: yes (1) */
	double rekey_interval; /* seconds (3600) */
	unsigned long long rekey_bytes; /* both ways, 0 = none (64 GiB) */
	double rekey_min_interval; /* seconds between two, 0 = any (10) */
	int rekey_on_reload; /* renegotiate after a reload: yes (1) */
	int sctp_label_bug; /* 24-byte exporter label (OpenSSL <= 1.1.0i) */
	SSL_CTX *ctx; /* the TLS context, built (and checked) by config_load */
	struct svc_conf *next;
};

/* A whole file. */
struct config {
	char *file; /* as given */
	char *log; /* "stderr" (default), "syslog" or a path */
	int log_level; /* LOG_LVL_* (info) */
	char *pid; /* pid file, NULL = none */
	int foreground; /* 1 (default) */
	double drain_timeout; /* seconds SIGTERM waits for connections (30) */
	char *setuid; /* user to run as after start-up, NULL = stay */
	char *setgid; /* group to run as, NULL = the user's */
	char *chroot; /* directory to chroot to, NULL = none */
	int workers; /* worker processes (auto: the CPUs it may run on) */
	char *status; /* status listener: "HOST:PORT", "unix:/path"; NULL */
	int cert_watch; /* reload when certificate files change (1) */
	double reload_check; /* seconds between checks of them (60; 0: off) */
	struct svc_conf *svcs; /* in file order */
	int nsvcs;
};

/**
 * config_load(path, err): parse the INI file ${path}. Every problem is
 * printed to ${err} as "FILE:LINE: what is wrong" (all of them, not just
 * the first) and NULL returned; otherwise the configuration.
 */
struct config *config_load(const char *path, FILE *err);

/**
 * config_test(path, out): -t: check the INI file ${path} as config_load()
 * does, printing to ${out} every error and every warning
 * ("FILE:LINE: warning: ..."; see hostcheck_warnings()). 0 if the file can be
 * used, -1 if not.
 */
int config_test(const char *path, FILE *out);

/* A warning about the setting ${key}: ${text}. */
typedef void config_warn_fn(void *arg, const char *key, const char *text);

/**
 * config_service_free(s): free what the service configuration ${s} holds
 * (not ${s} itself); a no-op for NULL.
 */
void config_service_free(struct svc_conf *s);

/** config_free(c): free ${c}; a no-op for NULL. */
void config_free(struct config *c);

/**
 * config_tls(sc, t): the TLS settings of the service ${sc} in ${t}, as
 * tls_ctx_new() takes them (t->psk, the keys, is the caller's to set).
 */
void config_tls(const struct svc_conf *sc, struct tls_conf *t);

/**
 * config_service_defaults(sc, name): ${sc} zeroed, named ${name}, every
 * key at its default (for a service made from command-line flags).
 */
void config_service_defaults(struct svc_conf *sc, const char *name);

#endif
