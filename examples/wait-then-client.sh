#!/bin/sh
# Only the gate, in a script or a CI job: start the server yourself, wait until its endpoint
# answers (exit 124 after --timeout), then run anything against it.
here=$(cd "$(dirname "$0")" && pwd)
port=${PORT:-3000}
PORT=$port node "$here/server.js" &
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
mcp-launch wait --timeout 30s "http://127.0.0.1:$port/mcp" || exit
MCP_SERVER_URL="http://127.0.0.1:$port/mcp" node "$here/client.js"
