import {defaults} from './defaults.js';
import {expected, OptionError, shown} from './option-error.js';
import {checkArgumentLength, toChoice, toDurationMs, toEndpointTemplate, toPort, toText} from './option-values.js';
import {toHeaders} from './workflow/headers.js';
import {fillArgv, placeholderValues} from './workflow/placeholders.js';
import {fillServerCommand} from './workflow/server-command.js';
import {McpConfigFile} from './workflow/mcp-config.js';
import {heldShellPrefix} from './os/posix/held-shell.js';
import {type Logger, silentLogger} from './log-types.js';
import {redactingLogger, secretsOf} from './redact.js';
import {expandServerCommand} from './workflow/npm-script.js';
import {osFor} from './os/index.js';
import {crossesPlatform, type EvidenceSource} from './os/name.js';
import type {Os} from './os/types.js';
import {type RestartPolicy, toRestartPolicy} from './front-door/restart-policy.js';
import {checkFrontDoorUrl, toWatchPaths} from './front-door/front-door-options.js';

/** One server of a launch. */
export type ServerSpec = {
	/** One shell command (run by /bin/sh: npm scripts, `&&` and pipes work). `npm:<script>` runs `npm run <script>`. */
	command: string;
	/** The MCP endpoint to gate on; may hold `{port}`. Default `http://127.0.0.1:3000/mcp`, or `http://127.0.0.1:{port}/mcp` with `port`. */
	url?: string | URL;
	/** A port for the server: a number, or `'auto'` for a free loopback port. The server gets it as `PORT` and `{port}`. */
	port?: number | 'auto';
	/** A name for messages, `{url:NAME}` placeholders and the generated client config. */
	name?: string;
};

export type ProbeKind = 'http' | 'tcp' | 'mcp';

/** What happened, for a caller that shows progress. */
export type LaunchEvent =
	| {type: 'waiting'; urls: string[]}
	| {type: 'ready'; name: string; url: string}
	| {type: 'client-start'; pid: number};

/**
 * Options of {@link launch}. Durations are milliseconds as numbers, or strings such as
 * `'500ms'`, `'30s'`, `'2m'` (a bare numeric string means seconds, as on the command line).
 */
export type LaunchOptions = {
	/** The server as one shell command; shorthand for `servers: [{command: server, url, port}]`. */
	server?: string;
	/** The MCP endpoint of `server`. Default `http://127.0.0.1:3000/mcp`. */
	url?: string | URL;
	/** The port of `server`: a number or `'auto'`. */
	port?: number | 'auto';
	/** Several servers, started in parallel, all gated on, all torn down. */
	servers?: readonly ServerSpec[];
	/** The client's argv, run verbatim without a shell once every server is ready. Placeholders are filled in. */
	client: readonly string[];
	/** Readiness budget. Default 30 s. */
	timeout?: number | string;
	/** Grace between SIGTERM and SIGKILL when a server is torn down. Default 5 s. */
	killTimeout?: number | string;
	/** How readiness is judged: `http` (any HTTP status, default), `tcp` (a connection), `mcp` (the initialize handshake). */
	probe?: ProbeKind;
	/** Headers sent with every probe (and written into `{mcp-config}`); never logged. */
	headers?: Record<string, string>;
	/**
	 * Send `headers` to an https endpoint whose certificate cannot be verified. Default false:
	 * such an endpoint still counts as up, but the probe goes without the headers.
	 */
	insecure?: boolean;
	/** Also append everything the servers print to this file. */
	serverLog?: string;
	/**
	 * When a server's endpoint already answers before it is started (a running dev server),
	 * use it as it is instead of failing with PORT_IN_USE; it is left running afterwards.
	 */
	reuse?: boolean;
	/** Treat a suspicious answer (404 wrong path, 3xx, 401, 403/421, 5xx) as a failure (ENDPOINT_MISMATCH) instead of a warning. */
	strict?: boolean;
	/** Working directory of servers and client. Default `process.cwd()`. */
	cwd?: string;
	/** Environment of servers and client. Default `process.env`. The client also gets `MCP_SERVER_URL` and `MCP_SERVER_URLS`. */
	env?: Record<string, string | undefined>;
	/**
	 * Aborting stops the launch. Before the client runs: the servers are torn down and
	 * `launch()` rejects with `LaunchError` code `ABORTED`. While the client runs: the
	 * signal named by `signal.reason` (`'SIGTERM'`, `'SIGHUP'`, `'SIGINT'`; anything else
	 * means SIGTERM) is sent to the client, then everything is torn down.
	 */
	signal?: AbortSignal;
	/** Where mcp-launch reports progress. Default: silent. Any pino logger fits. */
	logger?: Logger;
	/** Copy server output to the logger (level debug) until the client starts. */
	echoServerOutput?: boolean;
	/** Progress events: waiting, ready, client started. */
	onEvent?: (event: LaunchEvent) => void;
	/**
	 * What to do when a server dies while the client runs: `'warn'` (default) reports it
	 * and lets the client go on; `'exit'` also ends the client (SIGTERM) and makes the exit code 125.
	 */
	onServerExit?: 'warn' | 'exit';
	/**
	 * The OS implementation: how trees are started and ended, and where process and socket
	 * facts come from (port owners, the server tree's sockets, zombies at teardown): `'procfs'`
	 * (/proc, Linux), `'lsof'` (macOS) or `'win32'` (Job Objects, netstat). Default from
	 * `process.platform`; a spec forces the macOS path on Linux with `'lsof'`.
	 */
	evidenceSource?: EvidenceSource;
	/**
	 * Files or directories (relative to `cwd`) to watch: when a file under one changes, the
	 * server is restarted behind the front door, and the client keeps its session. `.git`,
	 * `node_modules`, `__pycache__`, `.venv` and editors' swap files are ignored.
	 *
	 * With `watch` or `restart`, mcp-launch listens on each server's URL itself (the front
	 * door, loopback only) and forwards to the current generation of the server, which gets a
	 * fresh free port as `PORT` / `{port}` each time: the client's URL, session and event stream
	 * stay the same across restarts, requests wait while a generation boots, and a crash is
	 * answered as a JSON-RPC error that says why.
	 *
	 * @example
	 * await launch({server: 'node server.js', port: 'auto', watch: ['src'], client: ['claude']});
	 */
	watch?: string | readonly string[];
	/**
	 * Restart a server that dies while the client runs, in Docker's words: `'no'` (default:
	 * the death is reported, as without the front door), `'on-failure'` (a non-zero exit or a
	 * signal: restarted with backoff from 100 ms, doubling, at most 5 times in a row) or
	 * `'on-failure:N'` (at most N times). A generation that stayed up 10 s starts the count over.
	 */
	restart?: 'no' | 'on-failure' | `on-failure:${number}`;
};

export type ServerPlan = {
	name: string;
	/** The command with `npm:` expanded; placeholders not yet filled. */
	command: string;
	/** The URL text; may still hold `{port}`. */
	url: string;
	port: number | 'auto' | undefined;
};

export type ResolvedOptions = {
	servers: ServerPlan[];
	client: readonly [string, ...string[]];
	timeoutMs: number;
	killTimeoutMs: number;
	probe: ProbeKind;
	headers: Record<string, string>;
	insecure: boolean;
	serverLog: string | undefined;
	reuse: boolean;
	strict: boolean;
	cwd: string;
	env: Record<string, string | undefined>;
	signal: AbortSignal | undefined;
	logger: Logger;
	echoServerOutput: boolean;
	onEvent: (event: LaunchEvent) => void;
	onServerExit: 'warn' | 'exit';
	/** The OS seam everything asks (see src/os/types.ts). */
	os: Os;
	/** What never appears in output: header values, URL passwords and query values (see secretsOf). */
	secrets: string[];
	/** --watch, as absolute paths (each existed when checked). */
	watch: string[];
	restart: RestartPolicy;
	/** With --watch or --restart: the client talks to mcp-launch's front door. */
	frontDoor: boolean;
};

const serverForm = 'the command that starts the MCP server, like --server "node server.js"';

function planServer(spec: ServerSpec, index: number, count: number): ServerPlan {
	const command = toText(spec?.command, '--server', serverForm);
	const port = toPort(spec.port);
	const url = toEndpointTemplate(spec.url ?? (port === undefined ? defaults.url : defaults.portUrl));
	const checked = new URL(url.replace('{port}', '1'));
	if (url.includes('{port}') && port === undefined) {
		throw expected('--port', 'a number or auto with a `--url` that holds {port}', url);
	}

	// `-p 3000 -u http://127.0.0.1:8080/mcp`: the server would be told 3000 while the gate waits on 8080.
	const urlPort = checked.port === '' ? (checked.protocol === 'https:' ? 443 : 80) : Number(checked.port);
	if (port !== undefined && !url.includes('{port}') && urlPort !== port) {
		throw new OptionError('--url', `Expected \`--url\` to use the port of \`--port\` (${port === 'auto' ? 'write {port} in it' : `${port}, or {port}`}), got port ${urlPort} in \`${shown(url)}\`: the server would get ${port === 'auto' ? 'a free port' : `PORT=${port}`} while mcp-launch waits on ${urlPort}; drop one of the two, or write {port} in the URL`);
	}

	const name = spec.name ?? (count === 1 ? 'server' : `server-${index + 1}`);
	if (typeof name !== 'string' || !/^[\w.-]{1,64}$/.test(name)) {
		throw expected('--name', '1 to 64 letters, digits, dots, dashes or underscores, like api', name);
	}

	return {name, command: expandServerCommand(command), url, port};
}

/**
 * Placeholders are filled now with the values they will have (a port not yet picked stands in
 * as 65535, the longest): an unknown `{url:NAME}`, a value no shell may see, a command or an
 * argument too long to run, all fail before anything starts.
 */
function checkPlaceholders(servers: readonly ServerPlan[], client: readonly string[], os: Os): void {
	const values = (server: ServerPlan) => placeholderValues(server.name, new URL(server.url.replace('{port}', '65535')));
	const byName = new Map(servers.map(server => [server.name, values(server)]));
	for (const server of servers) {
		checkArgumentLength(fillServerCommand(os.shell, server.command, {self: byName.get(server.name)!, byName}).command, '--server', heldShellPrefix.length);
	}

	for (const argument of fillArgv(client, {self: byName.get(servers[0]!.name)!, byName, mcpConfig: McpConfigFile.standInPath()})) {
		checkArgumentLength(argument, 'client argument');
	}
}

/** Validate and fill in defaults, synchronously, before anything starts. Throws {@link OptionError} naming the option. */
export function resolveOptions(options: LaunchOptions): ResolvedOptions {
	if (typeof options !== 'object' || options === null) {
		throw expected('options', 'an object like {server, client}', options);
	}

	if (options.servers !== undefined && !Array.isArray(options.servers)) {
		throw expected('servers', 'an array of {command, url, port, name}', options.servers);
	}

	const specs: ServerSpec[] = [...(options.servers ?? [])];
	if (options.server !== undefined) {
		specs.unshift({command: options.server, ...(options.url === undefined ? {} : {url: options.url}), ...(options.port === undefined ? {} : {port: options.port})});
	}

	if (specs.length === 0) {
		throw new OptionError('--server', `Expected \`--server\` with ${serverForm}`);
	}

	const servers = specs.map((spec, index) => planServer(spec, index, specs.length));
	const names = new Set(servers.map(server => server.name));
	if (names.size !== servers.length) {
		throw new OptionError('--name', `Expected each \`--name\` to be different, got ${servers.map(server => shown(server.name)).join(', ')}`);
	}

	if (!Array.isArray(options.client) || options.client.length === 0 || options.client[0] === '') {
		throw new OptionError('--', 'Expected a client command after `--`, like: mcp-launch --server "node server.js" -- claude');
	}

	const [file, ...args] = options.client.map(argument => toText(argument, 'client argument', 'a string without NUL bytes', {allowEmpty: true})) as [string, ...string[]];
	const osName = options.evidenceSource === undefined ? undefined : toChoice(options.evidenceSource, 'evidenceSource', ['procfs', 'lsof', 'win32'] as const);
	if (osName !== undefined && crossesPlatform(osName)) {
		throw new OptionError('evidenceSource', `Expected \`evidenceSource\` to be one this platform can run (procfs and lsof stand in for each other; win32 only on Windows), got \`${osName}\``);
	}

	const os = osFor(osName);
	checkPlaceholders(servers, options.client, os);
	if (options.serverLog !== undefined) {
		toText(options.serverLog, '--server-log', 'a file that can be appended to, like server.log');
	}

	const headers = options.headers === undefined ? {} : toHeaders(options.headers);
	const secrets = secretsOf(headers, servers.map(server => server.url));
	const cwd = options.cwd ?? process.cwd();
	const watch = toWatchPaths(options.watch, cwd);
	const restart = toRestartPolicy(options.restart);
	const frontDoor = watch.length > 0 || restart.kind !== 'no';
	if (frontDoor) {
		for (const server of servers) {
			checkFrontDoorUrl(server.url.replaceAll('{port}', '1'), server.url);
		}

		if (options.reuse) {
			throw new OptionError('--reuse', 'Expected `--reuse` without `--watch` or `--restart`: a server mcp-launch did not start cannot be restarted');
		}
	}

	return {
		servers,
		client: [file, ...args],
		timeoutMs: toDurationMs(options.timeout ?? defaults.timeoutMs, '--timeout'),
		killTimeoutMs: toDurationMs(options.killTimeout ?? defaults.killTimeoutMs, '--kill-timeout', {allowZero: true}),
		probe: toChoice(options.probe ?? defaults.probe, '--probe', ['http', 'tcp', 'mcp'] as const),
		headers,
		insecure: options.insecure ?? false,
		serverLog: options.serverLog,
		reuse: options.reuse ?? false,
		strict: options.strict ?? false,
		cwd,
		env: options.env ?? process.env,
		signal: options.signal,
		// Whatever logger it is, it never sees a URL password, a query value or a header value.
		logger: options.logger ? redactingLogger(options.logger, secrets) : silentLogger,
		echoServerOutput: options.echoServerOutput ?? false,
		onEvent: options.onEvent ?? (() => {}),
		onServerExit: toChoice(options.onServerExit ?? defaults.onServerExit, '--on-server-exit', ['warn', 'exit'] as const),
		os,
		secrets,
		watch,
		restart,
		frontDoor,
	};
}
