import {createWriteStream, openSync, type WriteStream} from 'node:fs';
import {defaults} from './defaults.js';
import {formatDuration} from './duration.js';
import {LaunchError} from './errors.js';
import {type LaunchOptions, resolveOptions, type ResolvedOptions} from './options.js';
import {findExecutable} from './client/find-executable.js';
import {type ClientExit, loadExeca, runClient, signalExitCode} from './client/run-client.js';
import {type ReadyInfo, waitUntilReady} from './readiness/wait-until-ready.js';
import {formatTail} from './server/output-tail.js';
import {type ServerExit, type ServerProcess, spawnServer} from './server/spawn-server.js';
import {type Guardian, startGuardian} from './lifecycle/guardian.js';

export type LaunchResult = {
	/** What mcp-launch exits with: the client's code, 128+N when it died of signal N, or 128+N of the abort signal. */
	exitCode: number;
	client: ClientExit;
	ready: ReadyInfo;
	/** Set when the server died while the client was running. */
	serverExit?: ServerExit;
	/** The signal that aborted the launch while the client ran. */
	aborted?: NodeJS.Signals;
};

/** What mcp-launch exits with when the server's death ended the run (before ready, or with --on-server-exit exit). */
export const serverExitedCode = 125;

/** How long to let a dead server's pipes drain so its last words are in the tail. */
const drainMs = 250;
/** How many tail lines go into a message. */
const shownLines = 15;

export function abortSignalName(reason: unknown): NodeJS.Signals {
	return reason === 'SIGINT' || reason === 'SIGHUP' || reason === 'SIGTERM' ? reason : 'SIGTERM';
}

export function describeExit(exit: ServerExit): string {
	if (exit.spawnError) {
		return `could not be started (${exit.spawnError})`;
	}

	return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/**
 * Start an MCP server, wait until its endpoint answers, run the client in the foreground
 * and tear the server's whole process group down when the client exits, on every path.
 *
 * Resolves once the client has exited and the server is gone. Rejects with a
 * {@link LaunchError} when the client never ran (server crashed, timeout, client not
 * found, aborted), and with a TypeError, before starting anything, on bad options.
 *
 * @example
 * import {launch} from 'mcp-launch';
 * const {exitCode} = await launch({server: 'node server.js', client: ['node', 'client.js'], timeout: '10s'});
 */
export async function launch(options: LaunchOptions): Promise<LaunchResult> {
	const resolved = resolveOptions(options);
	const clientCheck = findExecutable(resolved.client[0], {cwd: resolved.cwd, pathEnv: resolved.env.PATH});
	if (clientCheck.status === 'not-found') {
		throw new LaunchError('CLIENT_NOT_FOUND', `client command not found: ${resolved.client[0]} (check the spelling, or that it is installed and on PATH)`, {details: {command: resolved.client[0]}});
	}

	if (clientCheck.status === 'not-executable') {
		throw new LaunchError('CLIENT_NOT_EXECUTABLE', `client command is not executable: ${clientCheck.path} (chmod +x it, or run it through its interpreter)`, {details: {command: resolved.client[0], path: clientCheck.path}});
	}

	resolved.signal?.throwIfAborted();
	const log = openServerLog(resolved.serverLog);
	const server = spawnServer({command: resolved.server, cwd: resolved.cwd, env: resolved.env, tailLines: defaults.tailLines, log});
	const guardian = startGuardian(server.pid, resolved.killTimeoutMs);
	void loadExeca().catch(() => {}); // Warm up while the server boots.
	resolved.logger.debug({pid: server.pid, guardian: guardian.pid, command: resolved.server}, `started server (pid ${server.pid}): ${resolved.server}`);
	try {
		const ready = await gate(server, resolved);
		return await runClientPhase(server, guardian, ready, resolved);
	} finally {
		const stopped = await server.stop(resolved.killTimeoutMs);
		if (stopped.signal === 'SIGKILL') {
			resolved.logger.warn({pid: server.pid}, `server ignored SIGTERM for ${formatDuration(resolved.killTimeoutMs)}; killed it (SIGKILL)`);
		}

		if (stopped.leftover) {
			resolved.logger.error({pgid: server.pid}, `server process group ${server.pid} survived SIGKILL`);
		}

		guardian.dismiss();
		resolved.logger.debug({durationMs: stopped.durationMs, signal: stopped.signal}, `server stopped in ${formatDuration(stopped.durationMs)}`);
		await closeLog(log);
	}
}

function openServerLog(file: string | undefined): WriteStream | undefined {
	if (file === undefined) {
		return undefined;
	}

	let fd: number;
	try {
		fd = openSync(file, 'a');
	} catch (error) {
		throw new TypeError(`Expected \`--server-log\` to be a file that can be appended to, got \`${file}\` (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
	}

	return createWriteStream('', {fd, flags: 'a'});
}

async function closeLog(log: WriteStream | undefined): Promise<void> {
	if (!log) {
		return;
	}

	await new Promise<void>(resolve => {
		log.end(() => resolve());
		log.once('error', () => resolve());
	});
}

/** Probe until ready; stop at once if the server exits or the launch is aborted. */
async function gate(server: ServerProcess, options: ResolvedOptions): Promise<ReadyInfo> {
	const serverGone = new AbortController();
	void server.exited.then(exit => serverGone.abort(exit));
	const stopEcho = options.echoServerOutput
		? server.onLine((line, stream) => options.logger.debug({source: 'server', stream}, line))
		: undefined;
	const signal = options.signal ? AbortSignal.any([options.signal, serverGone.signal]) : serverGone.signal;
	options.logger.debug({url: options.url.href}, `waiting for ${options.url.href}`);
	try {
		const ready = await waitUntilReady(options.url, {
			timeout: options.timeoutMs,
			signal,
			wake: listener => server.onActivity(listener),
		});
		options.logger.info({url: ready.url, status: ready.status, elapsedMs: Math.round(ready.elapsedMs), attempts: ready.attempts}, `ready ${ready.url} (${ready.status} after ${formatDuration(ready.elapsedMs)})`);
		return ready;
	} catch (error) {
		const exit = server.exit();
		if (serverGone.signal.aborted && exit) {
			await server.drained(drainMs);
			throw new LaunchError('SERVER_EXITED', `server ${describeExit(exit)} before ${options.url.href} answered\n${formatTail(server.tail, shownLines)}`, {
				cause: error,
				details: {exitCode: exit.code, signal: exit.signal, stderr: server.tail.lines('stderr'), stdout: server.tail.lines('stdout')},
			});
		}

		if (options.signal?.aborted) {
			const signalName = abortSignalName(options.signal.reason);
			throw new LaunchError('ABORTED', `interrupted by ${signalName} while waiting for ${options.url.href}; server stopped`, {cause: error, details: {signal: signalName}});
		}

		if (error instanceof LaunchError && error.code === 'READY_TIMEOUT') {
			const message = `${error.message}\nthe server is still running (pid ${server.pid}); it was stopped\n${formatTail(server.tail, shownLines)}`;
			throw new LaunchError('READY_TIMEOUT', message, {cause: error.cause, details: {...error.details, stderr: server.tail.lines('stderr'), stdout: server.tail.lines('stdout')}});
		}

		throw error;
	} finally {
		stopEcho?.();
	}
}

/** Run the client in the foreground; report a server death; forward an abort as a signal. */
async function runClientPhase(server: ServerProcess, guardian: Guardian, ready: ReadyInfo, options: ResolvedOptions): Promise<LaunchResult> {
	if (options.signal?.aborted) {
		const signalName = abortSignalName(options.signal.reason);
		throw new LaunchError('ABORTED', `interrupted by ${signalName} before the client started; server stopped`, {details: {signal: signalName}});
	}

	const client = await runClient(options.client, {cwd: options.cwd, env: {...options.env, MCP_SERVER_URL: ready.url}});
	if (client.pid !== undefined) {
		guardian.setClient(client.pid);
		options.onClientStart?.(client.pid);
	}

	let serverExit: ServerExit | undefined;
	let clientDone = false;
	let endedForServer = false;
	let forceKill: NodeJS.Timeout | undefined;
	const endClient = (signal: NodeJS.Signals) => {
		client.kill(signal);
		forceKill ??= setTimeout(() => client.kill('SIGKILL'), Math.max(options.killTimeoutMs, 1));
	};

	void server.exited.then(async exit => {
		await server.drained(drainMs);
		if (clientDone) {
			return;
		}

		serverExit = exit;
		const last = server.tail.lines('stderr', 3).filter(line => line.trim() !== '');
		const evidence = last.length > 0 ? `; last stderr: ${last.join(' | ')}` : '';
		if (options.onServerExit === 'exit') {
			endedForServer = true;
			options.logger.error({exitCode: exit.code, signal: exit.signal, stderr: last}, `server ${describeExit(exit)} while the client runs${evidence}; ending the client (--on-server-exit exit)`);
			endClient('SIGTERM');
		} else {
			options.logger.warn({exitCode: exit.code, signal: exit.signal, stderr: last}, `server ${describeExit(exit)} while the client runs${evidence}`);
		}
	});

	let aborted: NodeJS.Signals | undefined;
	const onAbort = () => {
		aborted = abortSignalName(options.signal?.reason);
		endClient(aborted);
	};

	options.signal?.addEventListener('abort', onAbort, {once: true});
	try {
		const exit = await client.exited;
		clientDone = true;
		guardian.setClient(undefined);
		if (exit.spawnError) {
			const code = exit.exitCode === 127 ? 'CLIENT_NOT_FOUND' : 'CLIENT_NOT_EXECUTABLE';
			throw new LaunchError(code, `client command ${code === 'CLIENT_NOT_FOUND' ? 'not found' : 'is not executable'}: ${options.client[0]} (${exit.spawnError.code})`, {details: {command: options.client[0]}});
		}

		const exitCode = aborted ? signalExitCode(aborted) : (endedForServer ? serverExitedCode : exit.exitCode);
		const result: LaunchResult = {exitCode, client: exit, ready};
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
