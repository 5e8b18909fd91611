/* libFuzzer target: the byte stream — gzip and zstd decompression (detected by magic bytes,
 * also concatenated members), UTF-16 to UTF-8 transcoding (by BOM), peeking, the size and
 * ratio limits, rewinding. The first byte picks the read size. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t reads[] = {1, 3, 17, 4096, 65536};
    struct sl_stream_opts so = {0};
    struct sl_stream *s = NULL;
    struct sl_error err = {0};
    const char *head;
    char *buf;

    if (size < 1) return 0;
    size_t want = reads[data[0] % 5];
    so.max_bytes = 8 << 20; /* a bomb stops here */
    so.label = "fuzz";
    buf = malloc(want);
    if (sl_stream_open_mem(data + 1, size - 1, &so, &s, &err)) {
        FUZZ_CHECK(err.msg[0]);
        goto out;
    }
    for (int pass = 0; pass < 2; pass++) {
        ssize_t got = sl_stream_peek(s, 1 + data[0] * 64, &head, &err);
        if (got > 0) fuzz_touch(head, (size_t)got);
        int64_t total = 0;
        while ((got = sl_stream_read(s, buf, want, &err)) > 0) {
            FUZZ_CHECK((size_t)got <= want);
            fuzz_touch(buf, (size_t)got);
            total += got;
        }
        if (got < 0) FUZZ_CHECK(err.msg[0]);
        FUZZ_CHECK(total <= so.max_bytes);
        char hex[65];
        sl_stream_sha256(s, hex);
        sl_stream_compression(s);
        sl_stream_transcoding(s);
        if (sl_stream_rewind(s, &err)) break;
    }
out:
    sl_stream_close(s);
    free(buf);
    return 0;
}
