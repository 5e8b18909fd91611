/* Log lines on stderr, as text or one JSON object per line. */
#include <pthread.h>
#include <stdio.h>

#include "sluice/core.h"

struct sl_log_config sl_log_cfg = {SL_LOG_INFO, 0};
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void sl_log(enum sl_log_level level, const char *fmt, ...)
{
    static const char *names[] = {"error", "warning", "info", "debug"};
    struct sl_buf b = SL_BUF_INIT, msg = SL_BUF_INIT;
    va_list ap;

    if (level > sl_log_cfg.level) return;
    va_start(ap, fmt);
    sl_buf_vaddf(&msg, fmt, ap);
    va_end(ap);
    if (msg.p) { /* secrets and control characters out of every log line (src/core/redact.c) */
        struct sl_buf red = SL_BUF_INIT, shown = SL_BUF_INIT;
        sl_buf_add_redacted(&red, msg.p);
        sl_buf_add_printable(&shown, sl_buf_str(&red), red.len);
        sl_buf_free(&msg);
        sl_buf_free(&red);
        msg = shown;
    }
    if (sl_log_cfg.json) {
        char t[40];
        sl_buf_adds(&b, "{\"time\":");
        sl_buf_json_cstr(&b, sl_time_iso(sl_now(), t, sizeof t));
        sl_buf_addf(&b, ",\"level\":\"%s\",\"msg\":", names[level]);
        sl_buf_json_str(&b, sl_buf_str(&msg), msg.len);
        sl_buf_adds(&b, "}\n");
    } else if (level == SL_LOG_INFO) {
        sl_buf_addf(&b, "%s\n", sl_buf_str(&msg));
    } else {
        sl_buf_addf(&b, "sluice: %s: %s\n", names[level], sl_buf_str(&msg));
    }
    pthread_mutex_lock(&log_lock);
    fwrite(b.p, 1, b.len, stderr);
    fflush(stderr);
    pthread_mutex_unlock(&log_lock);
    sl_buf_free(&b);
    sl_buf_free(&msg);
}
