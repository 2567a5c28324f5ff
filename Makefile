# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench screenshot seed clean dist deb dist-check

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	$(PY) -m compileall -q liubao_desktop >/dev/null
	touch $(STAMP)

run: $(STAMP)
	@bash scripts/system-packages.sh
	$(PY) main.py $(ARGS)

# pytest exits 5 when it collects nothing; make treats any non-zero exit as failure, so that cannot pass silently.
# -n auto: one pytest-xdist worker per core (each its own process and QApplication); PYTEST_ARGS="-n 0" runs serially.
# --dist loadgroup: tests marked xdist_group stay on one worker (tests/reliability/test_attack.py runs its cases once).
test: $(STAMP)
	@bash scripts/system-packages.sh test
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n auto --dist loadgroup $(PYTEST_ARGS)
	$(PY) -m ruff check liubao_desktop tests bench main.py
	$(VENV)/bin/lint-imports

# ruff, then the import contracts in pyproject.toml ([tool.importlinter]; docs/ARCHITECTURE.md says why).
# lint-imports exits non-zero when a contract is broken, so either one fails the build.
lint: $(STAMP)
	$(PY) -m ruff check liubao_desktop tests bench main.py
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/startup.py
	$(PY) bench/export.py
	$(PY) bench/integrity.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/print.py

screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshot.py docs/main-window.png

# Regenerates db/seed.sql from the plan document (the test suite checks the committed file matches).
seed: $(STAMP)
	$(PY) main.py make-seed --out db/seed.sql

# Installed like office software (README "Installing on office PCs"): the PyInstaller folder dist/liubao/, the
# .deb built from it, and the smoke test of that .deb. PyInstaller is the [dist] extra, never a runtime dependency.
DIST_STAMP := $(VENV)/.dist-stamp
$(DIST_STAMP): $(STAMP)
	$(PY) -m pip install -q -c constraints.txt -e '.[dist]'
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	@bash scripts/system-packages.sh dist
	rm -rf dist/liubao build/pyinstaller
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/liubao.spec
	@echo "dist/liubao: $$(du -sh dist/liubao | cut -f1); the biggest files:"
	@cd dist/liubao && find . -type f -printf '%s %p\n' | sort -rn | head -8 | awk '{printf "  %5.1f MB  %s\n", $$1/1048576, $$2}'

deb: dist
	QT_QPA_PLATFORM=offscreen $(PY) packaging/deb.py
	@ls -l dist/*.deb

# Unpacks the .deb into a temporary root and runs it there with no Python, no environment and no network.
dist-check: deb
	bash packaging/dist_check.sh

clean:
	rm -rf $(VENV) .pytest_cache build dist
