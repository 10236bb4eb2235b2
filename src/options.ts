import {defaults} from './defaults.js';
import {parseDuration} from './duration.js';
import {type Logger, silentLogger} from './log-types.js';

/**
 * Options of {@link launch}. Durations are milliseconds as numbers, or strings such as
 * `'500ms'`, `'30s'`, `'2m'` (a bare numeric string means seconds, as on the command line).
 */
export type LaunchOptions = {
	/** The server, as one shell command (run by /bin/sh, so npm scripts, `&&` and pipes work). */
	server: string;
	/** The client's argv, run verbatim without a shell once the server is ready. */
	client: readonly string[];
	/** The MCP endpoint to gate on. Default `http://127.0.0.1:3000/mcp`. */
	url?: string | URL;
	/** Readiness budget. Default 30 s. */
	timeout?: number | string;
	/** Grace between SIGTERM and SIGKILL when the server is torn down. Default 5 s. */
	killTimeout?: number | string;
	/** Also append everything the server prints to this file. */
	serverLog?: string;
	/** Working directory of server and client. Default `process.cwd()`. */
	cwd?: string;
	/** Environment of server and client. Default `process.env`. The client also gets `MCP_SERVER_URL`. */
	env?: Record<string, string | undefined>;
	/**
	 * Aborting stops the launch. Before the client runs: the server is torn down and
	 * `launch()` rejects with `LaunchError` code `ABORTED`. While the client runs: the
	 * signal named by `signal.reason` (`'SIGTERM'`, `'SIGHUP'`, `'SIGINT'`; anything else
	 * means SIGTERM) is sent to the client, then everything is torn down.
	 */
	signal?: AbortSignal;
	/** Where mcp-launch reports progress. Default: silent. Any pino logger fits. */
	logger?: Logger;
	/** Copy server output to the logger (level debug) until the client starts. */
	echoServerOutput?: boolean;
	/** Called with the client's pid once it is spawned. */
	onClientStart?: (pid: number) => void;
	/**
	 * What to do when the server dies while the client runs: `'warn'` (default) reports it
	 * and lets the client go on; `'exit'` also ends the client (SIGTERM) and makes the exit code 125.
	 */
	onServerExit?: 'warn' | 'exit';
};

export type ResolvedOptions = {
	server: string;
	client: readonly [string, ...string[]];
	url: URL;
	timeoutMs: number;
	killTimeoutMs: number;
	serverLog: string | undefined;
	cwd: string;
	env: Record<string, string | undefined>;
	signal: AbortSignal | undefined;
	logger: Logger;
	echoServerOutput: boolean;
	onClientStart: ((pid: number) => void) | undefined;
	onServerExit: 'warn' | 'exit';
};

const durationExample = 'like 30s, 500ms or 2m (a bare number means seconds)';

/**
 * Read a duration option. `flag` names it as the user typed it, for the error message.
 * Numbers are milliseconds (library), strings are parsed (CLI and library alike).
 */
export function toDurationMs(value: number | string, flag: string, {allowZero = false} = {}): number {
	const ms = typeof value === 'number' ? value : parseDuration(value);
	if (ms === undefined || !Number.isFinite(ms) || ms < 0 || (!allowZero && ms === 0)) {
		const kind = allowZero ? 'a duration' : 'a positive duration';
		throw new TypeError(`Expected \`${flag}\` to be ${kind} ${durationExample}, got \`${String(value)}\``);
	}

	return ms;
}

/** Parse and check an MCP endpoint URL: http or https with a host. */
export function toEndpointUrl(value: string | URL, flag = '--url'): URL {
	const form = 'an http:// or https:// URL like http://127.0.0.1:3000/mcp';
	let url: URL;
	try {
		url = new URL(String(value));
	} catch {
		throw new TypeError(`Expected \`${flag}\` to be ${form}, got \`${String(value)}\``);
	}

	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
		throw new TypeError(`Expected \`${flag}\` to be ${form}, got \`${String(value)}\``);
	}

	return url;
}

function toChoice<T extends string>(value: string, flag: string, choices: readonly T[]): T {
	if (!(choices as readonly string[]).includes(value)) {
		throw new TypeError(`Expected \`${flag}\` to be one of ${choices.join(', ')}, got \`${value}\``);
	}

	return value as T;
}

/** Validate and fill in defaults. Throws TypeError naming the option on bad input. */
export function resolveOptions(options: LaunchOptions): ResolvedOptions {
	if (typeof options.server !== 'string' || options.server.trim() === '') {
		throw new TypeError('Expected `--server` to be the command that starts the MCP server, like --server "node server.js"');
	}

	const [file, ...args] = options.client ?? [];
	if (file === undefined || file === '') {
		throw new TypeError('Expected a client command after `--`, like: mcp-launch --server "node server.js" -- claude');
	}

	return {
		server: options.server,
		client: [file, ...args],
		url: toEndpointUrl(options.url ?? defaults.url),
		timeoutMs: toDurationMs(options.timeout ?? defaults.timeoutMs, '--timeout'),
		killTimeoutMs: toDurationMs(options.killTimeout ?? defaults.killTimeoutMs, '--kill-timeout', {allowZero: true}),
		serverLog: options.serverLog,
		cwd: options.cwd ?? process.cwd(),
		env: options.env ?? process.env,
		signal: options.signal,
		logger: options.logger ?? silentLogger,
		echoServerOutput: options.echoServerOutput ?? false,
		onClientStart: options.onClientStart,
		onServerExit: toChoice(options.onServerExit ?? defaults.onServerExit, '--on-server-exit', ['warn', 'exit'] as const),
	};
}
