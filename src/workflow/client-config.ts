import {closeSync, constants, fstatSync, openSync, readSync} from 'node:fs';
import {OptionError, shown} from '../option-error.js';
import {toEndpointTemplate} from '../option-values.js';

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
		config = JSON.parse(readConfigFile(file));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'ENOENT' ? 'no such file' : (code === undefined ? `not JSON (${(error as Error).message})` : (code === 'ENOTFILE' || code === 'EFBIG' ? (error as Error).message : code));
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
		return toEndpointTemplate(url, '--from');
	} catch (error) {
		const expected = error instanceof OptionError ? error.message.replace(/^Expected `--from` to be /, '') : `a URL, got \`${shown(url)}\``;
		throw new OptionError('--from', `Expected \`--from\` to name a server whose url is ${expected} (its "${shown(name)}" in ${where})`);
	}
}

/** Largest client config read: they are a few KB; a bigger file is a mistake, or /dev/zero. */
const maxConfigBytes = 1024 * 1024;

/**
 * A client config's text: a regular file only (a FIFO would hang the read forever, a device
 * like /dev/zero would never end), at most 1 MiB. Opened without blocking (a FIFO opens at
 * once), then checked on the open descriptor, so what is read is what was checked.
 */
function readConfigFile(file: string): string {
	const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
	try {
		const stat = fstatSync(fd);
		if (!stat.isFile()) {
			throw Object.assign(new Error('not a regular file'), {code: 'ENOTFILE'});
		}

		if (stat.size > maxConfigBytes) {
			throw Object.assign(new Error(`larger than 1 MiB (${Math.ceil(stat.size / 1024)} KiB)`), {code: 'EFBIG'});
		}

		const buffer = Buffer.alloc(maxConfigBytes + 1);
		let length = 0;
		for (let read = -1; read !== 0 && length < buffer.length;) {
			read = readSync(fd, buffer, length, buffer.length - length, null);
			length += read;
		}

		if (length > maxConfigBytes) {
			throw Object.assign(new Error('larger than 1 MiB'), {code: 'EFBIG'});
		}

		return buffer.toString('utf8', 0, length);
	} finally {
		closeSync(fd);
	}
}
