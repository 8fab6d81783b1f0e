/*
 * xstate.so: LD_PRELOAD shim for Debian's linux.uml (tests/uml/run).
 *
 * UML 6.1 saves and restores a process's FPU/vector state with
 * PTRACE_GETREGSET / PTRACE_SETREGSET NT_X86_XSTATE into a buffer sized for
 * the XSAVE features it knows. On hosts whose XSAVE area is larger (AVX-512,
 * AMX) the host refuses a SETREGSET of that size (EFAULT) and UML panics
 * starting init; falling back to FXSAVE (PTRACE_SETFPREGS) boots but, as
 * seen on this project's machines, leaves vector registers corrupted (glibc
 * memcpy and OpenSSL's P-256 computed wrong results). This shim makes both
 * requests whole: it reads the full XSAVE area (size from CPUID leaf 0xd)
 * into a bounce buffer, gives UML the part it asked for, and on SETREGSET
 * writes UML's part back over the full area, so state UML does not know
 * about is kept as the host had it.
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <elf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static size_t full;
static unsigned char *bounce;

static long
raw(long req, long pid, void *addr, void *data)
{
	return syscall(SYS_ptrace, req, pid, addr, data);
}

static long
xstate(long req, long pid, void *addr, struct iovec *iov)
{
	struct iovec big;
	size_t n;

	if (full == 0) {
		unsigned a, b, c, d;

		__cpuid_count(0xd, 0, a, b, c, d);
		full = (b + 63) & ~(size_t)63;
		if ((bounce = aligned_alloc(64, full)) == NULL)
			abort();
	}
	big.iov_base = bounce;
	big.iov_len = full;
	if (raw(PTRACE_GETREGSET, pid, addr, &big) < 0)
		return -1;
	n = iov->iov_len < big.iov_len ? iov->iov_len : big.iov_len;
	if (req == PTRACE_GETREGSET) {
		memcpy(iov->iov_base, bounce, n);
		iov->iov_len = n;
		return 0;
	}
	memcpy(bounce, iov->iov_base, n);
	return raw(PTRACE_SETREGSET, pid, addr, &big);
}

long ptrace(enum __ptrace_request req, ...);

long
ptrace(enum __ptrace_request req, ...)
{
	va_list ap;
	long pid, v;
	void *addr, *data;

	va_start(ap, req);
	pid = va_arg(ap, long);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);
	if ((req == PTRACE_GETREGSET || req == PTRACE_SETREGSET) &&
	    (long)addr == NT_X86_XSTATE)
		return xstate(req, pid, addr, data);
	/* glibc's PEEK requests return the word read. */
	if (req == PTRACE_PEEKTEXT || req == PTRACE_PEEKDATA ||
	    req == PTRACE_PEEKUSER)
		return raw(req, pid, addr, &v) < 0 ? -1 : v;
	return raw(req, pid, addr, data);
}
