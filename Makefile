# sluice — `make`, `make demo`, `make test`, `make bench`, `make bench-quick`; see README.md.
#
# Plain `make` (all) installs nothing: it checks that the compiler and the libraries are there
# (scripts/install-deps --check) and says what is missing and how to install it. The other public
# targets first install what is missing (scripts/install-deps). All then build in a sub-make, so
# pkg-config is asked only once the libraries are there.
#
#   build/sluice, build/libsluice.a        release build (-O2)
#   build/asan/...                          tests: -fsanitize=address,undefined
#   build/fuzz/fuzz_*                       libFuzzer targets (clang), tests/fuzz/
#
# BUILD=dir puts the build somewhere else (parallel work trees, helpers). V=1 shows commands.

BUILD   ?= build
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)
CC      ?= cc
PKGS    := sqlite3 yaml-0.1 zlib libzstd libcrypto libpq libpcre2-8 libcurl
# for the unit tests only: a real HTTP server on loopback for the HTTP client's tests
TEST_PKGS := libmicrohttpd
SHELL   := /bin/bash

LIB_SRC := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))

WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral -Wno-format-truncation -Wvla
# No -Isrc: a file of src/M/ includes its own module's private headers by their bare name (found
# beside it) and every other module through include/sluice/ only (scripts/check-modules).
BASE_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread -Iinclude $(WARN) $(PKG_CFLAGS) -MMD -MP
REL_CFLAGS  = -O2 -g $(BASE_CFLAGS)
ASAN_CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fno-sanitize-recover=all $(BASE_CFLAGS)

.PHONY: all deps check-deps demo test bench bench-quick unit build-release build-asan build-fuzz fuzz run-tests format \
        check-format clean conformance

all: check-deps
	@$(MAKE) --no-print-directory build-release

deps:
	@scripts/install-deps

check-deps:
	@CC='$(CC)' scripts/install-deps --check $(PKGS)

demo: deps
	@$(MAKE) --no-print-directory build-release
	@examples/wearable/demo.sh $(BUILD)/sluice

test: deps
	@$(MAKE) --no-print-directory build-release build-asan build-fuzz
	@tests/run $(BUILD)

# every libFuzzer target for FUZZ_SECONDS each, one after another (docs/robustness.md)
FUZZ_SECONDS ?= 60
fuzz: deps
	@$(MAKE) --no-print-directory build-fuzz
	@nice -n 19 tests/fuzz/run $(BUILD) $(FUZZ_SECONDS)

bench: deps
	@$(MAKE) --no-print-directory build-release
	@bench/run $(BUILD)/sluice

# one round of the flights loads and checks against sqlite3 .import, PASS/FAIL per target (< 1 min)
bench-quick: deps
	@$(MAKE) --no-print-directory build-release
	@bench/run --quick $(BUILD)/sluice

# JSON-Schema-Test-Suite: pass rate per draft and per file, then the suite through the CLI
JSONSCHEMA_SUITE ?= ../shared/conformance/json-schema-test-suite
conformance: deps
	@$(MAKE) --no-print-directory build-release $(BUILD)/run-jsonschema
	@$(BUILD)/run-jsonschema $(JSONSCHEMA_SUITE)
	@$(BUILD)/run-jsonschema -c $(BUILD)/sluice $(JSONSCHEMA_SUITE)

# unit tests only (fast loop while developing)
unit: deps
	@$(MAKE) --no-print-directory $(BUILD)/asan/unit-tests
	@$(BUILD)/asan/unit-tests $(T)

format:
	clang-format -i $$(git ls-files '*.c' '*.h') $(wildcard src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h)

check-format:
	@clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

# ---- below: only reached through the sub-make, after deps -------------------------------------

ifneq ($(filter build-release build-asan build-fuzz $(BUILD)/%,$(MAKECMDGOALS)),)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lm
endif
ifneq ($(filter build-asan $(BUILD)/asan/unit-tests,$(MAKECMDGOALS)),)
TEST_PKG_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS))
TEST_PKG_LIBS   := $(shell pkg-config --libs $(TEST_PKGS))
endif

REL_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
ASAN_OBJ := $(LIB_SRC:%.c=$(BUILD)/asan/obj/%.o)
ASAN_CLI := $(CLI_SRC:%.c=$(BUILD)/asan/obj/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/asan/obj/%.o)

build-release: $(BUILD)/libsluice.a $(BUILD)/sluice
build-asan: $(BUILD)/asan/sluice $(BUILD)/asan/unit-tests $(BUILD)/asan/run-jsonschema

$(BUILD)/libsluice.a: $(REL_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/sluice: $(CLI_OBJ) $(BUILD)/libsluice.a
	@echo "  LD      $@"
	$(Q)$(CC) -O2 -g -pthread -o $@ $^ $(PKG_LIBS)

$(BUILD)/asan/libsluice.a: $(ASAN_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/asan/sluice: $(ASAN_CLI) $(BUILD)/asan/libsluice.a
	@echo "  LD      $@"
	$(Q)$(CC) -fsanitize=address,undefined -pthread -o $@ $^ $(PKG_LIBS)

$(UNIT_OBJ): PKG_CFLAGS += $(TEST_PKG_CFLAGS)
$(BUILD)/asan/unit-tests: $(UNIT_OBJ) $(BUILD)/asan/libsluice.a
	@echo "  LD      $@"
	$(Q)$(CC) -fsanitize=address,undefined -pthread -o $@ $^ $(PKG_LIBS) $(TEST_PKG_LIBS)

$(BUILD)/run-jsonschema: $(BUILD)/obj/tests/conformance/run-jsonschema.o $(BUILD)/libsluice.a
	@echo "  LD      $@"
	$(Q)$(CC) -O2 -g -pthread -o $@ $^ $(PKG_LIBS)

$(BUILD)/asan/run-jsonschema: $(BUILD)/asan/obj/tests/conformance/run-jsonschema.o $(BUILD)/asan/libsluice.a
	@echo "  LD      $@"
	$(Q)$(CC) -fsanitize=address,undefined -pthread -o $@ $^ $(PKG_LIBS)

# ---- fuzzing: the library again, built by clang with coverage for libFuzzer ----------------
# One target per parser or decoder, each with a seed corpus under tests/fuzz/corpus/<target>/.
FUZZ_TARGETS := csv ndjson json config tableschema jsonschema transform cast stream raw
FUZZ_CC      := clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS   = -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
                -Wno-unknown-warning-option $(BASE_CFLAGS)
FUZZ_OBJ     := $(LIB_SRC:%.c=$(BUILD)/fuzz/obj/%.o)
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)

build-fuzz: $(FUZZ_BIN)
.SECONDARY: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/obj/tests/fuzz/fuzz_%.o)

$(BUILD)/fuzz/libsluice.a: $(FUZZ_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzz/obj/tests/fuzz/fuzz_%.o $(BUILD)/fuzz/libsluice.a
	@echo "  LD      $@"
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -pthread -o $@ $^ $(PKG_LIBS)

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $< (fuzz)"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# White-box tests may include a module's private header as "M/x.h"; the library may not.
$(BUILD)/obj/tests/%.o $(BUILD)/asan/obj/tests/%.o $(BUILD)/fuzz/obj/tests/%.o: BASE_CFLAGS += -Isrc

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(REL_CFLAGS) -c -o $@ $<

$(BUILD)/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $< (asan)"
	$(Q)$(CC) $(ASAN_CFLAGS) -c -o $@ $<

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
