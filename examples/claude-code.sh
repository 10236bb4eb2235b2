#!/bin/sh
# Claude Code with the example server on a free port: mcp-launch starts the server, waits until
# its /mcp endpoint answers, then runs `claude --mcp-config <generated file>`. The file holds
# {"mcpServers":{"example":{"type":"http","url":"http://127.0.0.1:<port>/mcp"}}} (mode 0600, in a
# private temp dir removed at exit), so no .mcp.json needs to know the port.
#
#   examples/claude-code.sh                          # interactive Claude Code
#   examples/claude-code.sh -p "list the tools"      # extra arguments go to claude
#   MCP_SERVER_CMD="npm run dev" examples/claude-code.sh
#
# Add --strict-mcp-config after {mcp-config} to ignore every other MCP server Claude Code knows.
here=$(cd "$(dirname "$0")" && pwd)
server=${MCP_SERVER_CMD:-"node '$here/server.js'"}
exec mcp-launch --port auto --name example --server "$server" -- claude --mcp-config={mcp-config} "$@"
