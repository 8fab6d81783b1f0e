/*
 * metrics.c: rendering what the status listener shows: the Prometheus
 * text exposition format (version 0.0.4: "# HELP", "# TYPE", one sample a
 * line, label values escaped) and the JSON of /status. Pure: the caller
 * gathers the numbers (status.c) and owns the stream.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"

#define NLABEL 6 /* label values of one family */

/* A family of per-service counters: one sample per service and label. */
struct family {
	const char *name, *help;
	const char *label; /* the extra label's name, or NULL */
	struct {
		const char *value;
		int idx; /* enum metric */
	} s[NLABEL];
};

static const struct family families[] = {
    {"sctp_dtls_connections_accepted_total",
        "Connections (UDP flows) accepted.", NULL, {{NULL, M_ACCEPTED}}},
    {"sctp_dtls_connections_refused_total", "Connections refused at a limit.",
        "limit",
        {{"max_conns", M_REFUSED_CONNS},
            {"max_handshakes", M_REFUSED_HANDSHAKES}}},
    {"sctp_dtls_handshakes_total", "DTLS handshakes completed.", NULL,
        {{NULL, M_HS_OK}}},
    {"sctp_dtls_handshakes_resumed_total",
        "DTLS handshakes that resumed a session.", NULL,
        {{NULL, M_HS_RESUMED}}},
    {"sctp_dtls_handshake_failures_total", "DTLS handshakes that failed.",
        "reason",
        {{"verify", M_HS_VERIFY}, {"alert", M_HS_ALERT},
            {"aborted", M_HS_ABORTED}, {"failed", M_HS_FAILED},
            {"timeout", M_HS_TIMEOUT}, {"refused", M_HS_REFUSED}}},
    {"sctp_dtls_relayed_bytes_total",
        "Bytes relayed; up is plaintext to DTLS/SCTP.", "direction",
        {{"up", M_BYTES_UP}, {"down", M_BYTES_DOWN}}},
    {"sctp_dtls_relayed_messages_total",
        "Messages, datagrams or records relayed.", "direction",
        {{"up", M_UNITS_UP}, {"down", M_UNITS_DOWN}}},
    {"sctp_dtls_datagrams_dropped_total",
        "UDP datagrams dropped (each one logged).", NULL, {{NULL, M_DROPPED}}},
    {"sctp_dtls_messages_too_large_total",
        "SCTP messages larger than one DTLS record, refused.", NULL,
        {{NULL, M_TOO_LARGE}}},
    {"sctp_dtls_records_discarded_total",
        "DTLS records discarded (bad MAC, stale epoch, duplicates).", NULL,
        {{NULL, M_DISCARDED}}},
    {"sctp_dtls_sctp_auth_keys_total",
        "SCTP-AUTH keys installed (RFC 6083 4.8).", NULL,
        {{NULL, M_AUTH_KEYS}}},
    {"sctp_dtls_path_changes_total",
        "SCTP path state changes (multi-homing), both ends.", NULL,
        {{NULL, M_PATHS}}},
    {"sctp_dtls_messages_refused_total",
        "SCTP messages refused (each ends its association, logged).", "reason",
        {{"no_stream", M_NO_STREAM}, {"ppid_reserved", M_PPID_RESERVED},
            {"undeliverable", M_UNDELIVERABLE}}},
    {"sctp_dtls_renegotiations_total",
        "DTLS renegotiations completed, by what started them.", "reason",
        {{"peer", M_REKEYS + REKEY_BY_PEER},
            {"reload", M_REKEYS + REKEY_DUE_RELOAD},
            {"interval", M_REKEYS + REKEY_DUE_TIME},
            {"bytes", M_REKEYS + REKEY_DUE_BYTES}}},
};

#define NFAM (sizeof(families) / sizeof(families[0]))

/** metrics_reason_label(r, buf, size): ${r}'s text as a label value. */
const char *
metrics_reason_label(enum reason r, char *buf, size_t size)
{
	const char *t = reason_text(r);
	size_t i;

	for (i = 0; size > 0 && i < size - 1 && t[i] != '\0'; i++)
		buf[i] = isalnum((unsigned char)t[i])
		    ? (char)tolower((unsigned char)t[i])
		    : '_';
	if (size > 0)
		buf[i] = '\0';
	return buf;
}

/* ${s} as a label value: backslash, double quote and newline escaped. */
static void
label_value(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

static void
head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample of service ${svc}, with the label ${k}="${v}" if ${k}. */
static void
sample(FILE *f, const char *name, const char *svc, const char *k, const char *v,
    double value)
{
	fprintf(f, "%s{service=\"", name);
	label_value(f, svc);
	if (k != NULL) {
		fprintf(f, "\",%s=\"", k);
		label_value(f, v);
	}
	fprintf(f, "\"} %.17g\n", value);
}

static void
prom_process(FILE *f, const struct metrics_proc *p)
{
	head(f, "sctp_dtls_build_info", "gauge", "Version of sctp-dtls.");
	fputs("sctp_dtls_build_info{version=\"", f);
	label_value(f, p->version);
	fputs("\"} 1\n", f);
	head(f, "sctp_dtls_ready", "gauge",
	    "1 when every service listens and the configuration is loaded.");
	fprintf(f, "sctp_dtls_ready %d\n", strcmp(p->health, "ok") == 0);
	head(f, "sctp_dtls_start_time_seconds", "gauge",
	    "Start time of the process, Unix time.");
	fprintf(f, "sctp_dtls_start_time_seconds %.3f\n", p->start_time);
	head(f, "sctp_dtls_workers", "gauge", "Worker processes.");
	fprintf(f, "sctp_dtls_workers %d\n", p->workers);
	head(f, "sctp_dtls_reloads_total", "counter",
	    "Reloads of the configuration (SIGHUP, certificate changes).");
	fprintf(
	    f, "sctp_dtls_reloads_total{result=\"ok\"} %lu\n", p->reloads_ok);
	fprintf(f, "sctp_dtls_reloads_total{result=\"failed\"} %lu\n",
	    p->reloads_failed);
	head(f, "sctp_dtls_last_reload_timestamp_seconds", "gauge",
	    "Unix time of the last reload, 0 if none.");
	fprintf(f, "sctp_dtls_last_reload_timestamp_seconds %.3f\n",
	    p->last_reload);
	head(f, "sctp_dtls_certificate_changes_total", "counter",
	    "Changes of watched certificate, key, CA and CRL files.");
	fprintf(f, "sctp_dtls_certificate_changes_total{result=\"ok\"} %lu\n",
	    p->rotations_ok);
	fprintf(f,
	    "sctp_dtls_certificate_changes_total{result=\"failed\"} %lu\n",
	    p->rotations_failed);
}

static void
prom_certs(FILE *f, const struct metrics_cert *c, int nc)
{
	int i;

	head(f, "sctp_dtls_certificate_not_after_timestamp_seconds", "gauge",
	    "notAfter of each configured certificate, Unix time.");
	for (i = 0; i < nc; i++) {
		if (c[i].not_after < 0)
			continue;
		sample(f, "sctp_dtls_certificate_not_after_timestamp_seconds",
		    c[i].svc, "file", c[i].path, (double)c[i].not_after);
	}
}

/* The gauges and the closing reasons of every service. */
static void
prom_gauges(FILE *f, const struct metrics_svc *s, int ns)
{
	char label[64];
	int i, r;

	head(f, "sctp_dtls_connections_open", "gauge",
	    "Connections (UDP flows) open, all workers.");
	for (i = 0; i < ns; i++)
		sample(f, "sctp_dtls_connections_open", s[i].name, NULL, NULL,
		    (double)s[i].open);
	head(f, "sctp_dtls_handshakes_in_progress", "gauge",
	    "Accepted DTLS handshakes in progress, all workers.");
	for (i = 0; i < ns; i++)
		sample(f, "sctp_dtls_handshakes_in_progress", s[i].name, NULL,
		    NULL, (double)s[i].handshaking);
	head(f, "sctp_dtls_connections_closed_total", "counter",
	    "Connections ended, by reason.");
	for (i = 0; i < ns; i++)
		for (r = R_NONE + 1; r < R_COUNT; r++)
			sample(f, "sctp_dtls_connections_closed_total",
			    s[i].name, "reason",
			    metrics_reason_label(
			        (enum reason)r, label, sizeof(label)),
			    (double)s[i].v[M_CLOSED + r]);
}

/**
 * metrics_prom(f, p, s, ns, c, nc): the process ${p}, the ${ns} services
 * ${s} and the ${nc} certificates ${c} to ${f} in the Prometheus text
 * format, every name prefixed sctp_dtls_, counters ending _total, times in
 * seconds. 0, or -1 if ${f} failed.
 */
int
metrics_prom(FILE *f, const struct metrics_proc *p, const struct metrics_svc *s,
    int ns, const struct metrics_cert *c, int nc)
{
	const struct family *fm;
	size_t i, j;
	int k;

	prom_process(f, p);
	prom_certs(f, c, nc);
	prom_gauges(f, s, ns);
	for (i = 0; i < NFAM; i++) {
		fm = &families[i];
		head(f, fm->name, "counter", fm->help);
		for (k = 0; k < ns; k++)
			for (j = 0; j < NLABEL && (j == 0 || fm->s[j].value);
			     j++)
				sample(f, fm->name, s[k].name, fm->label,
				    fm->s[j].value,
				    (double)s[k].v[fm->s[j].idx]);
	}
	return ferror(f) ? -1 : 0;
}

/* ${s} as a JSON string. */
static void
jstr(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
json_svc(FILE *f, const struct metrics_svc *s)
{
	const struct family *fm;
	size_t i, j;

	fputs("{\"name\":", f);
	jstr(f, s->name);
	fputs(",\"accept\":", f);
	jstr(f, s->accept);
	fputs(",\"connect\":", f);
	jstr(f, s->connect);
	fprintf(
	    f, ",\"open\":%ld,\"handshaking\":%ld", s->open, s->handshaking);
	for (i = 0; i < NFAM; i++) {
		fm = &families[i];
		for (j = 0; j < NLABEL && (j == 0 || fm->s[j].value); j++) {
			/* sctp_dtls_X_total{label="v"} -> "X_v" */
			fprintf(f, ",\"%.*s%s%s\":%lu",
			    (int)(strlen(fm->name) - 16), fm->name + 10,
			    fm->s[j].value ? "_" : "",
			    fm->s[j].value ? fm->s[j].value : "",
			    s->v[fm->s[j].idx]);
		}
	}
	fputc('}', f);
}

static void
json_conn(FILE *f, const struct metrics_conn *k)
{
	int i;

	fputs("{\"service\":", f);
	jstr(f, k->svc);
	fputs(",\"peer\":", f);
	jstr(f, k->peer);
	fputs(",\"state\":", f);
	jstr(f, k->state);
	fprintf(f,
	    ",\"age_seconds\":%.3f,\"bytes_up\":%llu,\"bytes_down\":%llu",
	    k->age, k->up, k->down);
	fputs(",\"cipher\":", f);
	jstr(f, k->cipher);
	fputs(",\"peer_subject\":", f);
	jstr(f, k->subject);
	if (k->auth_key >= 0)
		fprintf(f, ",\"sctp_auth_key\":%d", k->auth_key);
	fputs(",\"paths\":[", f);
	for (i = 0; i < k->npaths && i < METRICS_PATHS; i++) {
		fputs(i > 0 ? ",{\"address\":" : "{\"address\":", f);
		jstr(f, k->paths[i].addr);
		fputs(",\"state\":", f);
		jstr(f, k->paths[i].state);
		fprintf(f, ",\"rto_ms\":%u,\"srtt_ms\":%u}", k->paths[i].rto_ms,
		    k->paths[i].srtt_ms);
	}
	fputs("]}", f);
}

/**
 * metrics_json(f, p, s, ns, k, nk): the process ${p}, the ${ns} services
 * ${s} and the ${nk} open connections ${k} (NULL, -1: not known here) to
 * ${f} as one JSON object. 0, or -1 if ${f} failed.
 */
int
metrics_json(FILE *f, const struct metrics_proc *p, const struct metrics_svc *s,
    int ns, const struct metrics_conn *k, int nk)
{
	int i;

	fputs("{\"version\":", f);
	jstr(f, p->version);
	fputs(",\"health\":", f);
	jstr(f, p->health);
	fprintf(f,
	    ",\"start_time\":%.3f,\"uptime_seconds\":%.3f,\"workers\":%d,"
	    "\"reloads_ok\":%lu,\"reloads_failed\":%lu,\"services\":[",
	    p->start_time, p->now - p->start_time, p->workers, p->reloads_ok,
	    p->reloads_failed);
	for (i = 0; i < ns; i++) {
		if (i > 0)
			fputc(',', f);
		json_svc(f, &s[i]);
	}
	fputs("],\"connections\":", f);
	if (nk < 0) {
		fputs("null", f);
	} else {
		fputc('[', f);
		for (i = 0; i < nk; i++) {
			if (i > 0)
				fputc(',', f);
			json_conn(f, &k[i]);
		}
		fputc(']', f);
	}
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}
