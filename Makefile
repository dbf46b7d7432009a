# The two commands of the README: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
AS_OF ?=

.PHONY: site test serve clean

$(VENV)/.installed-runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt $(VENV)/.installed-runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

## Install, check and build the site from content/ into output/.
site: $(VENV)/.installed-runtime
	$(PY) publish.py build $(if $(AS_OF),--as-of $(AS_OF),)
	@echo "While editing: $(PY) publish.py serve --watch  (serves the site and builds it again on every save)"

## Install and run the whole test suite.
test: $(VENV)/.installed-test
	$(PY) tools/fetch_test_assets.py
	$(PY) -m pytest

serve: $(VENV)/.installed-runtime
	$(PY) publish.py serve

clean:
	rm -rf output .output-* .cache
