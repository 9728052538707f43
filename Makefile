# Makefile — builds libimhe (.a and .so) and build/imhe on it, compiles rules/*.imhe, runs the
# Criterion suite, installs. `make test` and `make demo` first install missing Debian packages (as
# root) so each works alone.
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -I. -I$(GEN)
LDLIBS  := -lyaml -lm -pthread
MIN_FLEX  := 2.6.4
MIN_BISON := 3.5
PKGS    := flex bison libyaml-dev libcriterion-dev man-db groff-base pkg-config python3-jsonschema cmark
# make test-long also renders the HTML reports in a browser and reads the PDFs back.
PKGS_LONG := chromium poppler-utils
# Builds inside make test/demo use every core unless the caller gave make its own -j.
NPROC   := $(shell nproc 2>/dev/null || echo 1)
JOBS     = $(if $(findstring j,$(filter-out --%,$(MAKEFLAGS))),,-j$(NPROC))

# The library's version (include/imhe.h) and the shared library's soname version (its major).
VERSION := $(shell sed -n 's/^\#define IMHE_VERSION_\(MAJOR\|MINOR\|PATCH\) //p' include/imhe.h | paste -sd.)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME  := libimhe.so.$(SOMAJOR)

# make install PREFIX=/usr/local DESTDIR=...; the rules directory is compiled into imhe.
PREFIX     ?= /usr/local
bindir     := $(PREFIX)/bin
libdir     := $(PREFIX)/lib
includedir := $(PREFIX)/include
datadir    := $(PREFIX)/share
rulesdir   := $(datadir)/imhe/rules
mandir     := $(datadir)/man
pkgconfigdir := $(libdir)/pkgconfig

B       := build
GEN     := $(B)/gen
# every .c and .h under a directory, however deep
rwildcard = $(foreach d,$(wildcard $(1:=/*)),$(call rwildcard,$d,$2) $(filter $(subst *,%,$2),$d))
SRC     := $(sort $(call rwildcard,compiler runtime api,*.c))
HDR     := $(sort $(call rwildcard,compiler runtime api include,*.h))
CLI     := $(wildcard cli/*.c)
GENSRC  := $(GEN)/parser.c $(GEN)/lexer.c
LIBOBJ  := $(patsubst %.c,$(B)/obj/%.o,$(SRC)) $(B)/obj/gen/parser.o $(B)/obj/gen/lexer.o
CLIOBJ  := $(patsubst %.c,$(B)/obj/%.o,$(CLI))
# The library's objects serve both libimhe.a and libimhe.so: position-independent, and exporting
# from the .so only what is marked IMHE_API (or, for now, IMHE_INTERNAL_API).
LIBFLAGS := -fPIC -fvisibility=hidden -DIMHE_BUILDING
SHLIB   := $(B)/libimhe.so.$(VERSION)
RULES   := $(wildcard rules/*.imhe)
RULEBIN := $(patsubst rules/%.imhe,$(B)/rules/%.imhec,$(RULES))
TESTSRC := $(wildcard tests/*.c)

SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: report-example
.PHONY: all deps deps-long check-tools test test-long demo sanitize test-sanitize valgrind clean format fuzz fuzz-smoke docs format-check \
  install uninstall readme editors FORCE
all: $(B)/imhe $(B)/libimhe.a $(B)/imhe.pc $(RULEBIN)

# ---- dependencies -------------------------------------------------------
deps deps-long:
	@missing=""; for p in $(if $(filter deps-long,$@),$(PKGS_LONG),$(PKGS)); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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
$(GEN)/parser.c $(GEN)/parser.h &: grammar/parser.y | check-tools
	@mkdir -p $(GEN)
	bison -Wall -Werror --header=$(GEN)/parser.h -o $(GEN)/parser.c $<

$(GEN)/lexer.c $(GEN)/lexer.h &: grammar/lexer.l $(GEN)/parser.h
	@mkdir -p $(GEN)
	flex --header-file=$(GEN)/lexer.h -o $(GEN)/lexer.c $<

$(LIBOBJ): XFLAGS := $(LIBFLAGS)

# The catalogue's text as a C string, built into the compiler for policies written without one.
$(GEN)/catalogue.h: rules/catalogue.imhe
	@mkdir -p $(GEN)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@.tmp && mv $@.tmp $@

$(B)/obj/compiler/compile.o: $(GEN)/catalogue.h

$(B)/obj/gen/%.o: $(GEN)/%.c $(GEN)/parser.h $(GEN)/lexer.h $(HDR) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(XFLAGS) $(CFLAGS) -std=c11 -Wall -Wextra -Werror -Wno-unused-function -Wno-sign-compare -c $< -o $@

$(B)/obj/%.o: %.c $(GEN)/parser.h $(GEN)/lexer.h $(HDR) $(wildcard cli/*.h) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(XFLAGS) $(CFLAGS) $(WARN) -c $< -o $@

$(B)/libimhe.a: $(LIBOBJ)
	rm -f $@ && ar rcs $@ $^

$(SHLIB): $(LIBOBJ)
	$(CC) $(CFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined -o $@ $^ $(LDLIBS)
$(B)/$(SONAME) $(B)/libimhe.so: $(SHLIB)
	ln -sf $(notdir $<) $@

# The policies an installed imhe finds (beside the executable first, see cli/main.c): PREFIX is
# compiled in, so options.o is rebuilt when it changes.
$(B)/prefix: FORCE
	@mkdir -p $(B); echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@
$(B)/obj/cli/options.o: $(B)/prefix
$(B)/obj/cli/options.o: XFLAGS := -DIMHE_RULES_DIR='"$(rulesdir)"'

# The command is the library's first client, linked to the shared library; it finds it beside
# itself in the build tree and in ../lib when installed.
$(B)/imhe: $(CLIOBJ) $(B)/$(SONAME) $(B)/libimhe.so
	$(CC) $(CFLAGS) -o $@ $(CLIOBJ) -L$(B) -limhe -Wl,-rpath,'$$ORIGIN:$$ORIGIN/../lib' $(LDLIBS)

$(B)/imhe.pc: $(B)/prefix include/imhe.h Makefile
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	  'Name: imhe' \
	  'Description: rules engine for the Infant and Early Childhood Mental Health Endorsement' \
	  'Version: $(VERSION)' 'Libs: -L$${libdir} -limhe' 'Libs.private: -lyaml -lm -pthread' \
	  'Cflags: -I$${includedir}' > $@

$(B)/rules/%.imhec: rules/%.imhe $(RULES) $(B)/imhe
	@mkdir -p $(B)/rules
	$(B)/imhe compile $< -o $@

# ---- install ------------------------------------------------------------
# Installs the command, the libraries, the public header, imhe.pc, the policies (sources and
# compiled, timestamps kept so the compiled ones stay current) and the manual pages.
MANPAGES := man/imhe.1 man/imhe-policy.5
install: all
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(libdir) $(DESTDIR)$(includedir) \
	  $(DESTDIR)$(pkgconfigdir) $(DESTDIR)$(rulesdir) $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man5
	install -m 755 $(B)/imhe $(DESTDIR)$(bindir)/imhe
	install -m 644 $(B)/libimhe.a $(DESTDIR)$(libdir)/libimhe.a
	install -m 755 $(SHLIB) $(DESTDIR)$(libdir)/$(notdir $(SHLIB))
	ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(libdir)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(libdir)/libimhe.so
	install -m 644 include/imhe.h $(DESTDIR)$(includedir)/imhe.h
	install -m 644 $(B)/imhe.pc $(DESTDIR)$(pkgconfigdir)/imhe.pc
	install -p -m 644 $(RULES) $(DESTDIR)$(rulesdir)/
	install -p -m 644 $(RULEBIN) $(DESTDIR)$(rulesdir)/
	install -m 644 man/imhe.1 $(DESTDIR)$(mandir)/man1/imhe.1
	install -m 644 man/imhe-policy.5 $(DESTDIR)$(mandir)/man5/imhe-policy.5

uninstall:
	rm -f $(DESTDIR)$(bindir)/imhe $(DESTDIR)$(libdir)/libimhe.a $(DESTDIR)$(libdir)/$(notdir $(SHLIB)) \
	  $(DESTDIR)$(libdir)/$(SONAME) $(DESTDIR)$(libdir)/libimhe.so $(DESTDIR)$(includedir)/imhe.h \
	  $(DESTDIR)$(pkgconfigdir)/imhe.pc $(DESTDIR)$(mandir)/man1/imhe.1 \
	  $(DESTDIR)$(mandir)/man5/imhe-policy.5 \
	  $(patsubst rules/%,$(DESTDIR)$(rulesdir)/%,$(RULES)) \
	  $(patsubst $(B)/rules/%,$(DESTDIR)$(rulesdir)/%,$(RULEBIN))
	rm -f $(DESTDIR)$(rulesdir)/*.imhec
	-rmdir $(DESTDIR)$(rulesdir) $(DESTDIR)$(datadir)/imhe 2>/dev/null

# ---- tests --------------------------------------------------------------
# realloc is wrapped (tests/test_compiler.c) so a test can make one allocation of the library fail.
# Each test file is its own object, so a parallel make compiles them side by side.
TESTOBJ := $(patsubst %.c,$(B)/obj/%.o,$(TESTSRC))
TESTWARN := -Wno-missing-prototypes -Wno-dangling-pointer -Wno-format-truncation
# The tests and the fuzz drivers are compiled without optimisation (a third of the time at -O2);
# the library they test is built as shipped.
TESTOPT := -O0
$(B)/obj/tests/%.o: tests/%.c $(wildcard tests/*.h) $(HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(TESTOPT) $(WARN) $(TESTWARN) -c -o $@ $<
$(B)/tests/run: $(TESTOBJ) $(B)/libimhe.a | $(B)/tests/faultshim.so
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $(TESTOBJ) $(B)/libimhe.a -Wl,--wrap=realloc -lcriterion $(LDLIBS)

# The slow half of the suite, run by make test-long (CI runs both): the fault sweeps of the
# commands that write most, the 100 SIGKILLed checks, the generated pack population and every
# bit flip of a full compiled policy (4 s; the short policy's flips stay in make test), so that
# make test on a fresh clone stays well inside a minute on two cores.
LONG_TESTS := faults/a_killed_*|faults/check_report_*|faults/html_report_*|faults/the_sweeps_*|pack/generated_*|loader/bit_flips_in_a_full_policy

test: deps
	@$(MAKE) --no-print-directory $(JOBS) all $(B)/tests/run $(B)/gen_opcodes $(B)/gen_editors
	@$(B)/gen_opcodes | cmp -s - docs/opcodes.md || { echo "docs/opcodes.md is stale: run make docs"; exit 1; }
	@sh tests/layers.sh $(B)
	@sh tests/funclen.sh -q -n 80 runtime/eval || { echo "functions of runtime/eval over 80 lines:"; \
	  sh tests/funclen.sh -n 80 runtime/eval; exit 1; }
	@sh tests/funclen.sh -q -n 100 || { echo "functions over 100 lines:"; sh tests/funclen.sh -n 100; \
	  exit 1; }
	@sh tests/install.sh $(B)
	@d=tests/data/coverage; sh tests/coverage-uncovered.sh $$d/sample.json $$d/listed.md >/dev/null && \
	  ! sh tests/coverage-uncovered.sh $$d/sample.json $$d/unlisted.md >/dev/null || \
	  { echo "tests/coverage-uncovered.sh does not tell a listed line from an unlisted one"; exit 1; }
	@sh tests/vocab-in-c.sh || { echo "the C sources name the catalogue's codes (above)"; exit 1; }
	@for f in tests/data/vocab/*.c; do ! sh tests/vocab-in-c.sh $$f >/dev/null || \
	  { echo "tests/vocab-in-c.sh does not see the catalogue's word in $$f"; exit 1; }; done
	@$(MAKE) --no-print-directory editors-check
	@IMHE=$(B)/imhe bash docs/samples.sh --check
	IMHE=$(B)/imhe $(B)/tests/run --jobs $(NPROC) --filter '!($(LONG_TESTS))'
	@$(MAKE) --no-print-directory test-policies
	@$(MAKE) --no-print-directory fuzz-smoke >/dev/null
	@if [ -d ../shared/acceptance ]; then IMHE=$(B)/imhe bash ../shared/acceptance/run all; \
	  else echo "acceptance: ../shared/acceptance not present, skipped"; fi
	@echo "make test passed; make test-long runs the fault sweeps, the killed writes, the generated pack"
	@echo "population and the reports rendered in Chromium (CI runs both)"

# The tests too slow for every edit: see LONG_TESTS; the HTML reports printed by headless Chromium
# and read back with pdftotext (tests/render.py).
test-long: deps deps-long
	@$(MAKE) --no-print-directory $(JOBS) all $(B)/tests/run
	IMHE=$(B)/imhe $(B)/tests/run --jobs $(NPROC) --filter '@($(LONG_TESTS))'
	@python3 tests/render.py $(B)/imhe $(B)/render examples/*.yaml

# The shipped policy suites (rules/tests/README.md): an association's by its records' association,
# a base's with --policy; the acceptance suites must be what tests/acceptance/suite.py makes; and
# the example of an association's own category (examples/policies/lk-consultant.imhe, its suite).
POLICY_BASES := catalogue legacy alliance-2025
.PHONY: test-policies
test-policies: all
	$(B)/imhe test rules/tests/wi rules/tests/ct rules/tests/mi rules/tests/acceptance
	@for p in $(POLICY_BASES); do echo "$(B)/imhe test --policy rules/$$p.imhe rules/tests/$$p"; \
	  $(B)/imhe test --policy rules/$$p.imhe rules/tests/$$p || exit 1; done
	$(B)/imhe test --policy examples/policies/lk-consultant.imhe examples/policies/lk-tests.yaml
	@python3 tests/acceptance/suite.py --check

demo: deps
	@$(MAKE) --no-print-directory $(JOBS) all
	@echo "== imhe check examples/*.yaml"
	@$(B)/imhe check examples/*.yaml; rc=$$?; echo "(exit status $$rc: 0 all eligible, 1 some not eligible, 2 some invalid)"

# The sanitized build, with the policies its tests judge by (compiled by the sanitized imhe), so
# that any of its tests can be run alone: IMHE=build/sanitize/imhe build/sanitize/tests/run --filter ...
sanitize:
	@$(MAKE) --no-print-directory B=build/sanitize CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" \
	  CC=$(CC) build/sanitize/imhe build/sanitize/tests/run LDLIBS="$(SAN) $(LDLIBS)"
	@$(MAKE) --no-print-directory B=build/sanitize CFLAGS="-O1 -g $(SAN)" LDLIBS="$(SAN) $(LDLIBS)" build/sanitize/rules/wi.imhec build/sanitize/rules/ct.imhec build/sanitize/rules/mi.imhec

test-sanitize: deps sanitize
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 IMHE=build/sanitize/imhe build/sanitize/tests/run --jobs 1
	@IMHE=build/sanitize/imhe bash docs/samples.sh --check
	@$(MAKE) --no-print-directory B=build/sanitize CFLAGS="-O1 -g $(SAN)" LDLIBS="$(SAN) $(LDLIBS)" editors-check
	@if [ -d ../shared/acceptance ]; then IMHE=build/sanitize/imhe bash ../shared/acceptance/run all; fi
	@$(MAKE) --no-print-directory fuzz-smoke-sanitize

valgrind: all $(B)/tests/run
	valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite -q \
	  $(B)/imhe check --format json tests/acceptance/*/*.yaml >/dev/null; test $$? -ne 3
	valgrind --error-exitcode=3 --leak-check=full -q $(B)/imhe compile rules/mi.imhe -o /tmp/imhe-vg.imhec
	# the deficiency report (its HTML holds the applicants in a temporary file) and recommend
	valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite -q \
	  $(B)/imhe report --format html tests/acceptance/applications/*.yaml >/dev/null; test $$? -ne 3
	valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite -q \
	  $(B)/imhe recommend --format json examples/*.yaml >/dev/null; test $$? -ne 3
	# the library through its API: four threads sharing one policy set, misuse, results walked
	IMHE=$(B)/imhe valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
	  --trace-children=yes -q $(B)/tests/run --filter 'api/*' --jobs 1
	IMHE=$(B)/imhe valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
	  --trace-children=yes -q $(B)/tests/run --filter 'results/*' --jobs 1
	IMHE=$(B)/imhe valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite \
	  --trace-children=yes -q $(B)/tests/run --filter 'staff_api/*' --jobs 1
	valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite -q \
	  $(B)/imhe test --coverage rules/tests/wi tests/policytests >/dev/null; test $$? -ne 3
	valgrind --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite -q \
	  $(B)/imhe diff rules/ct.imhe examples/policies/ct-2025.imhe --records examples/policies/ct-population.yaml \
	  >/dev/null; test $$? -ne 3
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -Iinclude -o $(B)/embed examples/embed/embed.c $(B)/libimhe.a $(LDLIBS)
	valgrind --error-exitcode=3 --leak-check=full -q $(B)/embed rules examples/*.yaml >/dev/null

$(B)/gen_opcodes: docs/gen_opcodes.c $(B)/libimhe.a $(HDR)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $< $(B)/libimhe.a $(LDLIBS)

docs: $(B)/gen_opcodes
	$(B)/gen_opcodes > docs/opcodes.md.tmp && mv docs/opcodes.md.tmp docs/opcodes.md

# The sample outputs in the Markdown pages (<!-- sample: COMMAND --> blocks), printed anew by the
# current build; make test fails with a diff while one is stale.
readme: all
	IMHE=$(B)/imhe bash docs/samples.sh

# The picture of the HTML deficiency report in the README, rendered by headless Chromium.
report-example: deps-long all
	@mkdir -p $(B)/render
	$(B)/imhe report --format html -o $(B)/render/example.html examples/wi-ifs-short-rsc.yaml || test $$? -eq 1
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,1180 \
	  --screenshot=docs/report-example.png file://$(CURDIR)/$(B)/render/example.html 2>/dev/null

# The editor grammars, generated from the keyword and name lists and the catalogue's groups.
EDITOR_FILES := vim:editors/vim/syntax/imhe.vim textmate:editors/vscode/syntaxes/imhe.tmLanguage.json
$(B)/gen_editors: editors/gen_editors.c $(B)/libimhe.a $(HDR)
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

FUZZERS := fuzz_policy fuzz_bytecode fuzz_records fuzz_report fuzz_pack
FUZZSRC := tests/json.c
# UBSan does not recover, so undefined behaviour is a finding like a crash.
FUZZFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz: $(patsubst %,$(B)/fuzz/%,$(FUZZERS))

$(B)/fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZSRC) $(SRC) $(GENSRC) $(GEN)/parser.h $(GEN)/lexer.h $(GEN)/catalogue.h \
  $(HDR) $(wildcard fuzz/*.h tests/json.h)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) $(FUZZFLAGS) -o $@ $< $(FUZZSRC) $(SRC) $(GENSRC) $(LDLIBS)

# Runs each harness over its seed corpus and the test data with the plain driver (no libFuzzer).
fuzz-smoke: $(B)/libimhe.a
	@mkdir -p $(B)/fuzz
	for h in $(FUZZERS); do \
	  $(CC) $(CPPFLAGS) $(CFLAGS) $(TESTOPT) -std=c11 -o $(B)/fuzz/$$h-driver fuzz/$$h.c fuzz/driver.c $(FUZZSRC) \
	    $(B)/libimhe.a $(LDLIBS) || exit 1; done
	$(B)/fuzz/fuzz_policy-driver fuzz/corpus/fuzz_policy/* tests/policies/bad/*.imhe rules/*.imhe
	$(B)/fuzz/fuzz_records-driver fuzz/corpus/fuzz_records/* tests/records/bad/*.yaml examples/*.yaml \
	  tests/policytests/*.yaml rules/tests/*/*.yaml
	$(B)/fuzz/fuzz_bytecode-driver fuzz/corpus/fuzz_bytecode/* $(B)/rules/*.imhec
	$(B)/fuzz/fuzz_report-driver fuzz/corpus/fuzz_report/* tests/acceptance/*/*.yaml
	$(B)/fuzz/fuzz_pack-driver fuzz/corpus/fuzz_pack/*

FORMATTED = $(SRC) $(CLI) $(HDR) $(wildcard cli/*.h) $(TESTSRC) \
  $(wildcard tests/*.h tests/fault/*.c fuzz/fuzz_report.c fuzz/fuzz_pack.c) editors/gen_editors.c
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
	@echo "== uncovered lines, each with its reason in tests/README.md"
	@$(GCOVR) --json $(COVB)/coverage.json && sh tests/coverage-uncovered.sh $(COVB)/coverage.json
