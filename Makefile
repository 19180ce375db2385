# `make run` sets up and starts the bot; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -l $* -d locales -D messages

setup: $(VENV)/.installed locales/sv/LC_MESSAGES/messages.mo locales/en/LC_MESSAGES/messages.mo

run: setup
	$(BIN)/python -m bot content check
	$(BIN)/python -m bot run

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check bot tests
	$(BIN)/ruff format --check bot tests
	$(BIN)/mypy bot
