#!/usr/bin/env python3
"""burstecho.py PORT ROUNDS BYTES: against an echo at 127.0.0.1:PORT, send
BYTES in one burst per round (reading only when the send would block), then
send nothing more and wait up to 15 s for the rest of the echo.

Prints "rounds R, stuck S" (S: rounds whose echo did not all come back
within 15 s, each also printed with the bytes that did); stops at the first
stuck round, as its late bytes would spill into the next. Exit 0 if none.
"""
import select
import socket
import sys
import time


def burst(s, data):
    got = bytearray()
    sent = 0
    s.setblocking(False)
    while sent < len(data):
        try:
            sent += s.send(data[sent:sent + 65536])
        except BlockingIOError:
            select.select([s], [s], [], 1)
            try:
                got += s.recv(len(data) - len(got))
            except BlockingIOError:
                pass
    deadline = time.time() + 15
    while len(got) < len(data) and time.time() < deadline:
        rd, _, _ = select.select([s], [], [], 0.2)
        if rd:
            chunk = s.recv(len(data) - len(got))
            if not chunk:
                break
            got += chunk
    return got


def main():
    port, rounds, size = (int(a) for a in sys.argv[1:4])
    s = socket.create_connection(("127.0.0.1", port))
    stuck = 0
    done = 0
    for r in range(rounds):
        data = bytes((r * 7 + i) % 251 for i in range(256)) * (size // 256)
        got = burst(s, data)
        done += 1
        if got != data:
            stuck += 1
            print("round %d: %d of %d bytes back%s" % (
                r, len(got), len(data),
                "" if len(got) < len(data) else ", not the same"))
            break
    print("rounds %d, stuck %d" % (done, stuck))
    return 1 if stuck else 0


sys.exit(main())
