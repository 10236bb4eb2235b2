#!/usr/bin/env bash
# The Windows leg: the win32 specs (test/win32/) under Wine with the Windows node.exe.
#   1. the environment (scripts/wine-env.sh: Wine, mingw, node.exe, a prefix; cached);
#   2. the build with the job helper (dist/win32-x64/mcp-launch-job.exe);
#   3. the specs bundled on Linux with esbuild;
#   4. the CLI killed with `kill -KILL` from Linux, and interrupted by Ctrl-C on a pty (specs check after);
#   5. `wine node.exe --test`, its output to a file (node.exe cannot write to a Unix pipe under
#      Wine 8), printed; the exit status is the specs'.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s%N)
eval "$(bash scripts/wine-env.sh)"
export WINEPREFIX MCP_WINE_NODE WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
node scripts/build.js --require-job-helper >/dev/null
out=$(mktemp -d "${TMPDIR:-/tmp}/mcp-launch-wine-XXXXXX")
cleanup() {
	# Everything left in our prefix is ours; let it end, then make sure.
	timeout 10 wineserver -w 2>/dev/null || wineserver -k 2>/dev/null || true
	rm -rf "$out"
}
trap cleanup EXIT
node scripts/wine-bundle.js "$out"
winpath() { local p=${1//\//\\}; printf 'Z:%s' "$p"; }
export MCP_WIN_ROOT MCP_WIN_JOB_HELPER MCP_WIN_UNDER_WINE=1
MCP_WIN_ROOT=$(winpath "$PWD")
MCP_WIN_JOB_HELPER=$(winpath "$PWD/dist/win32-x64/mcp-launch-job.exe")

# 4. The scenarios that need Linux's hands: the built CLI killed with kill -KILL, and Ctrl-C typed
#    on its pseudo-terminal (scripts/wine-drive.js); the specs check what is left.
export MCP_WIN_DRIVE_OUT
MCP_WIN_DRIVE_OUT=$(winpath "$out/drive")
node scripts/wine-drive.js "$out/drive"

# 5. The specs.
specs=()
for spec in "$out"/*.test.mjs; do specs+=("$(winpath "$spec")"); done
status=0
# Bounded: a test by 120 s, the whole run by 10 minutes (a hang fails the leg, it never holds CI).
timeout -k 10 600 wine "$MCP_WINE_NODE" --test --test-concurrency=1 --test-timeout=120000 --test-reporter=spec "${specs[@]}" >"$out/report.txt" 2>&1 || status=$?
cat "$out/report.txt"
echo "wine-test: node.exe $MCP_WINE_NODE_VERSION under $(wine --version), job helper $(stat -c %s dist/win32-x64/mcp-launch-job.exe) bytes, $(( ($(date +%s%N) - started) / 1000000 )) ms, exit $status"
exit "$status"
