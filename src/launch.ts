import {openServerLogFile, type ServerLog} from './server/server-log.js';
import {LaunchError} from './errors.js';
import {OptionError, shown} from './option-error.js';
import {type LaunchOptions, resolveOptions, type ResolvedOptions, type ServerPlan} from './options.js';
import {findExecutable} from './client/find-executable.js';
import {type ClientExit, runClient, signalExitCode} from './client/run-client.js';
import type {ReadyInfo} from './readiness/wait-until-ready.js';
import {abortSignalName, describeExit, type LaunchedServer, ManagedServer, ReusedServer, type ServerSetup} from './server/managed-server.js';
import {checkPortFree, type PortInUse} from './diagnose/preflight.js';
import {formatDiagnosis} from './diagnose/format.js';
import {listeners} from './diagnose/port-owner.js';
import type {ServerExit} from './server/spawn-server.js';
import {freePort} from './workflow/free-port.js';
import {McpConfigFile} from './workflow/mcp-config.js';
import {startGuardian, type Guardian} from './lifecycle/guardian.js';
import {fillArgv, fillShellCommand, type PlaceholderServer, usesPlaceholder} from './workflow/placeholders.js';
import {toEndpointUrl} from './options.js';
import {hostOf, portOf} from './readiness/probe.js';

export type LaunchResult = {
	/** What mcp-launch exits with: the client's code, 128+N when it died of signal N, 128+N of the abort signal, or 125 (--on-server-exit exit). */
	exitCode: number;
	client: ClientExit;
	/** One entry per server, in order. */
	ready: ReadyInfo[];
	/** Set when a server died while the client was running. */
	serverExit?: ServerExit & {name: string};
	/** The signal that aborted the launch while the client ran. */
	aborted?: NodeJS.Signals;
};

/** What mcp-launch exits with when a server's death ended the run (before ready, or with --on-server-exit exit). */
export const serverExitedCode = 125;

/**
 * Start one or more MCP servers, wait until their endpoints answer, run the client in the
 * foreground and tear every server's whole process group down when the client exits, on
 * every path.
 *
 * Resolves once the client has exited and the servers are gone. Rejects with a
 * {@link LaunchError} when the client never ran (server crashed, timeout, client not
 * found, aborted), and with an {@link OptionError} (a TypeError), before starting anything, on bad options.
 *
 * @example
 * import {launch} from 'mcp-launch';
 * const {exitCode} = await launch({server: 'node server.js --port {port}', port: 'auto', client: ['node', 'client.js', '{url}']});
 */
export async function launch(options: LaunchOptions): Promise<LaunchResult> {
	const resolved = resolveOptions(options);
	checkClient(resolved.client[0], resolved);
	resolved.signal?.throwIfAborted();

	// Everything that can fail on the user's input fails here, before any probe or spawn.
	const log = openServerLog(resolved.serverLog);
	// One guardian for the whole launch, started before anything it guards, and told about
	// each thing (temp dir, server groups, the client) before that thing can outlive us.
	const guardian = startGuardian(resolved.killTimeoutMs);
	const servers: LaunchedServer[] = [];
	let mcpConfig: McpConfigFile | undefined;
	try {
		mcpConfig = usesPlaceholder(resolved.client, '{mcp-config}') ? new McpConfigFile() : undefined;
		if (mcpConfig) {
			guardian.setTempDir(mcpConfig.directory);
		}

		const placed = await placeServers(resolved.servers);
		const occupied = await preflight(placed, resolved);
		throwIfAborted(resolved.signal, 'before starting the server');
		const byName = new Map(placed.map(server => [server.name, server]));
		// Checked now (an unknown {url:NAME} must fail before anything starts), filled once ready.
		fillArgv(resolved.client, {self: placed[0]!, byName, mcpConfig: mcpConfig?.path});
		const commands = placed.map((server, index) => fillShellCommand(resolved.servers[index]!.command, {self: server, byName}));
		for (const [index, server] of placed.entries()) {
			const setup: ServerSetup = {
				name: server.name,
				label: placed.length === 1 ? 'server' : `server "${server.name}"`,
				command: commands[index]!.command,
				url: new URL(server.url),
				env: {...resolved.env, ...commands[index]!.env, ...(server.portFromFlag ? {PORT: server.port} : {})},
				cwd: resolved.cwd,
				log,
				killTimeoutMs: resolved.killTimeoutMs,
				logger: resolved.logger,
				evidenceSource: resolved.evidenceSource,
			};
			const answering = occupied[index]?.answerStatus;
			servers.push(answering === undefined ? new ManagedServer(setup, guardian) : new ReusedServer(setup, answering));
		}

		const ready = await gateAll(servers, resolved);
		// The live URLs: an address-family fix may have replaced a name with the address that answers.
		const live = placed.map((server, index) => {
			const url = new URL(ready[index]!.url);
			return {...server, url: url.href, host: hostOf(url)};
		});
		const clientArgv = fillArgv(resolved.client, {self: live[0]!, byName: new Map(live.map(server => [server.name, server])), mcpConfig: mcpConfig?.path});
		mcpConfig?.write(servers.map((server, index) => ({name: server.setup.name, url: ready[index]!.url, ...(Object.keys(resolved.headers).length > 0 ? {headers: resolved.headers} : {})})));
		return await runClientPhase(servers, ready, clientArgv, resolved, guardian);
	} finally {
		await Promise.all(servers.map(async server => server.stop()));
		mcpConfig?.remove();
		guardian.dismiss();
		await closeLog(log);
	}
}

/**
 * Before spawning anything: a server's port must be free (a stale instance would answer the
 * gate and the client would talk to it). With `reuse`, an endpoint that already answers is
 * used as it is. Ports picked with `auto` were free a moment ago and are not checked.
 */
async function preflight(placed: readonly PlacedServer[], resolved: ResolvedOptions): Promise<Array<PortInUse | undefined>> {
	const found = await Promise.all(placed.map(async (server, index) => (resolved.servers[index]!.port === 'auto' ? undefined : checkPortFree(new URL(server.url), {headers: resolved.headers, insecure: resolved.insecure, findListeners: port => listeners(port, {source: resolved.evidenceSource}), ...(resolved.signal ? {signal: resolved.signal} : {})}))));
	for (const [index, taken] of found.entries()) {
		if (taken && !(resolved.reuse && taken.answerStatus !== undefined)) {
			const name = placed.length === 1 ? '' : `server "${placed[index]!.name}": `;
			throw new LaunchError('PORT_IN_USE', `${name}${formatDiagnosis(taken.diagnosis)}`, {details: {server: placed[index]!.name, port: taken.port, occupants: taken.occupants, answerStatus: taken.answerStatus}});
		}
	}

	return found;
}

/** A signal that came in while nothing was started yet: stop there, as the signal asks. */
function throwIfAborted(signal: AbortSignal | undefined, when: string): void {
	if (signal?.aborted) {
		const signalName = abortSignalName(signal.reason);
		throw new LaunchError('ABORTED', `interrupted by ${signalName} ${when}; nothing was started`, {details: {signal: signalName}});
	}
}

function checkClient(command: string, resolved: ResolvedOptions): void {
	if (command.includes('{')) {
		return; // A placeholder; checked once it is filled.
	}

	const check = findExecutable(command, {cwd: resolved.cwd, pathEnv: resolved.env.PATH});
	if (check.status === 'not-found') {
		throw new LaunchError('CLIENT_NOT_FOUND', `client command not found: ${command} (check the spelling, or that it is installed and on PATH)`, {details: {command}});
	}

	if (check.status === 'not-executable') {
		throw new LaunchError('CLIENT_NOT_EXECUTABLE', `client command is not executable: ${check.path} (chmod +x it, or run it through its interpreter)`, {details: {command, path: check.path}});
	}
}

type PlacedServer = PlaceholderServer & {portFromFlag: boolean};

/** Pick `auto` ports and turn each URL template into the URL to probe. */
async function placeServers(plans: readonly ServerPlan[]): Promise<PlacedServer[]> {
	return Promise.all(plans.map(async plan => {
		const port = plan.port === 'auto' ? await freePort() : plan.port;
		const url = toEndpointUrl(port === undefined ? plan.url : plan.url.replaceAll('{port}', String(port)));
		return {
			name: plan.name,
			port: String(port ?? portOf(url)),
			url: url.href,
			host: hostOf(url),
			portFromFlag: port !== undefined,
		};
	}));
}

/** Append-only, never a symlink, created 0600, written without blocking (see server-log.ts). */
function openServerLog(file: string | undefined): ServerLog | undefined {
	return file === undefined ? undefined : openServerLogFile(file);
}

async function closeLog(log: ServerLog | undefined): Promise<void> {
	log?.close();
}

/** Gate on every server at once; the first failure stops the others and is the one reported. */
async function gateAll(servers: readonly LaunchedServer[], options: ResolvedOptions): Promise<ReadyInfo[]> {
	const failed = new AbortController();
	const signal = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
	options.onEvent({type: 'waiting', urls: servers.map(server => server.setup.url.href)});
	let first: unknown;
	const results = await Promise.allSettled(servers.map(async server => {
		try {
			const ready = await server.gate({timeoutMs: options.timeoutMs, probe: options.probe, headers: options.headers, insecure: options.insecure, signal, echo: options.echoServerOutput, strict: options.strict});
			options.onEvent({type: 'ready', name: server.setup.name, url: ready.url});
			return ready;
		} catch (error) {
			if (!failed.signal.aborted && !options.signal?.aborted) {
				first = error;
				failed.abort(error);
			}

			throw error;
		}
	}));
	const rejected = results.find(result => result.status === 'rejected');
	if (rejected) {
		throw first ?? rejected.reason;
	}

	return results.map(result => (result as PromiseFulfilledResult<ReadyInfo>).value);
}

/** Run the client in the foreground; report a server death; forward an abort as a signal. */
async function runClientPhase(servers: readonly LaunchedServer[], ready: readonly ReadyInfo[], argv: readonly string[], options: ResolvedOptions, guardian: Guardian): Promise<LaunchResult> {
	if (options.signal?.aborted) {
		const signalName = abortSignalName(options.signal.reason);
		throw new LaunchError('ABORTED', `interrupted by ${signalName} before the client started; stopped`, {details: {signal: signalName}});
	}

	if (options.client[0].includes('{')) {
		checkClient(argv[0]!, options); // The command came from a placeholder: check it now it is known.
	}

	const urls = ready.map(info => info.url);
	const client = runClient(argv as [string, ...string[]], {cwd: options.cwd, env: {...options.env, MCP_SERVER_URL: urls[0], MCP_SERVER_URLS: urls.join(' ')}});
	if (client.pid !== undefined) {
		guardian.setClient(client.pid);
		client.release();
		options.onEvent({type: 'client-start', pid: client.pid});
	}

	let serverExit: LaunchResult['serverExit'];
	let clientDone = false;
	let endedForServer = false;
	let forceKill: NodeJS.Timeout | undefined;
	let ending = false;
	const endClient = (signal: NodeJS.Signals) => {
		ending = true;
		client.kill(signal);
		forceKill ??= setTimeout(() => client.kill('SIGKILL'), Math.max(options.killTimeoutMs, 1));
	};

	for (const server of servers) {
		server.watch(() => clientDone, (exit, last) => {
			serverExit ??= {...exit, name: server.setup.name};
			const evidence = last.length > 0 ? `; last stderr: ${last.join(' | ')}` : '';
			const fields = {server: server.setup.name, exitCode: exit.code, signal: exit.signal, stderr: last};
			if (options.onServerExit === 'exit') {
				endedForServer = true;
				options.logger.error(fields, `${server.setup.label} ${describeExit(exit)} while the client runs${evidence}; ending the client (--on-server-exit exit)`);
				endClient('SIGTERM');
			} else {
				options.logger.warn(fields, `${server.setup.label} ${describeExit(exit)} while the client runs${evidence}`);
			}
		});
	}

	let aborted: NodeJS.Signals | undefined;
	const onAbort = () => {
		aborted = abortSignalName(options.signal?.reason);
		endClient(aborted);
	};

	// An abort that came in the same tick as readiness: forward it now.
	if (options.signal?.aborted) {
		onAbort();
	} else {
		options.signal?.addEventListener('abort', onAbort, {once: true});
	}

	try {
		const exit = await client.exited;
		clientDone = true;
		if (ending) {
			// What the client left of its tree when told to end (a child that ignores SIGTERM) goes too.
			await client.reap(options.killTimeoutMs);
		}

		guardian.setClient(undefined);

		if (exit.spawnError) {
			const code = exit.exitCode === 127 ? 'CLIENT_NOT_FOUND' : 'CLIENT_NOT_EXECUTABLE';
			throw new LaunchError(code, `client command ${code === 'CLIENT_NOT_FOUND' ? 'not found' : 'is not executable'}: ${argv[0]} (${exit.spawnError.code})`, {details: {command: argv[0]}});
		}

		const exitCode = aborted ? signalExitCode(aborted) : (endedForServer ? serverExitedCode : exit.exitCode);
		const result: LaunchResult = {exitCode, client: exit, ready: [...ready]};
		if (serverExit) {
			result.serverExit = serverExit;
		}

		if (aborted) {
			result.aborted = aborted;
		}

		return result;
	} finally {
		clearTimeout(forceKill);
		options.signal?.removeEventListener('abort', onAbort);
	}
}
