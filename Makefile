# Makefile — builds build/imhe, compiles rules/*.imhe, runs the Criterion suite.
# `make test` and `make demo` first install missing Debian packages (as root) so each works alone.
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. -I$(GEN)
LDLIBS  := -lyaml -lm -pthread
MIN_FLEX  := 2.6.4
MIN_BISON := 3.5
PKGS    := flex bison libyaml-dev libcriterion-dev

B       := build
GEN     := $(B)/gen
SRC     := $(wildcard compiler/*.c runtime/*.c)
CLI     := $(wildcard cli/*.c)
GENSRC  := $(GEN)/parser.c $(GEN)/lexer.c
OBJ     := $(patsubst %.c,$(B)/obj/%.o,$(SRC) $(CLI)) $(B)/obj/gen/parser.o $(B)/obj/gen/lexer.o
LIBOBJ  := $(filter-out $(B)/obj/cli/main.o,$(OBJ))
RULES   := $(wildcard rules/*.imhe)
RULEBIN := $(patsubst rules/%.imhe,$(B)/rules/%.imhec,$(filter-out rules/catalogue.imhe,$(RULES)))
TESTSRC := $(wildcard tests/*.c)

SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all deps check-tools test demo sanitize test-sanitize valgrind clean format fuzz fuzz-smoke docs format-check \
  readme editors
all: $(B)/imhe $(RULEBIN)

# ---- dependencies -------------------------------------------------------
deps:
	@missing=""; for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null || exit 1; \
	  else echo "missing packages; run: sudo apt-get install$$missing"; exit 1; fi; \
	fi

check-tools:
	@v=$$(flex --version | awk '{print $$2}'); \
	  [ "$$(printf '%s\n%s\n' $(MIN_FLEX) $$v | sort -V | head -n1)" = $(MIN_FLEX) ] || { echo "flex $$v is older than $(MIN_FLEX)"; exit 1; }
	@v=$$(bison --version | head -n1 | awk '{print $$NF}'); \
	  [ "$$(printf '%s\n%s\n' $(MIN_BISON) $$v | sort -V | head -n1)" = $(MIN_BISON) ] || { echo "bison $$v is older than $(MIN_BISON)"; exit 1; }

# ---- build --------------------------------------------------------------
$(GEN)/parser.c $(GEN)/parser.h: grammar/parser.y | check-tools
	@mkdir -p $(GEN)
	bison -Wall -Werror --header=$(GEN)/parser.h -o $(GEN)/parser.c $<

$(GEN)/lexer.c $(GEN)/lexer.h: grammar/lexer.l $(GEN)/parser.h
	@mkdir -p $(GEN)
	flex --header-file=$(GEN)/lexer.h -o $(GEN)/lexer.c $<

$(B)/obj/gen/%.o: $(GEN)/%.c $(GEN)/parser.h $(GEN)/lexer.h compiler/keywords.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -std=c11 -Wall -Wextra -Werror -Wno-unused-function -Wno-sign-compare -c $< -o $@

$(B)/obj/%.o: %.c $(GEN)/parser.h $(GEN)/lexer.h $(wildcard runtime/*.h compiler/*.h cli/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c $< -o $@

$(B)/libimhe.a: $(LIBOBJ)
	ar rcs $@ $^

$(B)/imhe: $(B)/obj/cli/main.o $(B)/libimhe.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/rules/%.imhec: rules/%.imhe $(RULES) $(B)/imhe
	@mkdir -p $(B)/rules
	$(B)/imhe compile $< -o $@

# ---- tests --------------------------------------------------------------
$(B)/tests/run: $(TESTSRC) $(wildcard tests/*.h) $(B)/libimhe.a | $(B)/tests/faultshim.so
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Wno-missing-prototypes -Wno-dangling-pointer -Wno-format-truncation -o $@ $(TESTSRC) $(B)/libimhe.a -lcriterion $(LDLIBS)

test: deps
	@$(MAKE) --no-print-directory all $(B)/tests/run $(B)/gen_opcodes $(B)/gen_editors
	@$(B)/gen_opcodes | cmp -s - docs/opcodes.md || { echo "docs/opcodes.md is stale: run make docs"; exit 1; }
	@$(MAKE) --no-print-directory editors-check
	@IMHE=$(B)/imhe bash docs/samples.sh --check
	IMHE=$(B)/imhe $(B)/tests/run --jobs 2
	@$(MAKE) --no-print-directory fuzz-smoke >/dev/null
	@if [ -d ../shared/acceptance ]; then IMHE=$(B)/imhe bash ../shared/acceptance/run all; \
	  else echo "acceptance: ../shared/acceptance not present, skipped"; fi

demo: deps
	@$(MAKE) --no-print-directory all
	@echo "== imhe check examples/*.yaml"
	@$(B)/imhe check examples/*.yaml; rc=$$?; echo "(exit status $$rc: 0 all eligible, 1 some not eligible, 2 some invalid)"

sanitize:
	@$(MAKE) --no-print-directory B=build/sanitize CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" \
	  CC=$(CC) build/sanitize/imhe build/sanitize/tests/run LDLIBS="$(SAN) $(LDLIBS)"

test-sanitize: deps sanitize
	@$(MAKE) --no-print-directory B=build/sanitize CFLAGS="-O1 -g $(SAN)" LDLIBS="$(SAN) $(LDLIBS)" build/sanitize/rules/wi.imhec build/sanitize/rules/ct.imhec build/sanitize/rules/mi.imhec
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 IMHE=build/sanitize/imhe build/sanitize/tests/run --jobs 1
	@IMHE=build/sanitize/imhe bash docs/samples.sh --check
	@$(MAKE) --no-print-directory B=build/sanitize CFLAGS="-O1 -g $(SAN)" LDLIBS="$(SAN) $(LDLIBS)" editors-check
	@if [ -d ../shared/acceptance ]; then IMHE=build/sanitize/imhe bash ../shared/acceptance/run all; fi
	@$(MAKE) --no-print-directory fuzz-smoke-sanitize

valgrind: all $(B)/tests/run
	valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite -q \
	  $(B)/imhe check --format json tests/acceptance/*/*.yaml >/dev/null; test $$? -ne 3
	valgrind --error-exitcode=3 --leak-check=full -q $(B)/imhe compile rules/mi.imhe -o /tmp/imhe-vg.imhec

$(B)/gen_opcodes: docs/gen_opcodes.c $(B)/libimhe.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(B)/libimhe.a $(LDLIBS)

docs: $(B)/gen_opcodes
	$(B)/gen_opcodes > docs/opcodes.md.tmp && mv docs/opcodes.md.tmp docs/opcodes.md

# The sample outputs in the Markdown pages (<!-- sample: COMMAND --> blocks), printed anew by the
# current build; make test fails with a diff while one is stale.
readme: all
	IMHE=$(B)/imhe bash docs/samples.sh

# The editor grammars, generated from the keyword and name lists and the catalogue's groups.
EDITOR_FILES := vim:editors/vim/syntax/imhe.vim textmate:editors/vscode/syntaxes/imhe.tmLanguage.json
$(B)/gen_editors: editors/gen_editors.c $(B)/libimhe.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(B)/libimhe.a $(LDLIBS)

editors: $(B)/gen_editors
	@for e in $(EDITOR_FILES); do f=$${e#*:}; \
	  $(B)/gen_editors $${e%%:*} rules/catalogue.imhe > $$f.tmp && mv $$f.tmp $$f || exit 1; \
	  echo "wrote $$f"; done

.PHONY: editors-check
editors-check: $(B)/gen_editors
	@for e in $(EDITOR_FILES); do f=$${e#*:}; \
	  $(B)/gen_editors $${e%%:*} rules/catalogue.imhe | diff -u $$f - || \
	  { echo "$$f differs from what editors/gen_editors.c writes: run make editors"; exit 1; }; done

FUZZERS := fuzz_policy fuzz_bytecode fuzz_records fuzz_report
FUZZSRC := tests/json.c
# UBSan does not recover, so undefined behaviour is a finding like a crash.
FUZZFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz: $(patsubst %,$(B)/fuzz/%,$(FUZZERS))

$(B)/fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZSRC) $(SRC) $(GENSRC) $(GEN)/parser.h $(GEN)/lexer.h \
  $(wildcard runtime/*.h compiler/*.h fuzz/*.h tests/json.h)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) $(FUZZFLAGS) -o $@ $< $(FUZZSRC) $(SRC) $(GENSRC) $(LDLIBS)

# Runs each harness over its seed corpus and the test data with the plain driver (no libFuzzer).
fuzz-smoke: $(B)/libimhe.a
	@mkdir -p $(B)/fuzz
	for h in $(FUZZERS); do \
	  $(CC) $(CPPFLAGS) $(CFLAGS) -std=c11 -o $(B)/fuzz/$$h-driver fuzz/$$h.c fuzz/driver.c $(FUZZSRC) \
	    $(B)/libimhe.a $(LDLIBS) || exit 1; done
	$(B)/fuzz/fuzz_policy-driver fuzz/corpus/fuzz_policy/* tests/policies/bad/*.imhe rules/*.imhe
	$(B)/fuzz/fuzz_records-driver fuzz/corpus/fuzz_records/* tests/records/bad/*.yaml examples/*.yaml
	$(B)/fuzz/fuzz_bytecode-driver fuzz/corpus/fuzz_bytecode/* $(B)/rules/*.imhec
	$(B)/fuzz/fuzz_report-driver fuzz/corpus/fuzz_report/* tests/acceptance/*/*.yaml

FORMATTED = $(SRC) $(CLI) $(wildcard runtime/*.h compiler/*.h cli/*.h) $(TESTSRC) \
  $(wildcard tests/*.h tests/fault/*.c fuzz/fuzz_report.c) editors/gen_editors.c
format:
	clang-format -i $(FORMATTED)

format-check:
	clang-format --dry-run -Werror $(FORMATTED)

clean:
	rm -rf build

# The harnesses over their seeds under ASan+UBSan (part of test-sanitize).
.PHONY: fuzz-smoke-sanitize
fuzz-smoke-sanitize:
	@$(MAKE) --no-print-directory B=build/sanitize CFLAGS="-O1 -g $(SAN)" LDLIBS="$(SAN) $(LDLIBS)" \
	  build/sanitize/rules/wi.imhec build/sanitize/rules/ct.imhec build/sanitize/rules/mi.imhec
	ASAN_OPTIONS=detect_leaks=1 $(MAKE) --no-print-directory B=build/sanitize CFLAGS="-O1 -g $(SAN)" \
	  LDLIBS="$(SAN) $(LDLIBS)" fuzz-smoke

# ---- long fuzzing ---------------------------------------------------------
# make fuzz-long FUZZ_SECONDS=3600 [FUZZERS="fuzz_records fuzz_report"]: each harness for that long
# over build/fuzz/corpus/<harness> (seeded from fuzz/corpus/), findings in build/fuzz/crashes/.
FUZZ_SECONDS ?= 3600
.PHONY: fuzz-long
fuzz-long: deps
	@$(MAKE) --no-print-directory all fuzz
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZERS="$(FUZZERS)" B=$(B) bash fuzz/run-long.sh

# ---- fault injection ----------------------------------------------------
# An LD_PRELOAD library that fails the N-th file-system call of a command (tests/fault/shim.c);
# built without sanitizers or coverage so it can be preloaded into any build of imhe.
$(B)/tests/faultshim.so: tests/fault/shim.c
	@mkdir -p $(dir $@)
	$(CC) -shared -fPIC -O2 -g $(WARN) -o $@ $< -ldl

# ---- coverage -----------------------------------------------------------
# An instrumented tree under build/coverage; the suite and the acceptance run there; gcovr prints
# line and branch coverage of compiler/ and runtime/ per file and in total, and writes HTML.
# Only allocation failures are excluded, by GCOVR_EXCL_* markers in the code (see tests/README.md).
COVB    := build/coverage
COVFLAGS := -O0 -g --coverage -fprofile-update=atomic
GCOVR   := gcovr -r . --object-directory $(COVB)/obj --filter 'compiler/' --filter 'runtime/' \
             --exclude-unreachable-branches
.PHONY: coverage
coverage: deps
	@command -v gcovr >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then echo "installing: gcovr"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcovr) >/dev/null || exit 1; \
	  else echo "missing gcovr; run: sudo apt-get install gcovr"; exit 1; fi; }
	@if [ -d $(COVB) ]; then find $(COVB) -name '*.gcda' -delete; fi
	@$(MAKE) --no-print-directory B=$(COVB) CFLAGS="$(COVFLAGS)" LDLIBS="--coverage $(LDLIBS)" \
	  $(COVB)/imhe $(COVB)/tests/run $(COVB)/tests/faultshim.so \
	  $(patsubst $(B)/%,$(COVB)/%,$(RULEBIN))
	@find $(COVB) -name '*.gcda' -delete
	@echo "== the suite, instrumented"
	@IMHE=$(COVB)/imhe IMHE_FAULTSHIM=$(COVB)/tests/faultshim.so $(COVB)/tests/run --jobs 2 || \
	  echo "coverage: some tests failed; the figures below are still measured"
	@if [ -d ../shared/acceptance ]; then IMHE=$(COVB)/imhe bash ../shared/acceptance/run all >/dev/null || \
	  echo "coverage: ../shared/acceptance disagreed"; fi
	@$(GCOVR) --html-details $(COVB)/index.html >/dev/null
	@echo "== line coverage"; $(GCOVR) --txt | sed -n '/^File/,$$p'
	@echo "== branch coverage"; $(GCOVR) --txt --branches | sed -n '/^File/,$$p'
	@echo "HTML report: $(COVB)/index.html"
