# fangzhi: `make` builds build/fangzhi; `make check` runs every test (plain,
# then under AddressSanitizer + UBSan); `make demo` builds and serves the
# sample archive. Both install the Debian packages they need (tools/deps.sh).

BUILD   ?= build
SAN     ?= 0
CC      ?= cc
PKGS    := sqlite3 libmicrohttpd opencc jansson libutf8proc libcrypto zlib libzstd libxml-2.0

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wno-unused-parameter
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP -I$(BUILD)/gen -Isrc \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
CFLAGS  += $(EXTRA_CFLAGS)
ifeq ($(WERROR),1)
CFLAGS  += -Werror
endif
ifeq ($(SAN),1)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

LIB_SRC := $(wildcard src/base/*.c src/text/*.c src/store/*.c src/ingest/*.c src/web/*.c src/export/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
GEN_SRC := $(BUILD)/gen/fold_table.c $(BUILD)/gen/static_files.c
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_SRC:%.c=%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%) \
            $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/tests/test_fuzz_%)
STATIC  := $(wildcard static/* templates/*)

.PHONY: all deps check test test-unit test-e2e demo lint bench bench-site fuzz clean
all: $(BUILD)/fangzhi

deps:
	@sh tools/deps.sh

$(BUILD)/fangzhi: $(CLI_OBJ) $(BUILD)/libfangzhi.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libfangzhi.a $(LDLIBS)

$(BUILD)/libfangzhi.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%.o: %.c | $(BUILD)/gen/fold_table.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(CFLAGS) -c -o $@ $<

# The folding table is generated from OpenCC's and utf8proc's data at build
# time (tools/gen_fold.c), so folding costs no start-up work.
$(BUILD)/tools/gen_fold: tools/gen_fold.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -o $@ $< $(shell pkg-config --cflags --libs opencc libutf8proc)

$(BUILD)/gen/fold_table.c: $(BUILD)/tools/gen_fold
	@mkdir -p $(dir $@)
	$(BUILD)/tools/gen_fold > $@.tmp && mv $@.tmp $@

# Static files and templates are embedded into the binary: no request path
# ever reaches the file system.
$(BUILD)/gen/static_files.c: tools/embed.sh $(STATIC)
	@mkdir -p $(dir $@)
	sh tools/embed.sh $(STATIC) > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libfangzhi.a tests/unit/testlib.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libfangzhi.a $(LDLIBS) -lcmocka

# Each fuzz target doubles as a unit test that replays its saved corpus.
$(BUILD)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libfangzhi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DFUZZ_CORPUS='"tests/fuzz/corpus/$*"' $(LDFLAGS) -o $@ \
	    tests/fuzz/replay.c $< $(BUILD)/libfangzhi.a $(LDLIBS) -lcmocka

# libFuzzer over each target for FUZZ_SECONDS. New inputs go to
# build/fuzz/corpus_<target>; a crasher worth keeping is copied by hand into
# tests/fuzz/corpus/<target>/, which make check replays.
FUZZ_SECONDS ?= 60
fuzz:
	$(MAKE) BUILD=build/fuzz CC=clang SAN=1 EXTRA_CFLAGS=-fsanitize=fuzzer-no-link build/fuzz/libfangzhi.a
	@for t in $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%); do \
	    clang $(CFLAGS) -fsanitize=fuzzer,address,undefined -o build/fuzz/fuzz_$$t \
	        tests/fuzz/fuzz_$$t.c build/fuzz/libfangzhi.a $(LDLIBS) && \
	    mkdir -p build/fuzz/corpus_$$t && \
	    build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	        -artifact_prefix=build/fuzz/ build/fuzz/corpus_$$t tests/fuzz/corpus/$$t || exit 1; \
	done

test-unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(BUILD)

# The crawl generator renders the shared corpus as lib.sdsqw.cn served it.
$(BUILD)/tests/gen_crawl: tests/gen_crawl.c tests/gen_hostile.c $(BUILD)/libfangzhi.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/gen_crawl.c tests/gen_hostile.c \
	    $(BUILD)/libfangzhi.a $(LDLIBS)

test-e2e: $(BUILD)/fangzhi $(BUILD)/tests/gen_crawl
	@sh tests/run-e2e.sh $(BUILD)

test: test-unit test-e2e

# Everything twice: plain, then under AddressSanitizer and UBSan.
check: deps
	$(MAKE) WERROR=1 all $(UNIT_BIN) $(BUILD)/tests/gen_crawl
	$(MAKE) BUILD=build/san SAN=1 WERROR=1 all build/san/fangzhi \
	    $(UNIT_BIN:$(BUILD)/%=build/san/%) build/san/tests/gen_crawl
	@sh tests/run-all.sh $(BUILD) build/san

demo: deps all
	@sh tools/demo.sh $(BUILD)

# bench: search (bench/search/), then the site over HTTP beside nginx and kiwix-serve
# (bench/site/, about 6 minutes; bench-site runs it alone).
bench: all
	@sh tools/deps.sh bench
	@sh bench/search/run.sh $(BUILD)
	@sh bench/site/run.sh $(BUILD)

bench-site: all
	@sh tools/deps.sh bench
	@sh bench/site/run.sh $(BUILD)

lint:
	@sh tools/lint.sh

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
