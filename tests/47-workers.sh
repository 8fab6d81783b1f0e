#!/bin/sh
# workers = N: N event loops in N processes share the listeners
# (SO_REUSEPORT); the master passes signals on and restarts a worker that
# dies.
. "$(dirname "$0")/lib.sh"
certs
NP=$HELPERS/netpeer
cat >"$T/w.conf" <<CONF
workers = 3
log_level = info

[selftest]
accept  = dtls+sctp://127.0.0.1:8095
connect = echo
cert = $T/server.pem
key  = $T/server.key
ca   = $T/ca.pem
CONF
start w "$BIN" -f "$T/w.conf"
check "master reports 3 workers" wait_log w "notice: 3 workers running"
check "three workers started the service" \
	[ "$(grep -c 'started 1 service' "$T/w.err")" -eq 3 ]
workers() { ps -o pid= --ppid "$(pid_of w)"; }
check "three worker processes" [ "$(workers | wc -l)" -eq 3 ]

for i in $(seq 1 24); do
	"$BIN" -c -h 127.0.0.1 -p 8095 -i 2 -k "$T/client.key" -l "$T/client.pem" \
		--ca "$T/ca.pem" >>"$T/clients.out" 2>&1 || echo "client $i failed" >>"$T/failed"
done
check "24 clients served" [ ! -e "$T/failed" ]
used=$(grep "selftest: 127.0.0.1:[0-9]*: closed (closed)" "$T/w.err" |
	sed 's/.*sctp-dtls\[\([0-9]*\)\].*/\1/' | sort -u | wc -l)
check "associations spread over more than one worker ($used)" [ "$used" -gt 1 ]

kill -HUP "$(pid_of w)"
i=0
while [ "$(grep -c 'reloaded' "$T/w.err")" -lt 3 ] && [ $i -lt 100 ]; do
	i=$((i + 1)); sleep 0.1
done
check "SIGHUP reaches every worker" [ "$(grep -c 'reloaded' "$T/w.err")" -eq 3 ]

victim=$(workers | head -n 1 | tr -d ' ')
kill -KILL "$victim"
check "a killed worker is noticed" wait_log w "worker [0-9] (pid $victim) killed by signal 9"
check "and restarted" wait_log w "worker [0-9] restarted"
sleep 0.5
check "three worker processes again" [ "$(workers | wc -l)" -eq 3 ]
"$BIN" -c -h 127.0.0.1 -p 8095 -i 2 -k "$T/client.key" -l "$T/client.pem" \
	--ca "$T/ca.pem" >/dev/null 2>&1
check "still serving" [ $? -eq 0 ]

stop w
check "SIGTERM: master exits 0 after its workers" [ $? -eq 0 ]
check "no worker left" [ -z "$(ps -o pid= -C sctp-dtls)" ]
finish
