import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export type McpConfigEntry = {name: string; url: string; headers?: Record<string, string>};

/** Claude Code's `--mcp-config` format: one `type: "http"` entry per server. */
export function mcpConfigJson(entries: readonly McpConfigEntry[]): string {
	const mcpServers: Record<string, {type: 'http'; url: string; headers?: Record<string, string>}> = {};
	for (const entry of entries) {
		mcpServers[entry.name] = {type: 'http', url: entry.url, ...(entry.headers ? {headers: entry.headers} : {})};
	}

	return `${JSON.stringify({mcpServers}, null, 2)}\n`;
}

/**
 * A private directory (mode 0700, from mkdtemp) for the generated config; the file itself is
 * written with mode 0600 once the live URLs are known, and everything is removed at exit.
 */
export class McpConfigFile {
	readonly directory: string;
	readonly path: string;

	constructor() {
		this.directory = mkdtempSync(path.join(tmpdir(), 'mcp-launch-'));
		this.path = path.join(this.directory, 'mcp-config.json');
	}

	write(entries: readonly McpConfigEntry[]): void {
		writeFileSync(this.path, mcpConfigJson(entries), {mode: 0o600, flag: 'w'});
	}

	remove(): void {
		rmSync(this.directory, {recursive: true, force: true});
	}
}
