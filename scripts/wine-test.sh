#!/usr/bin/env bash
# The Windows leg: the win32 specs (test/win32/) under Wine with the Windows node.exe.
#   1. the environment (scripts/wine-env.sh: Wine, mingw, node.exe, a prefix; cached);
#   2. the build with the job helper (dist/win32-x64/mcp-launch-job.exe);
#   3. the specs bundled on Linux with esbuild;
#   4. a launcher started under Wine and killed with `kill -KILL` from Linux (a spec checks after);
#   5. `wine node.exe --test`, its output to a file (node.exe cannot write to a Unix pipe under
#      Wine 8), printed; the exit status is the specs'.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s%N)
eval "$(bash scripts/wine-env.sh)"
export WINEPREFIX WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
node scripts/build.js --require-job-helper >/dev/null
out=$(mktemp -d "${TMPDIR:-/tmp}/mcp-launch-wine-XXXXXX")
launcher=
cleanup() {
	[ -n "$launcher" ] && kill -KILL "$launcher" 2>/dev/null
	# Everything left in our prefix is ours; let it end, then make sure.
	timeout 10 wineserver -w 2>/dev/null || wineserver -k 2>/dev/null || true
	rm -rf "$out"
}
trap cleanup EXIT
node scripts/wine-bundle.js "$out"
winpath() { local p=${1//\//\\}; printf 'Z:%s' "$p"; }
export MCP_WIN_ROOT MCP_WIN_JOB_HELPER MCP_WIN_UNDER_WINE=1 MCP_WIN_KILLED_STATE
MCP_WIN_ROOT=$(winpath "$PWD")
MCP_WIN_JOB_HELPER=$(winpath "$PWD/dist/win32-x64/mcp-launch-job.exe")

# 4. A launcher killed from Linux: Node runs no code, only the kernel's job can end the tree.
state=$out/killed-state.json
MCP_WIN_KILLED_STATE=$(winpath "$state")
port=$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
wine "$MCP_WINE_NODE" "$(winpath "$out/launcher.mjs")" "$MCP_WIN_KILLED_STATE" "$port" "$MCP_WIN_JOB_HELPER" "$MCP_WIN_ROOT\\test\\fixtures\\win-tree-server.js" >"$out/launcher.log" 2>&1 &
launcher=$!
for _ in $(seq 400); do [ -f "$state" ] && break; kill -0 "$launcher" 2>/dev/null || break; sleep 0.05; done
if [ ! -f "$state" ]; then
	echo "wine-test: the launcher did not report its tree within 20 s:" >&2
	cat "$out/launcher.log" >&2
	exit 1
fi
kill -KILL "$launcher"
wait "$launcher" 2>/dev/null || true
launcher=

# 5. The specs.
specs=()
for spec in "$out"/*.test.mjs; do specs+=("$(winpath "$spec")"); done
status=0
wine "$MCP_WINE_NODE" --test --test-concurrency=1 --test-reporter=spec "${specs[@]}" >"$out/report.txt" 2>&1 || status=$?
cat "$out/report.txt"
echo "wine-test: node.exe $MCP_WINE_NODE_VERSION under $(wine --version), $(( ($(date +%s%N) - started) / 1000000 )) ms, exit $status"
exit "$status"
