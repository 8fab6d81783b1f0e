#!/bin/sh
# tests/fuzz/corpus-record.sh: (re)write the seed corpus of fuzz_record in
# corpus/record/. Each input is both one SCTP message and a list of pieces
# (see fuzz_record.c); the piece-*.bin files are written for the latter.
set -eu
cd "$(dirname "$0")/corpus/record"

# DTLS 1.2 record header: type, version fe fd, epoch, sequence number.
hdr() { # type epoch: without the length
	printf "\\$(printf %o "$1")\\376\\375\\000\\$(printf %o "$2")"
	printf '\000\000\000\000\000\001'
}
len16() { printf "\\$(printf %o $(($1 >> 8)))\\$(printf %o $(($1 & 255)))"; }

# A ClientHello (54 bytes of body: 12 handshake header, 42 hello).
hello() {
	hdr 22 0; len16 54
	printf '\001\000\000\052\000\000\000\000\000\000\000\052\376\375'
	printf 'RANDOMRANDOMRANDOMRANDOMRANDOM32'
	printf '\000\000\000\002\300\053\001\000'
}
appdata() { hdr 23 1; len16 24; printf 'encrypted application...'; }
ccs() { hdr 20 0; len16 1; printf '\001'; }
finished() { hdr 22 1; len16 40; printf '%040d' 0; }

hello >handshake.bin
appdata >appdata.bin
{ ccs; finished; } >two-records.bin
hello | head -c 40 >truncated.bin
{ hdr 23 1; printf '\377\377'; printf 'short'; } >oversized-length.bin
printf 'GET / HTTP/1.0\r\nHost: x\r\n\r\n' >garbage.bin
{ hdr 24 0; len16 3; printf 'hb!'; } >unknown-type.bin

# Pieces: control byte (bit 0 end, bit 1 in place, bit 2 long, bits 3..7
# short length or fill byte), then the bytes.
# The ClientHello in three pieces, 31 + 31 + 5 bytes, the middle in place.
{
	printf '\370'; hello | head -c 31
	printf '\372'; hello | tail -c +32 | head -c 31
	printf '\051'; hello | tail -c 5
} >piece-hello-split.bin
# The largest message: 18445 bytes, the body filled with zeros.
{ printf '\005'; len16 18445; hdr 23 1; len16 18432; } >piece-max.bin
# One byte more, in place, without the end: refused before the end.
{ printf '\006'; len16 18446; hdr 23 1; len16 18433; } >piece-too-big.bin
# A refused message, then a whole one.
{ printf '\031GET'; printf '\005'; len16 14; ccs; } >piece-refused-then-ok.bin
