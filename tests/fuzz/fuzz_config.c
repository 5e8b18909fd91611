/* libFuzzer target: the sluice.yaml loader (libyaml events → document tree → sources, options,
 * sizes, ${VAR} interpolation). The loader reads a file, so each input is written to a private
 * temporary directory first. */
#include <unistd.h>

#include "fuzz.h"
#include "sluice/config.h"

static char path[256], dir[64];

/* the temporary directory goes when the fuzzer ends (not after a crash: it may help then) */
static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sl_config *cfg = NULL;
    struct sl_error err = {0};
    FILE *f;

    if (!path[0]) {
        snprintf(dir, sizeof dir, "/tmp/sluice-fuzz-config-XXXXXX");
        FUZZ_CHECK(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/sluice.yaml", dir);
        setenv("FUZZ_VAR", "value", 1);
        atexit(cleanup);
    }
    FUZZ_CHECK((f = fopen(path, "wb")));
    FUZZ_CHECK(fwrite(data, 1, size, f) == size || size == 0);
    fclose(f);
    if (sl_config_load(path, &cfg, &err) == 0) {
        for (size_t i = 0; i < cfg->nsources; i++)
            FUZZ_CHECK(sl_config_source(cfg, cfg->sources[i].name) != NULL);
        sl_config_free(cfg);
    } else {
        FUZZ_CHECK(err.msg[0]);
    }
    return 0;
}
