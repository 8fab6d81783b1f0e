#!/bin/sh
# The status listener (/healthz, /livez, /metrics, /status) on a tunnel
# pair, the server side with two workers (one endpoint for both), scraped
# by Debian's promtool and a real Prometheus; hostile HTTP; sd_notify;
# certificates that rotate by themselves (Kubernetes-style symlink swap).
. "$(dirname "$0")/lib.sh"
certs
NP=$HELPERS/netpeer
SP="python3 -S $TOP/tests/helpers/statuspeer.py"
S=127.0.0.1:9180 # the server side's status listener
(
	cd "$T" || exit 1
	o req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout server2.key -out server2.csr -subj /CN=server2.test
	o x509 -req -in server2.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
		-out server2.pem -days 30 -extfile server.ext
	# A Secret volume as Kubernetes makes it: files behind ..data.
	mkdir -p live/..v1
	cp server.pem live/..v1/tls.crt
	cp server.key live/..v1/tls.key
	ln -s ..v1 live/..data
	ln -s ..data/tls.crt live/tls.crt
	ln -s ..data/tls.key live/tls.key
) || { fail "certificates"; finish; }

# swap DIR CERT KEY: the next ..data, as kubelet does (atomic rename).
n=1
swap() {
	n=$((n + 1))
	mkdir "$T/live/..v$n"
	cp "$1" "$T/live/..v$n/tls.crt"
	cp "$2" "$T/live/..v$n/tls.key"
	ln -s "..v$n" "$T/live/..data_tmp"
	mv -T "$T/live/..data_tmp" "$T/live/..data"
}

cat >"$T/srv.conf" <<CONF
log_level = info
workers = 2
status = $S
drain_timeout = 30

[srv]
accept  = dtls+sctp://127.0.0.1:8201
connect = tcp://127.0.0.1:8202
cert = $T/live/tls.crt
key  = $T/live/tls.key
ca   = $T/ca.pem
CONF
cat >"$T/cli.conf" <<CONF
log_level = info
status = unix:$T/cli.sock

[cli]
accept  = tcp://127.0.0.1:8200
connect = dtls+sctp://127.0.0.1:8201
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
session_cache = no

[bad]
accept  = tcp://127.0.0.1:8203
connect = dtls+sctp://127.0.0.1:8201
cert = $T/mallory.pem
key  = $T/mallory.key
ca   = $T/ca.pem
CONF

get() { curl -s --max-time 20 "http://$S$1"; }
code() { curl -s -o /dev/null -w '%{http_code}' --max-time 20 "http://$S$1"; }
# metric NAME{LABELS}: its value on the server side (empty if absent).
metric() { get /metrics | awk -v m="$1" '$1 == m { print $2 }'; }
# until_metric NAME{LABELS} VALUE: wait up to 30 s for that value.
until_metric() {
	i=0
	while [ "$(metric "$1")" != "$2" ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && { echo "$1 = $(metric "$1"), not $2"; return 1; }
		sleep 0.1
	done
}

start rcv $SP notify-recv "$T/notify.sock" "$T/notify.txt"
while [ ! -S "$T/notify.sock" ]; do sleep 0.1; done
start be "$NP" tcp-echo 8202
start srv env NOTIFY_SOCKET="$T/notify.sock" WATCHDOG_USEC=300000 \
	"$BIN" -f "$T/srv.conf"
start cli "$BIN" -f "$T/cli.conf"
check "server side: 2 workers" wait_log srv "2 workers running"
check "client side started" wait_log cli "started 2 service"
check "/healthz 200 once serving" [ "$(code /healthz)" = 200 ]
check "/livez 200" [ "$(code /livez)" = 200 ]
check "sd_notify: READY=1 with a STATUS line" \
	grep -q "READY=1|STATUS=serving 1 service" "$T/notify.txt"

# A known transfer: 4 connections of 100000 bytes each way.
check "4 x 100000 bytes through the pair" "$NP" tcp-client 127.0.0.1 8200 100000 4
check "handshakes: 4, from both workers together" \
	until_metric 'sctp_dtls_handshakes_total{service="srv"}' 4
check "bytes up: 400000" \
	until_metric 'sctp_dtls_relayed_bytes_total{service="srv",direction="up"}' 400000
check "bytes down: 400000" \
	until_metric 'sctp_dtls_relayed_bytes_total{service="srv",direction="down"}' 400000
check "4 closed cleanly" \
	until_metric 'sctp_dtls_connections_closed_total{service="srv",reason="closed"}' 4
# A refused handshake: a client certificate of another CA.
"$BIN" -c -h 127.0.0.1 -p 8201 -k "$T/mallory.key" -l "$T/mallory.pem" \
	--ca "$T/ca.pem" --timeout 10 >/dev/null 2>&1
check "one handshake failure: verify" \
	until_metric 'sctp_dtls_handshake_failures_total{service="srv",reason="verify"}' 1
check "renegotiations and refused messages in /metrics (none here)" sh -c "
	curl -s http://$S/metrics >'$T/m0.txt'
	grep -q '^sctp_dtls_renegotiations_total{service=\"srv\",reason=\"peer\"} 0\$' '$T/m0.txt' &&
	grep -q '^sctp_dtls_renegotiations_total{service=\"srv\",reason=\"bytes\"} 0\$' '$T/m0.txt' &&
	grep -q '^sctp_dtls_messages_refused_total{service=\"srv\",reason=\"undeliverable\"} 0\$' '$T/m0.txt'"
check "still 4 handshakes" [ "$(metric 'sctp_dtls_handshakes_total{service="srv"}')" = 4 ]
check "accepted: 5" [ "$(metric 'sctp_dtls_connections_accepted_total{service="srv"}')" = 5 ]
# The same refused from a tunnel: the server rejects it and aborts.
"$NP" tcp-client 127.0.0.1 8203 1000 1 >/dev/null 2>&1
# Its alert or its ABORT comes first, as it happens: a failure either way.
refusals() {
	curl -s --unix-socket "$T/cli.sock" http://x/metrics | awk '
		/^sctp_dtls_handshake_failures_total\{service="bad",reason="(alert|aborted|failed)"\}/ { n += $2 }
		END { print n + 0 }'
}
until_refused() {
	i=0
	while [ "$(refusals)" != 1 ]; do
		i=$((i + 1)); [ $i -gt 300 ] && return 1; sleep 0.1
	done
}
check "the client side counts the refused handshake (alert, abort)" until_refused
check "the server side: two rejected certificates" \
	until_metric 'sctp_dtls_handshake_failures_total{service="srv",reason="verify"}' 2
check "certificate notAfter exported" \
	sh -c "get() { curl -s http://$S\$1; }; get /metrics | grep -q '^sctp_dtls_certificate_not_after_timestamp_seconds{service=\"srv\",file=\"$T/live/tls.crt\"} [0-9]'"
get /metrics >"$T/metrics.txt"
check "promtool check metrics" promtool check metrics <"$T/metrics.txt"

# /status: an open connection, seen by the single-process side.
rm -f "$T/go"
start hold $SP hold 127.0.0.1 8200 "$T/go"
i=0; while ! grep -q "first" "$T/hold.out" && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
check "a held connection relays" grep -q "first ok" "$T/hold.out"
# The list is what each process last published (every second).
listed() { # FILE CURL-ARGS...: wait until the connection is listed there
	f=$1; shift; i=0
	while ! curl -s "$@" >"$f" || ! grep -q '"bytes_up":1000,' "$f"; do
		i=$((i + 1)); [ $i -gt 300 ] && return 1; sleep 0.1
	done
}
J=$T/status.json
check "/status lists the open connection (one process)" \
	listed "$J" --unix-socket "$T/cli.sock" http://x/status
check "/status: the connection, its peer, state, bytes, cipher, subject" sh -c "
	[ \$(grep -o '\"peer\":' '$J' | wc -l) = 1 ] &&
	grep -q '\"connections\":\\[{\"service\":\"cli\",\"peer\":\"127.0.0.1:[0-9]*\",\"state\":\"relaying\"' '$J' &&
	grep -q '\"bytes_up\":1000,' '$J' && grep -q '\"peer_subject\":\"CN=server.test\"' '$J' &&
	grep -q '\"cipher\":\"ECDHE-' '$J' && grep -q '\"sctp_auth_key\":1' '$J' && grep -q '\"health\":\"ok\"' '$J' &&
	grep -q '\"paths\":\\[{\"address\":\"127.0.0.1:8201\",\"state\":\"active\",\"rto_ms\":[0-9]*,' '$J'"
check "/status lists it (2 workers, one endpoint)" listed "$T/status2.json" "http://$S/status"
check "/status with 2 workers: one endpoint lists the connection, counts it open" sh -c \
	"grep -q '\"workers\":2,' '$T/status2.json' && grep -q '\"name\":\"srv\",[^}]*\"open\":1,' '$T/status2.json' &&
	[ \$(grep -o '\"peer\":' '$T/status2.json' | wc -l) = 1 ] && grep -q '\"peer_subject\":\"CN=client.test\"' '$T/status2.json'"
# Certificates rotate: a Kubernetes-style swap while the connection is open.
swap "$T/server2.pem" "$T/server2.key"
check "the swap is noticed" wait_log srv "changed: reloading"
check "and reloaded" until_metric 'sctp_dtls_certificate_changes_total{result="ok"}' 1
check "only the master watches the files" \
	[ "$(grep 'changed: reloading' "$T/srv.err" | grep -vc "sctp-dtls\[$(pid_of srv)\]")" = 0 ]
touch "$T/go"
i=0; while ! grep -q "second" "$T/hold.out" && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
check "the open connection goes on" grep -q "second ok" "$T/hold.out"
check "a new handshake presents the new certificate" sh -c \
	"'$NP' tcp-client 127.0.0.1 8200 1000 1 && sleep 0 &&
	 i=0; while ! grep -q 'peer CN=server2.test' '$T/cli.err'; do
	 i=\$((i + 1)); [ \$i -gt 300 ] && exit 1; sleep 0.1; done"
swap "$T/server.pem" "$T/server2.key" # a certificate that is not the key's
check "a mismatched pair is refused" \
	until_metric 'sctp_dtls_certificate_changes_total{result="failed"}' 1
check "/healthz 503 after the failed reload, with why" sh -c \
	"[ \"\$(curl -s -o '$T/h.txt' -w '%{http_code}' http://$S/healthz)\" = 503 ] && grep -q 'reload.*failed' '$T/h.txt'"
"$NP" tcp-client 127.0.0.1 8200 1000 1 >/dev/null
i=0; while [ "$(grep -c 'peer CN=server2.test' "$T/cli.err")" -lt 2 ] && [ $i -lt 300 ]; do
	i=$((i + 1)); sleep 0.1; done
check "the old material stays" [ "$(grep -c 'peer CN=server2.test' "$T/cli.err")" -ge 2 ]
swap "$T/server2.pem" "$T/server2.key"
check "a good pair again: healthy" sh -c "i=0; while [ \"\$(curl -s -o /dev/null -w '%{http_code}' http://$S/healthz)\" != 200 ]; do
	i=\$((i + 1)); [ \$i -gt 300 ] && exit 1; sleep 0.1; done"

# The single-process side rotates too (its own SIGHUP): a rewritten file.
cp "$T/client.pem" "$T/client.pem.new" && mv "$T/client.pem.new" "$T/client.pem"
check "one process: a changed certificate file reloads it" sh -c "i=0
	while ! curl -s --unix-socket '$T/cli.sock' http://x/metrics |
		grep -q '^sctp_dtls_certificate_changes_total{result=\"ok\"} 1\$'; do
		i=\$((i + 1)); [ \$i -gt 300 ] && exit 1; sleep 0.1; done"
check "one process: still relaying after it" "$NP" tcp-client 127.0.0.1 8200 1000 1

# sd_notify around SIGHUP, and the watchdog pings.
kill -HUP "$(pid_of srv)"
check "RELOADING=1 with MONOTONIC_USEC, then READY=1" sh -c \
	"i=0; while ! grep -A3 'RELOADING=1' '$T/notify.txt' | tail -n +2 | grep -q 'READY=1'; do
	 i=\$((i + 1)); [ \$i -gt 300 ] && exit 1; sleep 0.1; done;
	 grep -q 'RELOADING=1|STATUS=reloading|MONOTONIC_USEC=[0-9]' '$T/notify.txt'"
check "WATCHDOG=1 pings" sh -c "i=0; while [ \$(grep -c '^WATCHDOG=1' '$T/notify.txt') -lt 3 ]; do
	 i=\$((i + 1)); [ \$i -gt 300 ] && exit 1; sleep 0.1; done"

# Hostile HTTP while the tunnel relays.
$SP junk 127.0.0.1 9180 garbage bigheader post notfound >"$T/junk.txt" 2>&1
check "garbage: 400" grep -q "^garbage: HTTP/1.1 400 " "$T/junk.txt"
check "1 MiB header: 431" grep -q "^bigheader: HTTP/1.1 431 " "$T/junk.txt"
check "POST: 405" grep -q "^post: HTTP/1.1 405 " "$T/junk.txt"
check "unknown path: 404" grep -q "^notfound: HTTP/1.1 404 " "$T/junk.txt"
rss() { awk '/VmRSS/ { print $2 }' "/proc/$(pid_of srv)/status"; }
rss0=$(rss)
start crowd $SP crowd 127.0.0.1 9180 200 8
i=0; while [ "$(ss -Htn state established '( dport = :9180 )' | wc -l)" -lt 16 ] && [ $i -lt 300 ]; do
	i=$((i + 1)); sleep 0.1; done
check "the tunnel relays during 200 idle clients and a slowloris" \
	"$NP" tcp-client 127.0.0.1 8200 100000 2
check "meanwhile /healthz answers another address (16 clients per address)" sh -c \
	"[ \"\$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --interface 127.0.0.2 http://$S/healthz)\" = 200 ]"
i=0; while ! grep -q done "$T/crowd.out" && [ $i -lt 600 ]; do i=$((i + 1)); sleep 0.1; done
check "/healthz answers again afterwards" sh -c "i=0; while [ \"\$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 http://$S/healthz)\" != 200 ]; do
	 i=\$((i + 1)); [ \$i -gt 100 ] && exit 1; sleep 0.2; done"
rss1=$(rss)
check "master memory bounded ($rss0 kB -> $rss1 kB)" [ $((rss1 - rss0)) -lt 8192 ]

# A real Prometheus scrapes the endpoint every second.
cat >"$T/prom.yml" <<YML
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: sctp-dtls
    static_configs:
      - targets: ['$S']
YML
start prom prometheus --config.file="$T/prom.yml" --storage.tsdb.path="$T/prom" \
	--web.listen-address=127.0.0.1:9190 --log.level=warn
q() { curl -s --max-time 10 -G http://127.0.0.1:9190/api/v1/query --data-urlencode "query=$1"; }
until_prom() {
	i=0
	while ! q "$1" | grep -q "\"value\":\[[0-9.]*,\"$2\"\]"; do
		i=$((i + 1)); [ $i -gt 600 ] && { q "$1"; return 1; }; sleep 0.2
	done
}
check "prometheus: up == 1" until_prom 'up{job="sctp-dtls"}' 1
hs=$(metric 'sctp_dtls_handshakes_total{service="srv"}')
check "prometheus: the handshake counter ($hs)" \
	until_prom 'sctp_dtls_handshakes_total{service="srv"}' "$hs"
stop prom

# Drain: /healthz turns 503 while the open connection finishes.
rm -f "$T/go"
start hold2 $SP hold 127.0.0.1 8200 "$T/go"
i=0; while ! grep -q "first ok" "$T/hold2.out" && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
kill -TERM "$(pid_of srv)"
check "draining: /healthz 503" sh -c "i=0; while [ \"\$(curl -s -o '$T/h2.txt' -w '%{http_code}' http://$S/healthz)\" != 503 ]; do
	 i=\$((i + 1)); [ \$i -gt 300 ] && exit 1; sleep 0.1; done; grep -q draining '$T/h2.txt'"
check "STOPPING=1" grep -q "STOPPING=1" "$T/notify.txt"
touch "$T/go"
i=0; while ! grep -q "second" "$T/hold2.out" && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
check "the drained connection finished" grep -q "second ok" "$T/hold2.out"
check "server side exits 0" wait_exit srv 30
stop cli
check "client side exits 0" [ $? -eq 0 ]
check "the unix status socket is removed" [ ! -e "$T/cli.sock" ]
finish
