/*
 * Is an input data text at all? The first block of the decompressed input is looked at for
 * the signatures of archives, documents, images, executables and databases, then for the
 * control bytes (NUL and the like) that text does not hold. Signatures that could begin a
 * CSV header (PAR1, ORC, ID3) are left to the control-byte count. What is found is named, so the
 * refusal can say what the file is and what to do with it.
 */
#include <stdio.h>
#include <string.h>

#include "sluice/stream.h"

struct magic {
    size_t off;
    const char *bytes;
    size_t n;
    const char *what;
    const char *todo; /* what to do instead, or NULL */
};

#define M(off, s, what, todo)            \
    {                                    \
        off, s, sizeof s - 1, what, todo \
    }

static const struct magic magics[] = {
    M(257, "ustar\0", "a tar archive", "extract it first (tar -xf) and load the files it holds"),
    M(257, "ustar  \0", "a tar archive", "extract it first (tar -xf) and load the files it holds"),
    M(0, "\x1f\x8b", "gzip data", "decompress it first (gunzip; twice if it was compressed twice)"),
    M(0, "\x28\xb5\x2f\xfd", "zstd data", "decompress it first (unzstd)"),
    M(0, "BZh", "bzip2 data", "decompress it first (bunzip2)"),
    M(0, "\xfd\x37\x7a\x58\x5a\x00", "xz data", "decompress it first (unxz)"),
    M(0, "PK\3\4", "a zip archive", "extract it first (unzip)"),
    M(0, "PK\5\6", "an empty zip archive", NULL),
    M(0, "7z\xbc\xaf\x27\x1c", "a 7z archive", "extract it first (7z x)"),
    M(0, "Rar!\x1a\x07", "a RAR archive", "extract it first"),
    M(0, "\x04\x22\x4d\x18", "lz4 data", "decompress it first (unlz4)"),
    M(0, "LZIP", "lzip data", "decompress it first (lzip -d)"),
    M(0, "\x1f\x9d", "compress (.Z) data", "decompress it first (uncompress)"),
    M(0, "!<arch>\n", "an ar archive (a .deb package?)", NULL),
    M(0, "\xed\xab\xee\xdb", "an RPM package", NULL),
    M(0, "%PDF-", "a PDF document", NULL),
    M(0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office (OLE2) document such as .xls",
      "export it as CSV first"),
    M(0, "{\\rtf1", "an RTF document", NULL),
    M(0, "\x89PNG\r\n\x1a\n", "a PNG image", NULL),
    M(0, "\xff\xd8\xff", "a JPEG image", NULL),
    M(0, "GIF87a", "a GIF image", NULL),
    M(0, "GIF89a", "a GIF image", NULL),
    M(0, "II*\0", "a TIFF image", NULL),
    M(0, "MM\0*", "a TIFF image", NULL),
    M(8, "WEBP", "a WebP image", NULL),
    M(0,
      "\x7f"
      "ELF",
      "an ELF executable or library", NULL),
    M(0, "\xca\xfe\xba\xbe", "a Java class or Mach-O file", NULL),
    M(0, "\xcf\xfa\xed\xfe", "a Mach-O executable", NULL),
    M(0, "\0asm", "a WebAssembly module", NULL),
    M(0, "SQLite format 3\0", "an SQLite database", "query it with sqlite3 and export CSV"),
    M(0, "Obj\x01", "an Avro file", NULL),
    M(0, "\x93NUMPY", "a NumPy array file", NULL),
    M(0, "\x89HDF\r\n\x1a\n", "an HDF5 file", NULL),
    M(0, "OggS", "an Ogg media file", NULL),
    M(0, "fLaC", "a FLAC audio file", NULL),
    M(0, "\x1a\x45\xdf\xa3", "a Matroska/WebM media file", NULL),
};

/* A tar header without the ustar magic (old v7 tar): its checksum field matches. */
static int tar_v7(const unsigned char *p, size_t n)
{
    if (n < 512) return 0;
    unsigned sum = 0, want = 0;
    for (size_t i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : p[i];
    size_t i = 148;
    while (i < 156 && p[i] == ' ') i++;
    size_t d0 = i;
    while (i < 156 && p[i] >= '0' && p[i] <= '7') want = want * 8 + (unsigned)(p[i++] - '0');
    if (i == d0 || (i < 156 && p[i] != 0 && p[i] != ' ')) return 0;
    /* a name, and a checksum over more than blanks */
    return p[0] && sum == want && sum > 8 * ' ' + 256;
}

int sl_binary_check(const char *head, size_t n, char *why, size_t whylen, const char **todo)
{
    const unsigned char *p = (const unsigned char *)head;

    why[0] = '\0';
    *todo = NULL;
    for (size_t i = 0; i < sizeof magics / sizeof *magics; i++) {
        const struct magic *m = &magics[i];
        if (n >= m->off + m->n && !memcmp(p + m->off, m->bytes, m->n)) {
            /* RIFF....WEBP: the RIFF at 0 too */
            if (m->off == 8 && memcmp(p, "RIFF", 4)) continue;
            snprintf(why, whylen, "%s", m->what);
            *todo = m->todo;
            return 1;
        }
    }
    if (tar_v7(p, n)) {
        snprintf(why, whylen, "a tar archive");
        *todo = "extract it first (tar -xf) and load the files it holds";
        return 1;
    }

    /* Control bytes text never holds: NUL and C0 codes but tab, LF, VT, FF, CR and ESC. A few
     * are bad records of a text file (each rejected on its own); many are a binary file. */
    size_t ctrl = 0, nul_even = 0, nul_odd = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c >= 0x20 || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x1b)
            continue;
        ctrl++;
        if (c == 0) {
            if (i & 1)
                nul_odd++;
            else
                nul_even++;
        }
    }
    if (ctrl >= 8 && (ctrl * 20 >= n || (ctrl >= 64 && ctrl * 100 >= n))) {
        /* UTF-16 without a BOM: NULs in every other byte */
        size_t nuls = nul_even + nul_odd;
        if (nuls * 3 >= n && (nul_even * 10 <= nuls || nul_odd * 10 <= nuls)) {
            int le = nul_odd > nul_even;
            snprintf(why, whylen, "text in UTF-16%s without a byte order mark", le ? "LE" : "BE");
            *todo = le ? "convert it to UTF-8 first (iconv -f UTF-16LE -t UTF-8)"
                       : "convert it to UTF-8 first (iconv -f UTF-16BE -t UTF-8)";
            return 1;
        }
        snprintf(why, whylen,
                 "binary content (%zu control bytes such as NUL in the first %zu bytes)", ctrl, n);
        return 1;
    }
    return 0;
}
