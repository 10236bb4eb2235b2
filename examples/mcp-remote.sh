#!/bin/sh
# A stdio MCP server for clients that only speak stdio (Claude Desktop, older editors): mcp-launch
# starts the HTTP server, waits for it, then runs mcp-remote, which bridges this process's
# stdin/stdout to http://127.0.0.1:<port>/mcp. mcp-launch writes nothing on stdout, so the
# JSON-RPC stream stays clean; when the client closes stdin, mcp-remote exits and mcp-launch stops
# the server. Use it as the stdio "command" of a client config (see cursor-mcp.json, vscode-mcp.json).
here=$(cd "$(dirname "$0")" && pwd)
exec mcp-launch --quiet --port auto --server "node '$here/server.js'" -- npx -y mcp-remote {url}
