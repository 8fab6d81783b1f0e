#!/bin/sh
# The summary line tells the truth and can be matched across a tunnel:
# the connecting side logs the local address its peer logs as the client;
# what could not be delivered (the backend was gone) is counted as
# dropped, not as bytes relayed; 0.0.0.0 listens on IPv4 only, '*' and
# [::] on both families.
. "$(dirname "$0")/lib.sh"
certs
NP=$HELPERS/netpeer

cat >"$T/b.conf" <<CONF
log_level = info
[in]
accept  = dtls+sctp://127.0.0.1:5910
connect = tcp://127.0.0.1:7910
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
[gone]                  ; nothing listens on its backend
accept  = dtls+sctp://127.0.0.1:5911
connect = tcp://127.0.0.1:7919
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
CONF
cat >"$T/a.conf" <<CONF
log_level = info
[v4]
accept  = tcp://0.0.0.0:7900
connect = dtls+sctp://127.0.0.1:5910
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
[both]
accept  = tcp://*:7901
connect = dtls+sctp://127.0.0.1:5910
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
[out-gone]
accept  = tcp://127.0.0.1:7902
connect = dtls+sctp://127.0.0.1:5911
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF
start echo "$NP" tcp-echo 7910
start b "$BIN" -f "$T/b.conf"
start a "$BIN" -f "$T/a.conf"
wait_log a "started 3 service" && wait_log b "started 2 service"
check "both tunnels started" [ $? -eq 0 ]

check "0.0.0.0 listens on IPv4" sh -c "'$NP' tcp-client 127.0.0.1 7900 1000 1 | grep -q '^ok'"
check "0.0.0.0 does not listen on IPv6" sh -c "! '$NP' tcp-client ::1 7900 1000 1"
check "* listens on IPv4" sh -c "'$NP' tcp-client 127.0.0.1 7901 1000 1 | grep -q '^ok'"
check "* listens on IPv6" sh -c "'$NP' tcp-client ::1 7901 1000 1 | grep -q '^ok'"
check "the listener says 0.0.0.0" grep -q "v4: listening on tcp://0.0.0.0:7900" "$T/a.err"

# Both ends of one tunnelled connection: the client side's local address
# is the server side's client.
wait_log a "v4: .*closed (closed)" && wait_log b "in: .*closed (closed)"
local=$(sed -n 's/.* v4: .*closed (closed): .*, local \([0-9.]*:[0-9]*\), .*/\1/p' "$T/a.err" | head -n 1)
check "the connecting side logs its local address" [ -n "$local" ]
check "... which the other side logs as its client" \
	grep -q "in: $local: closed (closed): client $local, server 127.0.0.1:7910, local 127.0.0.1:[0-9]*, " "$T/b.err"

# The backend is gone: what came for it is dropped and counted as such.
"$NP" tcp-client 127.0.0.1 7902 200000 1 >"$T/gone.out" 2>&1
wait_log b "gone: .*closed (backend unavailable)"
check "backend gone: the connection is closed, saying why" [ $? -eq 0 ]
check "... nothing counted as delivered to it" \
	grep -q "gone: .*closed (backend unavailable): .*, server -, local -, .* 0 bytes down, .* 0 messages down, [1-9][0-9]* datagrams dropped" "$T/b.err"
finish
