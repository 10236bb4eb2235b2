# Shell shortcuts for mcp-launch. Source this file from ~/.bashrc or ~/.zshrc:
#   . /path/to/examples/shell-alias.sh
#
# mcp-dev <client> [args...]: your project's `npm run dev` MCP server on a free port (PORT and {port}),
# gated, then the client; {url}, {port} and {mcp-config} work in the client's arguments.
#   mcp-dev claude --mcp-config={mcp-config}
#   mcp-dev node client.js {url}
alias mcp-dev='mcp-launch --port auto --server npm:dev --'

# with_mcp "<server command>" <client> [args...]: any server command, same gate.
#   with_mcp "python -m my_server --port {port}" claude --mcp-config={mcp-config}
with_mcp() {
	with_mcp_server=$1
	shift
	mcp-launch --port auto --server "$with_mcp_server" -- "$@"
}
