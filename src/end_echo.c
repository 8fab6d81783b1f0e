/* end_echo.c: the built-in echo target as an end (end.h). */
#include <stdlib.h>
#include <string.h>

#include "end_echo.h"
#include "log.h"

#define ECHO_MAX 16384

struct echo_end {
	struct end e;
	uint8_t *buf; /* the unit waiting to go back, while busy */
	size_t len;
	struct unit_meta meta;
	unsigned have : 1;
	unsigned eof : 1;
};

static int
echo_open(struct end *e)
{
	(void)e;
	return 1;
}

static ssize_t
echo_read(struct end *e, uint8_t *buf, size_t cap, struct unit_meta *m)
{
	struct echo_end *x = (struct echo_end *)e;
	size_t n;

	if (!x->have)
		return x->eof ? END_EOF : END_AGAIN;
	n = x->len <= cap ? x->len : cap;
	memcpy(buf, x->buf, n);
	*m = x->meta;
	x->have = 0;
	return (ssize_t)n;
}

static ssize_t
echo_write(
    struct end *e, const uint8_t *buf, size_t len, const struct unit_meta *m)
{
	struct echo_end *x = (struct echo_end *)e;

	if (x->have)
		return END_AGAIN;
	if (x->buf == NULL && (x->buf = malloc(ECHO_MAX)) == NULL) {
		log_err(e->who, "out of memory");
		return end_fail(e, R_NOMEM);
	}
	x->len = len <= ECHO_MAX ? len : ECHO_MAX;
	memcpy(x->buf, buf, x->len);
	x->meta = *m;
	x->have = 1;
	return (ssize_t)x->len;
}

static int
echo_finish(struct end *e)
{
	((struct echo_end *)e)->eof = 1;
	return 1;
}

static int
echo_events(const struct end *e, int rd, int wr)
{
	(void)e;
	(void)rd;
	(void)wr;
	return 0;
}

static int
echo_fd(const struct end *e)
{
	(void)e;
	return -1;
}

static void
echo_release(struct end *e)
{
	struct echo_end *x = (struct echo_end *)e;

	if (!x->have) {
		free(x->buf);
		x->buf = NULL;
	}
}

static void
echo_close(struct end *e, int abort)
{
	struct echo_end *x = (struct echo_end *)e;

	(void)abort;
	free(x->buf);
	free(x);
}

static const struct end_ops echo_ops = {
    .kind = "echo",
    .open = echo_open,
    .read = echo_read,
    .write = echo_write,
    .finish = echo_finish,
    .events = echo_events,
    .fd = echo_fd,
    .release = echo_release,
    .close = echo_close,
};

/**
 * end_echo_new(who): an echo end holding one unit of up to 16384 bytes at
 * a time. NULL if out of memory (logged).
 */
struct end *
end_echo_new(const char *who)
{
	struct echo_end *x;

	if ((x = calloc(1, sizeof(*x))) == NULL) {
		log_err(who, "out of memory");
		return NULL;
	}
	end_init(&x->e, &echo_ops, who, NULL);
	return &x->e;
}
