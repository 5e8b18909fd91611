/* libFuzzer target: the CSV/TSV reader with its sniffer (delimiter, quote, header, encoding,
 * BOM), both passes of a load, casting and the bronze round trip. The first byte picks the
 * options (sniffed or given) and the chunk and record limits; the rest is the input. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delims[] = {0, ',', ';', '\t', '|'};
    struct sl_format_opts o;
    uint8_t k0, k1;

    if (size < 2) return 0;
    k0 = data[0];
    k1 = data[1];
    data += 2;
    size -= 2;
    sl_format_opts_init(&o);
    if (k0 & 1) { /* all sniffed: what `sluice load file.csv` does */
        fuzz_small_limits(&o, k1);
    } else {
        o.delimiter = delims[(k0 >> 1) % 5];
        o.quote = (k0 & 0x10) ? ((k0 & 0x20) ? '\'' : 0) : -1;
        o.header = (k0 & 0x40) ? ((k0 & 0x80) ? 1 : 0) : -1;
        o.encoding = (int)(k1 >> 6);
        fuzz_small_limits(&o, k1 & 0x3f);
    }
    sl_format_csv.sniff((const char *)data, size);
    sl_format_tsv.sniff((const char *)data, size);
    sl_format_detect("fuzz", (const char *)data, size);
    fuzz_format((k0 & 0x08) && (k0 & 1) ? &sl_format_tsv : &sl_format_csv, data, size, &o);
    return 0;
}
