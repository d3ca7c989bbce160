# The two commands of the README: `make run` and `make test`.
# Both set everything up first: virtual environment, pinned dependencies,
# compiled catalogs.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PO     := $(wildcard i18n/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)

export QT_QPA_PLATFORM_PLUGIN_PATH :=

.PHONY: run test setup catalogs lint typecheck contracts pytest bench screenshots extract clean \
	package test-package deb test-deb

run: setup
	$(BIN)/station-app gui

test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

bench: setup
	$(BIN)/python -m bench

# Real windows on a virtual X server (Xvfb), every main screen in zh_CN, bo, en.
screenshots: setup
	xvfb-run -a -s "-screen 0 1920x1200x24" env QT_QPA_PLATFORM=xcb QT_QPA_PLATFORM_PLUGIN_PATH= \
		$(BIN)/python tools/screenshots.py screenshots

setup: $(STAMP) catalogs

# The one-folder bundle (PyInstaller): dist/station-app/, runs without Python.
PACKAGE_STAMP := $(VENV)/.package-stamp

$(PACKAGE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[package]'
	touch $(PACKAGE_STAMP)

package: setup $(PACKAGE_STAMP)
	$(BIN)/python packaging/icons.py build/icons
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/station-app.spec
	@du -sh dist/station-app

# The bundle run from a folder outside the repository: demo, printing,
# upgrades of every saved schema, portable mode, start and login.
test-package: setup
	$(BIN)/python packaging/test_package.py dist/station-app

# The Debian package of the bundle (dist/station-app_VERSION_ARCH.deb).
deb:
	packaging/build_deb.sh

# Installs the .deb with apt, runs it, upgrades over an older one, removes it:
# as root, on a Debian machine that may be changed (CI).
test-deb:
	packaging/test_deb.sh

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

catalogs: $(MO)

i18n/%/LC_MESSAGES/messages.mo: i18n/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -d i18n -l $* -i $< -o $@ --statistics

# Re-extract message ids from the code and the Designer forms, and merge them
# into every catalog (developers run this after changing texts).
extract: $(STAMP)
	$(BIN)/pybabel extract -F i18n/babel.cfg -o i18n/messages.pot --add-location=file --sort-output \
		--project station-app --copyright-holder "Station app developers" .
	$(BIN)/pybabel update -i i18n/messages.pot -d i18n --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
	find i18n -name '*.mo' -delete
