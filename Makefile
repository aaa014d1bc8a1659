# cabine — plain Makefile. `make` builds ./cabine; `make demo`, `make test`.
# The first build runs scripts/deps.sh, which installs missing Debian
# packages (it is a no-op when they are present).

CC      ?= cc
PREFIX  ?= /usr/local
BUILD   ?= build
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS += -I. -Iinclude -I/usr/include/cjson -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
LDLIBS  := -lglpk -lsqlite3 -lxlsxwriter -lcjson -lnettle -lzip -lexpat -lz -ldeflate -lm -pthread

# Sources by stage (docs/ARCHITECTURE.md): every .c below engine/, keys/,
# reports/ and scenarios/ is part of the library, except the command line
# (engine/cli/), which only the program (and its test build) links.
SRC_DIRS := engine keys reports scenarios
ALL_SRC  := $(shell find $(SRC_DIRS) -name '*.c' | LC_ALL=C sort)
ALL_HDR  := $(shell find include $(SRC_DIRS) -name '*.h')
CLI_SRC  := $(filter engine/cli/%,$(ALL_SRC))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
# The test build of the command line: every object of engine/cli/ but
# main() (entry.c), entered through tests/hooks.c, which sets the
# library's test extension points from CABINE_TEST_* variables (the CLI
# cases whose `bin` file says `hooks`). ./cabine never reads them.
HOOKS_BIN := $(BUILD)/tests/cabine-hooks
HOOKS_OBJ := $(filter-out $(BUILD)/engine/cli/entry.o,$(CLI_OBJ))
LIB_SRC  := $(filter-out engine/cli/%,$(ALL_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
DEPS_OK  := $(BUILD)/.deps-ok
# The messages in French and Dutch (gettext, po/README.md): po/<lang>.po
# compiled into $(BUILD)/locale/<lang>/LC_MESSAGES/cabine.mo, which the
# program finds next to itself (engine/cli/locale.c). `make po` extracts
# the messages of the sources and merges them into every po/*.po.
PO_FILES := $(wildcard po/*.po)
MO_FILES := $(PO_FILES:po/%.po=$(BUILD)/locale/%/LC_MESSAGES/cabine.mo)
# The program the tests run: ./cabine, or build-asan/cabine for check-asan
# (so that a sanitizer build never replaces the user's ./cabine).
BIN     ?= cabine

.PHONY: all deps demo test check-asan bench render format check-format install clean fuzz golden-update po test-slurm samples

all: $(BIN) $(MO_FILES)

$(DEPS_OK): scripts/deps.sh
	@sh scripts/deps.sh
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_OK)

$(BUILD)/%.o: %.c $(DEPS_OK) $(ALL_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c $< -o $@

# The inhabitants' pages embed their CSS and script (reports/site/assets.c).
$(BUILD)/reports/site/assets.o: reports/site/site.css reports/site/site.js

$(BUILD)/locale/%/LC_MESSAGES/cabine.mo: po/%.po $(DEPS_OK)
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

po: $(DEPS_OK)
	sh scripts/po.sh update $(BUILD)

$(BUILD)/libcabine.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(BUILD)/libcabine.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(HOOKS_BIN): tests/hooks.c $(HOOKS_OBJ) $(BUILD)/libcabine.a $(ALL_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ tests/hooks.c $(HOOKS_OBJ) $(BUILD)/libcabine.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/harness.h $(BUILD)/libcabine.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libcabine.a $(LDLIBS)

# Fuzz targets built with a deterministic driver (tests/fuzz/driver.c) so
# that `make test` replays the corpus and a bounded number of mutations.
# `make fuzz` builds them with libFuzzer (clang) for long runs.
$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/driver.c $(BUILD)/libcabine.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/driver.c $(BUILD)/libcabine.a $(LDLIBS)

demo: cabine
	./cabine demo

test: $(BIN) $(HOOKS_BIN) $(TEST_BIN) $(FUZZ_BIN) $(MO_FILES)
	@CABINE_HOOKS=$(HOOKS_BIN) sh tests/run.sh $(BUILD) $(BIN)

# A real single-node Slurm (Debian's slurm-wlm and munge, installed if
# missing) runs a batch as a job array and merges it (tests/slurm/run.sh);
# not part of make test: .ci/run calls it and counts its own result line.
test-slurm: $(BIN)
	@sh tests/slurm/run.sh $(BIN)

check-asan:
	$(MAKE) BUILD=build-asan BIN=build-asan/cabine CC=clang CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" LDFLAGS="-fsanitize=address,undefined" test

fuzz:
	@mkdir -p $(BUILD)/libfuzzer
	for f in $(FUZZ_SRC); do \
	  clang $(CPPFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -o $(BUILD)/libfuzzer/$$(basename $$f .c) $$f $(LIB_SRC) $(LDLIBS) || exit 1; \
	done

bench: cabine
	@LDLIBS="$(LDLIBS)" sh scripts/bench.sh

# The workbooks as LibreOffice prints them: docs/img/*.png, and a check
# that each converts (needs LibreOffice; not part of make test).
render: cabine
	@sh scripts/render.sh

# The synthetic samples of the grid operator's files (docs/operator.md):
# written from cabine's own run of tests/data/samples/operator/.
samples: $(BUILD)/libcabine.a
	@mkdir -p $(BUILD)/scripts
	$(CC) $(CPPFLAGS) -Itests $(WARN) $(CFLAGS) -o $(BUILD)/scripts/gen_operator scripts/gen_operator.c $(BUILD)/libcabine.a $(LDLIBS)
	$(BUILD)/scripts/gen_operator tests/data/samples/operator

golden-update: cabine
	@sh tests/golden-update.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

check-format:
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

install: $(BIN) $(MO_FILES)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 cabine $(DESTDIR)$(PREFIX)/bin/cabine
	for p in $(PO_FILES); do l=$$(basename $$p .po); \
	  install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
	  install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/cabine.mo $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/cabine.mo || exit 1; \
	done

clean:
	rm -rf build build-asan cabine out
