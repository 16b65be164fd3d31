# The two commands of the README:
#   make briefing   set up (system packages, .venv) and write out/briefing.pdf and out/briefing.docx
#   make test       set up (plus test tools) and run the tests
#   make golden     rewrite the tests' golden files after a deliberate change (asks first)
.PHONY: briefing test golden bench clean

briefing:
	@scripts/setup.sh
	.venv/bin/briefing make --format pdf,docx

test:
	@scripts/setup.sh --test
	.venv/bin/python -m pytest

# Rewrites tests/golden/* and tests/cases/**/*.expected from what the code makes now. It asks for
# "yes" (or takes YES=yes), refuses under CI, and the rewritten tests are reported as skipped.
golden:
	@if [ -n "$${CI:-}" ]; then echo "make golden: refusing under CI; goldens are rewritten by hand and reviewed" >&2; exit 1; fi
	@answer="$(YES)"; \
	if [ -z "$$answer" ]; then printf 'Rewrite every golden file under tests/ from what the code makes now? Type yes: '; read -r answer || true; fi; \
	if [ "$$answer" != yes ]; then echo "make golden: nothing rewritten" >&2; exit 1; fi
	@scripts/setup.sh --test
	.venv/bin/python -m pytest -q -m golden --update-goldens=yes
	@git diff --stat -- tests/golden tests/cases && echo "make golden: review the diff above before committing"

bench:
	@scripts/setup.sh --test
	.venv/bin/python -m pip install -q -e '.[bench]'
	.venv/bin/python bench/run_all.py

clean:
	rm -rf out .pytest_cache .hypothesis
