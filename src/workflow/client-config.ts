import {readFileSync} from 'node:fs';

/**
 * `--from <file>:<name>`: the URL of server NAME in an existing client config:
 * Claude Code `.mcp.json` and Cursor `.cursor/mcp.json` (`mcpServers.NAME.url`),
 * VS Code `.vscode/mcp.json` (`servers.NAME.url`), Windsurf (`serverUrl`), Gemini CLI (`httpUrl`).
 */
export function urlFromClientConfig(spec: string): string {
	const colon = spec.lastIndexOf(':');
	if (colon <= 0 || colon === spec.length - 1) {
		throw new TypeError(`Expected \`--from\` to be <file>:<name>, like .mcp.json:my-server, got \`${spec}\``);
	}

	const file = spec.slice(0, colon);
	const name = spec.slice(colon + 1);
	let config: unknown;
	try {
		config = JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new TypeError(`Expected \`--from\` to name a readable JSON client config, but ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
	}

	const servers = {...(config as {mcpServers?: object}).mcpServers, ...(config as {servers?: object}).servers} as Record<string, Record<string, unknown> | undefined>;
	const entry = servers[name];
	if (!entry) {
		const known = Object.keys(servers);
		throw new TypeError(`Expected \`--from\` to name a server in ${file}, but it has no "${name}"${known.length > 0 ? ` (it has: ${known.join(', ')})` : ' (it lists no servers)'}`);
	}

	const url = entry.url ?? entry.serverUrl ?? entry.httpUrl;
	if (typeof url !== 'string' || entry.type === 'stdio' || (entry.command !== undefined && url === undefined)) {
		throw new TypeError(`Expected \`--from\` to name an HTTP server, but "${name}" in ${file} is ${entry.command === undefined ? 'not an HTTP server (no url)' : `a stdio server (command: ${String(entry.command)})`}`);
	}

	if (entry.type === 'sse') {
		throw new TypeError(`Expected \`--from\` to name a Streamable HTTP server, but "${name}" in ${file} uses the deprecated SSE transport (type: "sse")`);
	}

	return url;
}
