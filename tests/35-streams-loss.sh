#!/bin/sh
# RFC 6083 3.3: no record is lost when the peer spreads its records over
# several streams, or sends them unordered, on a lossy path (netem on lo,
# MTU 1500): SCTP then delivers them out of DTLS sequence order, and stock
# OpenSSL's 64-record replay window must not drop any. A sender on our own
# engine (tests/helpers/dtlspeer.c) and one on OpenSSL's own enable-sctp
# DTLS (tests/helpers/osslpeer.c, when the cached build exists) send
# numbered messages to a dtls+sctp:// -> tcp:// service whose backend
# checks every message arrived once and intact. Slow: run once by
# `make check`, not again under the sanitizers and valgrind.
. "$(dirname "$0")/lib.sh"
certs
load_module sch_netem net/sched/sch_netem.ko
SECS=${LOSS_SECONDS:-2}
NP=$HELPERS/netpeer
DP=$HELPERS/dtlspeer
OP=$HELPERS/osslpeer
ip link set lo mtu 1500
# Quicker retransmissions than the defaults (3 s initial, 1 s minimum RTO).
echo 300 >/proc/sys/net/sctp/rto_initial
echo 100 >/proc/sys/net/sctp/rto_min
echo 1000 >/proc/sys/net/sctp/rto_max
# At 10% loss each way an association would otherwise give up now and then
# (10 retransmission timeouts in a row): that is the path, not the tunnel.
echo 40 >/proc/sys/net/sctp/association_max_retrans
echo 40 >/proc/sys/net/sctp/path_max_retrans

cat >"$T/b.conf" <<CONF
log_level = info
[in]
accept  = dtls+sctp://127.0.0.1:5658
connect = tcp://127.0.0.1:7100
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
CONF
start b "$BIN" -f "$T/b.conf"
wait_log b "started 1 service" || { fail "tunnel started"; finish; }

# one NAME SENDER LOSS SIZE STREAMS [unordered]: a run; checks the sink
# got every message the sender says it sent, each once and intact.
one() {
	run=$1 sender=$2 loss=$3 size=$4 streams=$5
	shift 5
	tc qdisc replace dev lo root netem loss "$loss%"
	start "sink_$run" "$NP" tcp-msgs 7100 "$size"
	sleep 0.2
	"$sender" send 127.0.0.1 5658 "$T/client.pem" "$T/client.key" \
		"$T/ca.pem" "$size" "$streams" "$SECS" "$@" >"$T/$run.sent" \
		2>"$T/$run.senderr"
	rc=$?
	wait_exit "sink_$run" 120
	tc qdisc del dev lo root
	sent=$(sed -n 's/^sent \([0-9]*\) messages.*/\1/p' "$T/$run.sent")
	got=$(cat "$T/sink_$run.out")
	echo "$run: sent ${sent:-?}; $got" | tee -a "$T/results.log"
	check "$run: the sender ran (exit 0)" [ "$rc" -eq 0 ]
	check "$run: every message arrived once, intact" \
		[ "$got" = "got $sent messages, 0 bad, 0 duplicates, 0 missing below $sent" ]
}

for loss in 1 3 10; do
	for size in 1000 16000; do
		one "streams5-loss$loss-$size" "$DP" "$loss" "$size" 5
		one "unordered-loss$loss-$size" "$DP" "$loss" "$size" 5 unordered
	done
done

# to_openssl NAME LOSS SIZE STREAMS [unordered]: our sender straight to
# OpenSSL's own receiver (which has no replay window to trip over). With
# 1000-byte messages: OpenSSL's SCTP BIO throws away a message the kernel
# delivers in parts (bss_dgram.c: "most likely a message dropped by
# PR-SCTP"), which happens to 16 KB messages at MTU 1500 under load, from
# any sender, OpenSSL's own included; our BIO puts such a message back
# together.
to_openssl() {
	run=$1 loss=$2 size=$3 streams=$4
	shift 4
	tc qdisc replace dev lo root netem loss "$loss%"
	start "recv_$run" "$OP" recv 9100 "$T/server.pem" "$T/server.key" \
		"$T/ca.pem" "$size"
	sleep 0.3
	"$DP" send 127.0.0.1 9100 "$T/client.pem" "$T/client.key" \
		"$T/ca.pem" "$size" "$streams" "$SECS" "$@" >"$T/$run.sent" \
		2>"$T/$run.senderr"
	rc=$?
	wait_exit "recv_$run" 120
	tc qdisc del dev lo root
	sent=$(sed -n 's/^sent \([0-9]*\) messages.*/\1/p' "$T/$run.sent")
	got=$(cat "$T/recv_$run.out")
	echo "$run: sent ${sent:-?}; $got" | tee -a "$T/results.log"
	check "$run: the sender ran (exit 0)" [ "$rc" -eq 0 ]
	# (osslpeer recv ends its line with the seconds it took: ", S s".)
	check "$run: OpenSSL's receiver got every message once, intact" \
		[ "${got%, * s}" = "got $sent messages, 0 bad, 0 duplicates, 0 missing below $sent" ]
}

if [ -n "${OPENSSL_SCTP:-}" ] && [ -x "$OP" ]; then
	# OpenSSL's own SCTP BIO needs the global sysctl.
	echo 1 >/proc/sys/net/sctp/auth_enable
	one "openssl-streams5-loss3-1000" "$OP" 3 1000 5
	one "openssl-unordered-loss3-1000" "$OP" 3 1000 5 unordered
	to_openssl "to-openssl-streams5-loss3-1000" 3 1000 5
	to_openssl "to-openssl-unordered-loss3-1000" 3 1000 5 unordered
	echo 0 >/proc/sys/net/sctp/auth_enable
else
	echo "SKIP the OpenSSL sender: no enable-sctp build ($OP)"
fi

check "every association of the receiving tunnel closed cleanly" \
	sh -c "! grep -q 'closed (' '$T/b.err' || ! grep 'closed (' '$T/b.err' | grep -qv 'closed (closed)'"
check "no record discarded or given up by the receiving tunnel" \
	sh -c "! grep -Eq '[1-9][0-9]* records discarded|not passed on|discarded by OpenSSL' '$T/b.err'"
finish
