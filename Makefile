# Build the book and run every test, starting from a fresh clone.
#
#   make book   create .venv (if missing), install the package with the tested
#               versions of its dependencies, fetch the browser assets with
#               npm, and build the book strictly into _build/html
#   make test   everything `make book` does, plus the Debian packages the tests
#               need, then every test: unit and property tests, doctests, each
#               chapter at smoke size under papermill, and the browser test of
#               the built site
#
# Needs Python >= 3.10 with venv, Node.js with npm, and (for `make test`) a
# Debian-based system where it runs as root or finds the packages installed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
EXTRAS := book,test,torch,data
DEBIAN_PACKAGES := chromium wordnet-base wordnet-sense-index

# The venv's tools (jupyter-book, papermill, the python3 kernel) come first.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# Frozen-module notice of debugpy on Python 3.11, written on every kernel start.
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.DEFAULT_GOAL := help
.PHONY: help env assets book test system-packages constraints clean

help:
	@sed -n '2,12p' Makefile | sed 's/^# \{0,1\}//'

# Reinstalled when pyproject.toml or constraints.txt changes.
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -c constraints.txt -e ".[$(EXTRAS)]"
	touch $@

env: $(VENV)/.installed

# MathJax, RequireJS and the widget manager, copied into book/vendor/ so that
# the site works offline (see tools/vendor_assets.py).
assets: env
	$(PY) tools/vendor_assets.py

# The execution cache keys on the code cells alone; when semconc changes, the
# chapters run again so that every figure and number comes from the new code.
SEMCONC_HASH = $(shell cat $$(find semconc -type f \( -name '*.py' -o -name '*.csv' \) | sort) | sha256sum | cut -c1-16)

book: env assets
	@if [ -d _build/.jupyter_cache ] && \
	   [ "$$(cat _build/.semconc-hash 2>/dev/null)" != "$(SEMCONC_HASH)" ]; then \
	  echo "semconc changed since the last build: every chapter runs again"; \
	  rm -rf _build/.jupyter_cache _build/.doctrees _build/jupyter_execute; \
	fi
	jupyter-book build . -W -n --keep-going
	@mkdir -p _build && echo "$(SEMCONC_HASH)" > _build/.semconc-hash

# Installs only what is missing, as root and without questions.
system-packages:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "missing Debian packages:$$missing (run as root: apt-get install$$missing)" >&2; \
	    exit 1; \
	  fi; \
	  echo "installing Debian packages:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update && apt-get install -y $$missing; \
	fi

test: system-packages book
	$(PY) -m pytest

# Record the versions installed in .venv as the tested set (after a green
# `make test` with new versions). torch is pinned without its local label
# (+cpu), so that the same release resolves from PyPI elsewhere.
constraints: env
	{ echo '# A tested set of versions: pip install -c constraints.txt -e ".[$(EXTRAS)]"'; \
	  echo '# Regenerate from a working .venv with: make constraints'; \
	  $(PY) -m pip freeze --exclude-editable | sed 's/^torch==\([^+]*\)+.*$$/torch==\1/'; \
	} > constraints.txt.new && mv constraints.txt.new constraints.txt

clean:
	rm -rf _build book/vendor
