import {readFileSync} from 'node:fs';
import {OptionError, shown} from '../option-error.js';
import {toEndpointUrl} from '../option-values.js';

type Entry = Record<string, unknown>;

const isRecord = (value: unknown): value is Entry => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The servers a config lists, by name, own properties only (a server named `constructor` is not Object's). */
function serversOf(config: unknown): Map<string, unknown> {
	const servers = new Map<string, unknown>();
	if (isRecord(config)) {
		for (const key of ['mcpServers', 'servers']) {
			const section = config[key];
			if (isRecord(section)) {
				for (const [name, entry] of Object.entries(section)) {
					servers.set(name, entry);
				}
			}
		}
	}

	return servers;
}

/**
 * `--from <file>:<name>`: the URL of server NAME in an existing client config:
 * Claude Code `.mcp.json` and Cursor `.cursor/mcp.json` (`mcpServers.NAME.url`),
 * VS Code `.vscode/mcp.json` (`servers.NAME.url`), Windsurf (`serverUrl`), Gemini CLI (`httpUrl`).
 */
export function urlFromClientConfig(spec: string): string {
	const colon = spec.lastIndexOf(':');
	if (colon <= 0 || colon === spec.length - 1) {
		throw new OptionError('--from', `Expected \`--from\` to be <file>:<name>, like .mcp.json:my-server, got \`${shown(spec)}\``);
	}

	const file = spec.slice(0, colon);
	const name = spec.slice(colon + 1);
	const where = shown(file);
	let config: unknown;
	try {
		config = JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'ENOENT' ? 'no such file' : (code === undefined ? `not JSON (${(error as Error).message})` : code);
		throw new OptionError('--from', `Expected \`--from\` to name a readable JSON client config, like .mcp.json:my-server, but ${where}: ${why}`);
	}

	const servers = serversOf(config);
	const entry = servers.get(name);
	if (!isRecord(entry)) {
		const known = [...servers.keys()].map(known => shown(known));
		const what = entry === undefined ? `it has no "${shown(name)}"` : `"${shown(name)}" is not an object`;
		throw new OptionError('--from', `Expected \`--from\` to name a server in ${where}, but ${what}${known.length > 0 ? ` (it has: ${known.join(', ')})` : ' (it lists no servers under mcpServers or servers)'}`);
	}

	const url = entry.url ?? entry.serverUrl ?? entry.httpUrl;
	if (typeof url !== 'string' || entry.type === 'stdio' || (entry.command !== undefined && url === undefined)) {
		throw new OptionError('--from', `Expected \`--from\` to name an HTTP server with a "url", but "${shown(name)}" in ${where} is ${entry.command === undefined ? 'not an HTTP server (no url)' : `a stdio server (command: ${shown(entry.command)})`}`);
	}

	if (entry.type === 'sse') {
		throw new OptionError('--from', `Expected \`--from\` to name a Streamable HTTP server, but "${shown(name)}" in ${where} uses the deprecated SSE transport (type: "sse")`);
	}

	try {
		toEndpointUrl(url.replaceAll('{port}', '1'), '--from');
	} catch {
		throw new OptionError('--from', `Expected \`--from\` to name a server whose url is an http:// or https:// URL with a host, but "${shown(name)}" in ${where} has \`${shown(url)}\``);
	}

	return url;
}
