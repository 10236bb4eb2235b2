import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {OptionError, shown} from '../option-error.js';

export type McpConfigEntry = {name: string; url: string; headers?: Record<string, string>};

/** Claude Code's `--mcp-config` format: one `type: "http"` entry per server. */
export function mcpConfigJson(entries: readonly McpConfigEntry[]): string {
	// No prototype: a server named __proto__ is an entry like any other.
	const mcpServers = Object.create(null) as Record<string, {type: 'http'; url: string; headers?: Record<string, string>}>;
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

	/** Up front, before anything starts: throws {@link OptionError} when no temp directory can be made. */
	static check(): void {
		new McpConfigFile().remove();
	}

	/** A path of the shape the file will have (its directory's random part stands as XXXXXX), for checks made before it exists. */
	static standInPath(): string {
		return path.join(tmpdir(), 'mcp-launch-XXXXXX', 'mcp-config.json');
	}

	/**
	 * Throws {@link OptionError} when the temp directory cannot be made, or when TMPDIR is not an
	 * absolute path free of control characters: its path goes to the guardian, one per line, and
	 * is shown in messages, so such a TMPDIR is refused rather than guessed around.
	 */
	constructor() {
		const parent = tmpdir();
		// eslint-disable-next-line no-control-regex
		if (!path.isAbsolute(parent) || /[\u0000-\u001F\u007F]/.test(parent)) {
			throw new OptionError('{mcp-config}', `Expected TMPDIR to be an absolute path with no control characters for \`{mcp-config}\`, like /tmp, got \`${shown(parent)}\``);
		}

		try {
			this.directory = mkdtempSync(path.join(parent, 'mcp-launch-'));
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
			throw new OptionError('{mcp-config}', `Expected a writable temp directory for \`{mcp-config}\` (set TMPDIR to one, like /tmp), got \`${shown(parent)}\` (${code})`);
		}

		this.path = path.join(this.directory, 'mcp-config.json');
	}

	write(entries: readonly McpConfigEntry[]): void {
		writeFileSync(this.path, mcpConfigJson(entries), {mode: 0o600, flag: 'w'});
	}

	remove(): void {
		rmSync(this.directory, {recursive: true, force: true});
	}
}
