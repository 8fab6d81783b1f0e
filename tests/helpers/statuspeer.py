#!/usr/bin/env python3
"""statuspeer: test peers for the status listener and sd_notify (55-status.sh).

  statuspeer.py notify-recv PATH OUT     receive sd_notify datagrams on the
                                         unix socket PATH; each one becomes a
                                         line of OUT (newlines as '|')
  statuspeer.py hold HOST PORT GO        connect, send 1000 bytes and read
                                         them back ("first ok"); once the
                                         file GO exists, the same again
                                         ("second ok")
  statuspeer.py junk HOST PORT WHAT...   hostile requests, one connection
                                         each; prints "WHAT: " and the status
                                         line or "closed" for each: garbage,
                                         bigheader, post, notfound
  statuspeer.py crowd HOST PORT N SECS   N idle connections (not waiting for
                                         those the server does not accept)
                                         and one slowloris client (a header
                                         byte at a time) for SECS seconds;
                                         prints "done"

Started with python3 -S (no site module): much faster inside UML.
"""
import os
import socket
import sys
import time


def notify_recv(path, out):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(path)
    with open(out, "a", buffering=1) as f:
        while True:
            msg = s.recv(4096).decode(errors="replace")
            f.write(msg.replace("\n", "|") + "\n")


def echo_round(s, n=1000):
    data = os.urandom(n)
    s.sendall(data)
    got = b""
    while len(got) < n:
        b = s.recv(n - len(got))
        if not b:
            return False
        got += b
    return got == data


def hold(host, port, go):
    s = socket.create_connection((host, int(port)), timeout=60)
    print("first ok" if echo_round(s) else "first bad", flush=True)
    while not os.path.exists(go):
        time.sleep(0.1)
    print("second ok" if echo_round(s) else "second bad", flush=True)
    s.close()


def junk(host, port, *whats):
    for what in whats:
        print(what + ": " + junk1(host, port, what), flush=True)


def junk1(host, port, what):
    reqs = {
        "garbage": b"\x16\x03\x01\x02\x00GARBAGE \xff\xfe\r\n\r\n",
        "bigheader": b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: "
        + b"a" * (1 << 20) + b"\r\n\r\n",
        "post": b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5"
        b"\r\n\r\nhello",
        "notfound": b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n",
    }
    s = socket.create_connection((host, int(port)), timeout=30)
    try:
        s.sendall(reqs[what])
    except OSError:
        pass  # the server may close before it read it all
    try:
        line = s.makefile("rb").readline().decode(errors="replace").strip()
    except OSError:
        line = ""
    s.close()
    return line or "closed"


def crowd(host, port, n, secs):
    slow = socket.create_connection((host, int(port)), timeout=30)
    conns = []
    for _ in range(int(n)):
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        c.setblocking(False)
        c.connect_ex((host, int(port)))
        conns.append(c)
    req = b"GET /metrics HTTP/1.1\r\nHost: x\r\n"
    end = time.time() + float(secs)
    i = 0
    while time.time() < end:
        try:
            slow.send(req[i % len(req):i % len(req) + 1])
        except OSError:
            break
        i += 1
        time.sleep(0.2)
    for c in conns:
        c.close()
    slow.close()
    print("done", flush=True)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"notify-recv": notify_recv, "hold": hold, "junk": junk,
     "crowd": crowd}[cmd](*args)


if __name__ == "__main__":
    main()
