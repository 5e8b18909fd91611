/* Errors: a code and a message, owned by the caller. */
#include <stdio.h>
#include <string.h>

#include "sluice/core.h"

volatile sig_atomic_t sl_interrupted;

int sl_error_set(struct sl_error *e, int code, const char *fmt, ...)
{
    va_list ap;

    if (!e) return code;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    sl_redact_text(e->msg, sizeof e->msg);
    sl_text_printable(e->msg, sizeof e->msg);
    return code;
}

void sl_error_prefix(struct sl_error *e, const char *fmt, ...)
{
    char pre[512], old[sizeof e->msg];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    snprintf(e->msg, sizeof e->msg, "%s: %s", pre, old);
    sl_redact_text(e->msg, sizeof e->msg);
    sl_text_printable(e->msg, sizeof e->msg);
}

int sl_exit_code(int code)
{
    if (code == SL_OK) return 0;
    /* SL_EUNSUPPORTED is an input sluice cannot read (bzip2, a zip archive): its load fails */
    return code == SL_ECONFIG || code == SL_EINVAL ? 2 : 3;
}

const char *sl_strerror(int code)
{
    switch (code) {
    case SL_OK: return "ok";
    case SL_EINVAL: return "invalid argument";
    case SL_EIO: return "input/output error";
    case SL_EFORMAT: return "cannot parse the input";
    case SL_ELIMIT: return "size limit exceeded";
    case SL_ECONFIG: return "configuration error";
    case SL_EDB: return "database error";
    case SL_ENOTFOUND: return "not found";
    case SL_EINTR: return "interrupted";
    case SL_ECHANGED: return "input changed while it was read";
    case SL_EUNSUPPORTED: return "not supported";
    }
    return "unknown error";
}
