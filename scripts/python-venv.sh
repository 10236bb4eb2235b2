#!/usr/bin/env bash
# Part of `npm test`: the Python MCP servers of the real-world matrix (test/e2e-matrix-*.test.ts),
# so the README's one test command sets up everything on a fresh machine.
set -uo pipefail
cd "$(dirname "$0")/.."
# A venv in .venv-matrix/,
# cached by a stamp holding the requirements' hash, bounded in time. pip installs from this machine's
# configured index; --retries 0 so an unreachable default index fails over at once instead of retrying
# each package for minutes. On failure the Python rows of the matrix skip, saying why.
matrix_req=test/fixtures/py-requirements.txt
matrix_venv=.venv-matrix
matrix_hash="$(sha256sum "$matrix_req" | cut -d' ' -f1)"
if [ "$(cat "$matrix_venv/.stamp" 2>/dev/null)" != "$matrix_hash" ]; then
	rm -rf "$matrix_venv"
	mkdir -p .tmp
	if python3 -m venv "$matrix_venv" &&
		timeout 300 "$matrix_venv/bin/pip" install --retries 0 -r "$matrix_req" >.tmp/matrix-pip.log 2>&1; then
		echo "$matrix_hash" >"$matrix_venv/.stamp"
	else
		tail -n 20 .tmp/matrix-pip.log >&2 || true
		echo "warning: could not install the Python matrix servers ($matrix_req); their specs will skip" >&2
		rm -rf "$matrix_venv"
		# In CI a missing Python server is a failure, not a quiet skip.
		[ -z "${CI:-}" ] || exit 1
	fi
fi
exit 0
