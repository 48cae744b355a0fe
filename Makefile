# make        — set everything up, update the catalogs, build every edition into build/
# make test   — set up what the tests need too, and run them all
# make e2e-weblate — the round trips through a real Weblate (CI runs it after make test)
# make bench  — benchmarks (not part of the tests)
#
# Debian packages are installed with apt-get when missing (as root, or through
# sudo when it is available without a password); otherwise the exact
# apt-get command to run is printed and make stops.

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMPS  := .stamps

# fonts and the libraries WeasyPrint renders with
DEBS_RUN  := fonts-noto-core fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# the real tools the tests prove outputs with
DEBS_TEST := gettext poppler-utils epubcheck default-jre-headless po4a chromium

# the Nu HTML Checker, which the tests validate every HTML page with: the
# npm package ships vnu.jar (its postinstall only fetches a Java runtime, and
# Java is a Debian package above); npm comes with Node.js
VNU_VERSION := 26.9.27
VNU     := .tools/node_modules/vnu-jar/build/dist/vnu.jar
# DAISY Ace, which checks the EPUBs' accessibility in Debian's chromium: no
# install scripts, so neither puppeteer nor electron downloads a browser
ACE_VERSION := 1.4.6
ACE     := .tools/node_modules/.bin/ace-puppeteer

.PHONY: all setup update build test e2e-weblate bench fuzz clean distclean ace

all: build

setup: $(STAMPS)/venv debs-run

debs-run:
	@sh .ci/debs $(DEBS_RUN)

debs-test:
	@sh .ci/debs $(DEBS_TEST)

$(STAMPS)/venv: pyproject.toml
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(VNU):
	@command -v npm >/dev/null 2>&1 || sh .ci/debs nodejs npm
	npm install --silent --no-audit --no-fund --ignore-scripts --prefix .tools vnu-jar@$(VNU_VERSION)
	@test -f $@

update: setup
	$(BIN)/publish update

build: update
	$(BIN)/publish build

$(ACE):
	@command -v npm >/dev/null 2>&1 || sh .ci/debs nodejs npm
	npm install --silent --no-audit --no-fund --ignore-scripts --prefix .tools @daisy/ace@$(ACE_VERSION)
	@test -f $@

ace: $(ACE)

# two processes, a test file each at a time (loadfile: a module's fixtures are
# built once): 6.5 minutes where one process took 8.8 on 2 cores
test: setup debs-test $(VNU) $(ACE)
	VNU_JAR=$(VNU) ACE=$(ACE) $(BIN)/python -m pytest -q -n 2 --dist loadfile

# publish's catalogs through Weblate 5.14.3 and back (tests/weblate/e2e.py):
# Weblate in its own virtual environment under .weblate/ (reused by later
# runs), a private PostgreSQL cluster and the server on 127.0.0.1, all stopped
# when it ends; 5 to 11 minutes cold on 2 cores, 1 to 2 warm
# (bench/results-weblate.md). What Weblate builds from source and runs with:
DEBS_WEBLATE := build-essential pkg-config git gettext postgresql liblz4-dev libzstd-dev libxxhash-dev \
	libacl1-dev libssl-dev libcairo2-dev libgirepository1.0-dev gir1.2-pango-1.0 gir1.2-rsvg-2.0

e2e-weblate: setup
	@sh .ci/debs $(DEBS_WEBLATE)
	$(BIN)/python tests/weblate/e2e.py --python $(PYTHON)

# bench/speed.py measures with GNU time (package time) against po4a and md2po;
# about 20 minutes on 2 cores
bench: setup debs-test
	@sh .ci/debs time
	$(BIN)/python bench/segmenters.py
	$(BIN)/python bench/speed.py

# bounded fuzzing of the PO reader and the Markdown → units → PO → tree path
# (not part of the tests); FUZZ_SECONDS is the time budget for all targets
FUZZ_SECONDS ?= 600
fuzz: setup
	$(BIN)/python fuzz/fuzz_pipeline.py --seconds $(FUZZ_SECONDS)

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) $(STAMPS) .tools .weblate
