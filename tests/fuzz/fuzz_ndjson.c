/* libFuzzer target: the NDJSON reader (both passes of a load, casting, bronze round trip). The
 * first byte picks the chunk and record limits. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sl_format_opts o;

    if (size < 1) return 0;
    sl_format_opts_init(&o);
    fuzz_small_limits(&o, data[0]);
    sl_format_ndjson.sniff((const char *)data + 1, size - 1);
    fuzz_format(&sl_format_ndjson, data + 1, size - 1, &o);
    return 0;
}
