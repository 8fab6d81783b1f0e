#!/bin/sh
# A kernel without SCTP: every service that needs it is refused at start
# and by -t, with the message that says what to do, whichever side speaks
# SCTP (a client-side service used to start "OK" and then fail each
# connection). tests/run-all runs it in a UML kernel without the sctp
# module (UML_NO_SCTP=1, tests/uml/run).
. "$(dirname "$0")/lib.sh"
certs
check "this kernel has no SCTP (tests/run-all: UML_NO_SCTP=1)" \
	sh -c "! grep -q '^sctp ' /proc/modules && ! checksctp"

conf() { # accept connect
	cat >"$T/n.conf" <<CONF
[svc]
accept  = $1
connect = $2
cert = $T/client.pem
key  = $T/client.key
ca   = $T/ca.pem
CONF
}
conf tcp://127.0.0.1:7900 dtls+sctp://127.0.0.1:5900
MSG="this kernel has no SCTP support: load the sctp module (modprobe sctp)"
"$BIN" -t -f "$T/n.conf" >"$T/t1.out" 2>"$T/t1.err"
check "-t: client side without SCTP: exit 1" [ $? -eq 1 ]
check "-t: ... says what to do" grep -q "svc: connect: $MSG" "$T/t1.err"
check "-t: ... and not OK" [ ! -s "$T/t1.out" ]
start c "$BIN" -f "$T/n.conf"
wait_exit c 10
check "start: client side without SCTP: refused" [ $? -eq 1 ]
check "start: ... says what to do" grep -q "svc: connect: $MSG" "$T/c.err"
check "start: ... and never says started" sh -c "! grep -q started '$T/c.err'"

conf sctp://127.0.0.1:3868 dtls+sctp://127.0.0.1:5900
start g "$BIN" -f "$T/n.conf"
wait_exit g 10
check "start: SCTP gateway without SCTP: refused" [ $? -eq 1 ]
check "start: ... says what to do" grep -q "svc: accept: $MSG" "$T/g.err"
finish
