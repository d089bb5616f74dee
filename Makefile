# wijkwaarde — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: install demo serve test test-fast lint format bench mutation mutation-resume mutation-sample messages vendor requirements clean

$(STAMP): requirements/base.txt requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/base.txt -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	BIDS_KEK_CREATE=true $(MANAGE) load_demo
	@echo ""
	@echo "wijkwaarde draait op http://127.0.0.1:8000, met een worker voor taken op de achtergrond  (stoppen: Ctrl+C)"
	bash scripts/serve.sh

# The site and a background worker (run_worker), both stopped by Ctrl+C.
serve: install
	bash scripts/serve.sh

# The whole suite; DATABASE_URL chooses the database (SQLite by default).
test: install
	$(BIN)/pytest -q -n 2 --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python bench/run.py

# Mutation testing of continuity/impact.py against the figure tests of continuity (docs/continuity.md, "Mutation
# testing"; settings in pyproject.toml [tool.mutmut]). Two mutants at a time on SQLite: hours for all of them.
# mutmut keeps results and copies of the tests in mutants/ between runs and would not see changed tests: start afresh.
MUTATION_CHILDREN ?= 2
mutation: install
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	$(BIN)/python scripts/mutation_sample.py summary all

# The whole run takes longer than a working session: `save` keeps the results so far in git with a fingerprint of
# impact.py and its tests; `make mutation-resume` puts them back and runs only the mutants still unchecked.
MUTATION_RESULTS ?= docs/mutation-results.json
mutation-resume: install
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN) continuity.impact.x_hhi__mutmut_1  # generates the mutants, maps the tests
	$(BIN)/python scripts/mutation_sample.py restore $(MUTATION_RESULTS)
	$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	$(BIN)/python scripts/mutation_sample.py save $(MUTATION_RESULTS)
	$(BIN)/python scripts/mutation_sample.py summary all

# The same on a fixed random sample of SAMPLE mutants (seed 14): the same sample each time, about half an hour.
SAMPLE ?= 100
mutation-sample: install
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN) continuity.impact.x_hhi__mutmut_1  # generates the mutants, maps the tests
	$(BIN)/mutmut run --max-children $(MUTATION_CHILDREN) $$($(BIN)/python scripts/mutation_sample.py names $(SAMPLE))
	$(BIN)/python scripts/mutation_sample.py summary $(SAMPLE)

# Update the Dutch translations of every app (edit the .po files), then compile them.
APPS := core audit landscape continuity tenders publication bids evaluation contracts
messages: install
	for app in $(APPS); do mkdir -p $$app/locale; (cd $$app && ../$(BIN)/python ../manage.py makemessages -l nl --no-obsolete --no-location); done
	$(MANAGE) compilemessages --ignore=.venv

vendor:
	bash scripts/vendor.sh

requirements:
	uv pip compile -q requirements/base.in -o requirements/base.txt --python-version 3.11
	uv pip compile -q requirements/dev.in -o requirements/dev.txt --python-version 3.11

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3
