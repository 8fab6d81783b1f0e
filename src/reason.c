/* reason.c: why connections end, and what follows from it. */
#include "log.h"
#include "reason.h"

static const struct {
	const char *text;
	int abort;
} reasons[R_COUNT] = {
    [R_NONE] = {"-", 0},
    [R_CLOSED] = {"closed", 0},
    [R_IDLE_TIMEOUT] = {"idle timeout", 0},
    [R_BACKEND_UNAVAILABLE] = {"backend unavailable", 0},
    [R_BACKEND_UNREACHABLE] = {"backend unreachable", 1},
    [R_CLOSE_TIMEOUT] = {"close timeout", 1},
    [R_HANDSHAKE_FAILED] = {"handshake failed", 1},
    [R_HANDSHAKE_TIMEOUT] = {"handshake timeout", 1},
    [R_PEER_UNREACHABLE] = {"DTLS/SCTP peer unreachable", 1},
    [R_PEER_REFUSED] = {"DTLS/SCTP peer refused", 1},
    [R_REFUSED] = {"refused", 1},
    [R_PLAIN_RESET] = {"plaintext side reset", 1},
    [R_PLAIN_FAILED] = {"plaintext side failed", 1},
    [R_PLAIN_LOST] = {"plaintext association lost", 1},
    [R_TOO_LARGE] = {"message too large", 1},
    [R_NO_STREAM] = {"no such stream", 1},
    [R_PEER_ABORTED] = {"DTLS/SCTP peer aborted", 1},
    [R_DTLS_READ] = {"DTLS read failed", 1},
    [R_DTLS_WRITE] = {"DTLS write failed", 1},
    [R_CLOSE_NOTIFY] = {"close_notify failed", 1},
    [R_NOMEM] = {"out of memory", 1},
    [R_SHUTDOWN] = {"shutting down", 1},
    [R_REKEY_FAILED] = {"renegotiation failed", 1},
    /* Shut down, not aborted: the no_renegotiation alert goes first. */
    [R_REKEY_REFUSED] = {"renegotiation refused", 0},
    [R_PEER_LOST] = {"DTLS/SCTP association lost", 1},
    [R_PEER_RESTARTED] = {"peer restarted", 1},
    [R_PPID_RESERVED] = {"PPID reserved by ppid_map", 1},
    [R_UNDELIVERABLE] = {"undeliverable: plaintext peer shut down", 1},
    [R_PEER_TURNED_AWAY] = {"DTLS/SCTP peer aborted at once", 1},
};

/** reason_text(r): the words of ${r} in the summary line. */
const char *
reason_text(enum reason r)
{
	return r < R_COUNT ? reasons[r].text : "?";
}

/** reason_aborts(r): non-zero if ${r} aborts the ends (RST, ABORT). */
int
reason_aborts(enum reason r)
{
	return r < R_COUNT ? reasons[r].abort : 1;
}

/** reason_level(r): the log level (log.h) of the summary line for ${r}. */
int
reason_level(enum reason r)
{
	return reason_aborts(r) ? LOG_LVL_NOTICE : LOG_LVL_INFO;
}
