# The two commands of the README:
#   make briefing   set up (system packages, .venv) and write out/briefing.pdf and out/briefing.docx
#   make test       set up (plus test tools) and run the tests
.PHONY: briefing test bench clean

briefing:
	@scripts/setup.sh
	.venv/bin/briefing make --format pdf,docx

test:
	@scripts/setup.sh --test
	.venv/bin/python -m pytest

bench:
	@scripts/setup.sh --test
	.venv/bin/python -m pip install -q -e '.[bench]'
	.venv/bin/python bench/run_all.py

clean:
	rm -rf out .pytest_cache .hypothesis
