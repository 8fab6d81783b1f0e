/* test_metrics.c: the Prometheus text and the JSON of src/metrics.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics.h"

/* Two services, one with a name that needs escaping, and one cert. */
struct fx {
	struct metrics_proc p;
	struct metrics_svc s[2];
	struct metrics_cert c[2];
	char *out;
	size_t len;
};

static int
setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	int i;

	assert_non_null(x);
	x->p.version = "1.2.3";
	x->p.health = "ok";
	x->p.start_time = 1700000000.5;
	x->p.now = 1700000010.5;
	x->p.workers = 4;
	x->p.reloads_ok = 3;
	x->p.reloads_failed = 1;
	x->p.last_reload = 1700000005;
	x->p.rotations_ok = 2;
	x->s[0].name = "gw";
	x->s[0].accept = "sctp://127.0.0.1:1";
	x->s[0].connect = "dtls+sctp://peer:2";
	x->s[1].name = "odd \"name\\\n";
	x->s[1].accept = "tcp://[::1]:3";
	x->s[1].connect = "echo";
	for (i = 0; i < M_COUNT; i++) {
		x->s[0].v[i] = 1000 + (unsigned long)i;
		x->s[1].v[i] = (unsigned long)i;
	}
	x->s[0].open = 7;
	x->s[0].handshaking = 2;
	x->c[0].svc = "gw";
	x->c[0].path = "/etc/gw.pem";
	x->c[0].not_after = 1800000000;
	x->c[1].svc = "gw";
	x->c[1].path = "/missing.pem";
	x->c[1].not_after = -1;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *x = *state;

	free(x->out);
	free(x);
	return 0;
}

static void
render_prom(struct fx *x)
{
	FILE *f = open_memstream(&x->out, &x->len);

	assert_non_null(f);
	assert_int_equal(metrics_prom(f, &x->p, x->s, 2, x->c, 2), 0);
	assert_int_equal(fclose(f), 0);
}

static void
has(const char *out, const char *line)
{
	char want[512];

	snprintf(want, sizeof(want), "\n%s\n", line);
	if (strstr(out, want) == NULL)
		fail_msg("missing line: %s\n--- output ---\n%s", line, out);
}

/* The values land on the right names and labels. */
static void
test_prom_values(void **state)
{
	struct fx *x = *state;
	char line[256];

	render_prom(x);
	has(x->out, "sctp_dtls_build_info{version=\"1.2.3\"} 1");
	has(x->out, "sctp_dtls_ready 1");
	has(x->out, "sctp_dtls_workers 4");
	has(x->out, "sctp_dtls_reloads_total{result=\"failed\"} 1");
	has(x->out, "sctp_dtls_certificate_changes_total{result=\"ok\"} 2");
	has(x->out, "sctp_dtls_connections_open{service=\"gw\"} 7");
	has(x->out, "sctp_dtls_handshakes_in_progress{service=\"gw\"} 2");
	snprintf(line, sizeof(line),
	    "sctp_dtls_handshakes_total{service=\"gw\"} %d", 1000 + M_HS_OK);
	has(x->out, line);
	snprintf(line, sizeof(line),
	    "sctp_dtls_handshake_failures_total{service=\"gw\","
	    "reason=\"timeout\"} %d",
	    1000 + M_HS_TIMEOUT);
	has(x->out, line);
	snprintf(line, sizeof(line),
	    "sctp_dtls_renegotiations_total{service=\"gw\",reason=\"bytes\"} "
	    "%d",
	    1000 + M_REKEYS + REKEY_DUE_BYTES);
	has(x->out, line);
	snprintf(line, sizeof(line),
	    "sctp_dtls_renegotiations_total{service=\"gw\",reason=\"peer\"} "
	    "%d",
	    1000 + M_REKEYS + REKEY_BY_PEER);
	has(x->out, line);
	snprintf(line, sizeof(line),
	    "sctp_dtls_messages_refused_total{service=\"gw\","
	    "reason=\"ppid_reserved\"} %d",
	    1000 + M_PPID_RESERVED);
	has(x->out, line);
	snprintf(line, sizeof(line),
	    "sctp_dtls_messages_refused_total{service=\"gw\","
	    "reason=\"undeliverable\"} %d",
	    1000 + M_UNDELIVERABLE);
	has(x->out, line);
	snprintf(line, sizeof(line),
	    "sctp_dtls_messages_refused_total{service=\"gw\","
	    "reason=\"no_stream\"} %d",
	    1000 + M_NO_STREAM);
	has(x->out, line);
	snprintf(line, sizeof(line),
	    "sctp_dtls_relayed_bytes_total{service=\"gw\",direction=\"down\"} "
	    "%d",
	    1000 + M_BYTES_DOWN);
	has(x->out, line);
	snprintf(line, sizeof(line),
	    "sctp_dtls_connections_closed_total{service=\"gw\","
	    "reason=\"dtls_sctp_peer_unreachable\"} %d",
	    1000 + M_CLOSED + R_PEER_UNREACHABLE);
	has(x->out, line);
	has(x->out,
	    "sctp_dtls_certificate_not_after_timestamp_seconds{service=\"gw\","
	    "file=\"/etc/gw.pem\"} 1800000000");
	assert_null(strstr(x->out, "missing.pem"));
}

/* Label values are escaped: no raw quote, backslash or newline. */
static void
test_prom_escape(void **state)
{
	struct fx *x = *state;

	render_prom(x);
	has(x->out,
	    "sctp_dtls_connections_open{service=\"odd \\\"name\\\\\\n\"} 0");
}

/* Each family: HELP and TYPE once, before its samples, all together. */
static void
test_prom_families(void **state)
{
	struct fx *x = *state;
	char *copy, *line, *save = NULL, seen[64][96], cur[96] = "";
	int n = 0, i;

	render_prom(x);
	copy = strdup(x->out);
	assert_non_null(copy);
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[96];

		if (strncmp(line, "# TYPE ", 7) == 0) {
			sscanf(line + 7, "%95s", name);
			for (i = 0; i < n; i++)
				assert_string_not_equal(seen[i], name);
			assert_true(n < 64);
			strcpy(seen[n++], name);
			strcpy(cur, name);
			continue;
		}
		if (line[0] == '#')
			continue;
		sscanf(line, "%95[^{ ]", name);
		assert_string_equal(name, cur);
		assert_int_equal(strncmp(name, "sctp_dtls_", 10), 0);
	}
	assert_true(n >= 20);
	free(copy);
}

/* Debian's promtool accepts the exposition. */
static void
test_prom_promtool(void **state)
{
	struct fx *x = *state;
	FILE *p;

	render_prom(x);
	p = popen("promtool check metrics >/dev/null", "w");
	assert_non_null(p);
	fwrite(x->out, 1, x->len, p);
	assert_int_equal(pclose(p), 0);
}

/* The JSON: escaped strings, counters by name, connections or null. */
static void
test_json(void **state)
{
	struct fx *x = *state;
	struct metrics_conn k = {"gw", "10.0.0.1:5\t", "relaying",
	    "ECDHE-RSA-AES256-GCM-SHA384", "CN=a\"b", 1.5, 10, 20, 3, 0, {{0}}};
	FILE *f = open_memstream(&x->out, &x->len);
	char want[128];

	k.npaths = 2;
	k.paths[0] = (struct metrics_path){"10.1.0.2:38412", "active", 200, 1};
	k.paths[1] =
	    (struct metrics_path){"[2001:db8::2]:38412", "inactive", 1000, 0};
	assert_non_null(f);
	assert_int_equal(metrics_json(f, &x->p, x->s, 2, &k, 1), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(x->out, "\"name\":\"odd \\\"name\\\\\\u000a\""));
	snprintf(
	    want, sizeof(want), "\"relayed_bytes_up\":%d", 1000 + M_BYTES_UP);
	assert_non_null(strstr(x->out, want));
	assert_non_null(strstr(x->out, "\"peer\":\"10.0.0.1:5\\u0009\""));
	assert_non_null(strstr(x->out, "\"peer_subject\":\"CN=a\\\"b\""));
	assert_non_null(strstr(x->out, "\"sctp_auth_key\":3"));
	assert_non_null(strstr(x->out,
	    "\"paths\":[{\"address\":\"10.1.0.2:38412\",\"state\":\"active\","
	    "\"rto_ms\":200,\"srtt_ms\":1},{\"address\":\"[2001:db8::2]:38412\","
	    "\"state\":\"inactive\",\"rto_ms\":1000,\"srtt_ms\":0}]}"));
	assert_non_null(strstr(x->out, "\"uptime_seconds\":10.000"));
	free(x->out);
	x->out = NULL;
	f = open_memstream(&x->out, &x->len);
	assert_int_equal(metrics_json(f, &x->p, x->s, 2, NULL, -1), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(x->out, "\"connections\":null}"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_prom_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_prom_escape, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_prom_families, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_prom_promtool, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_json, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
