#!/bin/sh
# The MCP Inspector CLI as the client: list the example server's tools once it answers.
# Needs the Inspector installed (npm install --save-dev @modelcontextprotocol/inspector; version 2
# needs Node >= 22.19, version 1 runs on Node 20), or replace `mcp-inspector` with
# `npx @modelcontextprotocol/inspector`.
#
#   examples/inspector.sh                                                   # tools/list
#   examples/inspector.sh --method tools/call --tool-name add --tool-arg a=2 --tool-arg b=3
here=$(cd "$(dirname "$0")" && pwd)
[ $# -eq 0 ] && set -- --method tools/list
exec mcp-launch --port auto --server "node '$here/server.js'" -- mcp-inspector --cli {url} --transport http "$@"
