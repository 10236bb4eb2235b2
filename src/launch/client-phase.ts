import {bounds} from '../defaults.js';
import {LaunchError} from '../errors.js';
import {exitCodes, signalExitCode} from '../exit-codes.js';
import type {ClientExit, Guardian, RunningClient} from '../os/types.js';
import type {ResolvedOptions} from '../options.js';
import type {ReadyInfo} from '../readiness/wait-until-ready.js';
import type {ServerExit} from '../server/spawn-server.js';
import {checkClient} from './check-client.js';
import {abortSignalName, messages} from './messages.js';
import {clientUrlOf, type ServerRecord} from './server-record.js';

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

/**
 * Where server deaths come from while the client runs: by default each server's exit
 * (reported here); behind the front door, a server that is down for good (the front door
 * reported it, and restarts what it may).
 */
export type DeathWatch = (onDeath: (record: ServerRecord, exit: ServerExit) => void) => void;

/**
 * Run the client in the foreground until it exits; meanwhile report a server death (and end
 * the client for it with `--on-server-exit exit`) and forward an abort to the client as a
 * signal. The client's tree is ended with it; what ignores SIGTERM is SIGKILLed.
 */
export async function runClientPhase(records: readonly ServerRecord[], argv: readonly [string, ...string[]], plan: ResolvedOptions, guardian: Guardian, prepared?: PreparedClient, deaths?: DeathWatch): Promise<LaunchResult> {
	if (plan.signal?.aborted) {
		const signal = abortSignalName(plan.signal.reason);
		throw new LaunchError('ABORTED', `${messages.interrupted(signal, 'before the client started')}; stopped`, {details: {signal}});
	}

	const ready = records.map(record => record.ready!);
	await plan.logger.flush?.(); // Our lines first: then the terminal is the client's.
	const client = startClient(argv, records.map(clientUrlOf), plan, guardian, prepared);
	const state = {clientDone: false, ending: false, endedForServer: false, aborted: undefined as NodeJS.Signals | undefined, serverExit: undefined as LaunchResult['serverExit']};
	let forceKill: NodeJS.Timeout | undefined;
	const endClient = (signal: NodeJS.Signals) => {
		state.ending = true;
		client.kill(signal);
		forceKill ??= setTimeout(() => client.kill('SIGKILL'), Math.max(plan.killTimeoutMs, 1));
	};

	const onDeath = (record: ServerRecord, exit: ServerExit) => {
		if (state.clientDone) {
			return;
		}

		state.serverExit ??= {...exit, name: record.name};
		if (plan.onServerExit === 'exit') {
			state.endedForServer = true;
			endClient('SIGTERM');
		}
	};

	(deaths ?? (report => watchServers(records, plan, () => state.clientDone, report)))(onDeath);
	const onAbort = () => {
		state.aborted = abortSignalName(plan.signal?.reason);
		endClient(state.aborted);
	};

	// An abort that came in the same tick as readiness is forwarded now.
	if (plan.signal?.aborted) {
		onAbort();
	} else {
		plan.signal?.addEventListener('abort', onAbort, {once: true});
	}

	try {
		const exit = await client.exited;
		state.clientDone = true;
		if (state.ending) {
			await client.reap(plan.killTimeoutMs); // What the client left of its tree when told to end goes too.
		}

		guardian.setClient(undefined);
		if (exit.spawnError) {
			throw exit.exitCode === 127
				? new LaunchError('CLIENT_NOT_FOUND', `${messages.clientNotFound(argv[0])} (${exit.spawnError.code})`, {details: {command: argv[0]}})
				: new LaunchError('CLIENT_NOT_EXECUTABLE', exit.spawnError.code === 'E2BIG' ? messages.clientTooLong(argv[0]) : `${messages.clientNotExecutable(argv[0])} (${exit.spawnError.code})`, {details: {command: argv[0]}});
		}

		const exitCode = state.aborted ? signalExitCode(state.aborted) : (state.endedForServer ? exitCodes.serverDiedWhileClientRan : exit.exitCode);
		return {exitCode, client: exit, ready, ...(state.serverExit ? {serverExit: state.serverExit} : {}), ...(state.aborted ? {aborted: state.aborted} : {})};
	} finally {
		clearTimeout(forceKill);
		plan.signal?.removeEventListener('abort', onAbort);
	}
}

/** Spawn the client with the live URLs; the guardian learns its pid before it may run. */
function startClient(argv: readonly [string, ...string[]], urls: readonly string[], plan: ResolvedOptions, guardian: Guardian, prepared: PreparedClient | undefined): RunningClient {
	if (plan.client[0].includes('{')) {
		checkClient(argv[0], plan); // The command came from a placeholder: check it now it is known.
	}

	// The client forked while the servers booted, if it is still waiting and the live URLs are
	// the planned ones (an address-family or Host-check fix changes them): no fork now.
	const forked = prepared?.client.waiting() && prepared.key === clientKey(argv, urls) ? prepared.client : undefined;
	if (prepared && !forked) {
		prepared.client.cancel();
	}

	const client = forked ?? plan.os.spawnClient(argv, {cwd: plan.cwd, env: clientEnv(plan, urls)});
	// The guardian knows a held client's pid before it may run (a client that starts only at
	// release, win32 without its job helper, has no pid before that).
	if (client.pid !== undefined) {
		guardian.setClient(client.pid);
	}

	client.release();
	if (client.pid !== undefined) {
		plan.onEvent({type: 'client-start', pid: client.pid});
	}

	return client;
}

/** A client forked while the servers boot, held until they are ready (see prepareClient). */
export type PreparedClient = {client: RunningClient; key: string};

const clientEnv = (plan: ResolvedOptions, urls: readonly string[]) => ({...plan.env, MCP_SERVER_URL: urls[0], MCP_SERVER_URLS: urls.join(' ')});
const clientKey = (argv: readonly string[], urls: readonly string[]) => JSON.stringify([argv, urls]);

/**
 * Fork the client while the servers boot, with the URLs planned for them: its /bin/sh waits
 * for a line, then execs the client (see runClient). At readiness that saves the fork of this
 * whole Node process, the one expensive step between "the server answered" and "the client
 * runs". The guardian knows its pid at once. A client command that is itself a placeholder
 * is not forked early (it is checked once known).
 */
export function prepareClient(argv: readonly [string, ...string[]], urls: readonly string[], plan: ResolvedOptions, guardian: Guardian): PreparedClient | undefined {
	if (plan.client[0].includes('{')) {
		return undefined;
	}

	const client = plan.os.spawnClient(argv, {cwd: plan.cwd, env: clientEnv(plan, urls)});
	if (client.pid === undefined) {
		return undefined;
	}

	guardian.setClient(client.pid);
	return {client, key: clientKey(argv, urls)};
}

/** While the client runs: report each server's death once; `onDeath` decides what else happens. */
function watchServers(records: readonly ServerRecord[], plan: ResolvedOptions, isClientDone: () => boolean, onDeath: (record: ServerRecord, exit: ServerExit) => void): void {
	for (const record of records) {
		const server = record.process;
		void server?.exited.then(async exit => {
			await server.drained(bounds.drainMs);
			if (isClientDone()) {
				return;
			}

			const last = server.tail.lines('stderr', 3).filter(line => line.trim() !== '');
			const fields = {server: record.name, exitCode: exit.code, signal: exit.signal, stderr: last};
			const ending = plan.onServerExit === 'exit';
			plan.logger[ending ? 'error' : 'warn'](fields, messages.diedWhileClientRuns(record, exit, last, ending));
			onDeath(record, exit);
		});
	}
}
