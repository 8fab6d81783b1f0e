#!/bin/sh
# The SCTP gateway on a lossy path: 2000 messages (1 to 16384 bytes, 16
# streams, four PPIDs, half of them unordered) from a plaintext SCTP
# client through tunnel A, DTLS/SCTP with 3% netem loss on lo (MTU 1500,
# so that large messages are fragmented and partially delivered), tunnel B
# to a plaintext SCTP sink that checks each message's bytes, stream, PPID,
# flag and the order within each ordered stream. Nothing lost, merged or
# split. Slow: run once by `make check`, not again under the sanitizers.
. "$(dirname "$0")/lib.sh"
certs
load_module sch_netem net/sched/sch_netem.ko
SP=$HELPERS/sctppeer
ip link set lo mtu 1500
# Quicker retransmissions than the defaults (3 s initial, 1 s minimum RTO).
echo 300 >/proc/sys/net/sctp/rto_initial
echo 100 >/proc/sys/net/sctp/rto_min
echo 1000 >/proc/sys/net/sctp/rto_max

cat >"$T/a.conf" <<CONF
[gw]
accept  = sctp://127.0.0.1:3801
connect = dtls+sctp://127.0.0.1:5801
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
ppid_map = ngap, diameter
CONF
cat >"$T/b.conf" <<CONF
[gw]
accept  = dtls+sctp://127.0.0.1:5801
connect = sctp://127.0.0.1:3901
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
ppid_map = ngap, diameter
CONF
start b "$BIN" -f "$T/b.conf"
start a "$BIN" -f "$T/a.conf"
wait_log a "started 1 service" && wait_log b "started 1 service"
check "both tunnels started" [ $? -eq 0 ]

# 3% loss on every packet on lo: the plaintext associations at either end
# lose packets too, as the DTLS/SCTP one between the tunnels does.
tc qdisc replace dev lo root netem loss 3%
for seed in 11 12; do
	start "sink$seed" "$SP" sink 3901 2000 "$seed"
	sleep 0.2
	"$SP" send 127.0.0.1 3801 2000 "$seed" >"$T/send$seed.out" 2>&1
	check "seed $seed: 2000 messages sent through the tunnels, 3% loss" \
		grep -q "^sent 2000 messages" "$T/send$seed.out"
	wait_exit "sink$seed" 120
	check "seed $seed: every message whole, on its stream, with its PPID and flag, in order" \
		grep -q "^ok: 2000 messages" "$T/sink$seed.out"
	cat "$T/sink$seed.out" "$T/sink$seed.err" >>"$T/check.log"
done
tc qdisc del dev lo root
check "no association aborted" \
	sh -c "! grep -q 'closed ([^c]' '$T/a.err' '$T/b.err'"
finish
