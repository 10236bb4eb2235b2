import type {WriteStream} from 'node:fs';
import {defaults} from '../defaults.js';
import {formatDuration} from '../duration.js';
import {LaunchError} from '../errors.js';
import type {Logger} from '../log-types.js';
import {type Guardian, startGuardian} from '../lifecycle/guardian.js';
import type {TerminateResult} from '../lifecycle/process-group.js';
import type {ProbeKind} from '../options.js';
import {type ReadyInfo, waitUntilReady} from '../readiness/wait-until-ready.js';
import {formatTail} from './output-tail.js';
import {type ServerExit, type ServerProcess, spawnServer} from './spawn-server.js';

/** How long to let a dead server's pipes drain so its last words are in the tail. */
const drainMs = 250;
/** How many tail lines go into a message. */
const shownLines = 15;

export function describeExit(exit: ServerExit): string {
	if (exit.spawnError) {
		return `could not be started (${exit.spawnError})`;
	}

	return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

export function abortSignalName(reason: unknown): NodeJS.Signals {
	return reason === 'SIGINT' || reason === 'SIGHUP' || reason === 'SIGTERM' ? reason : 'SIGTERM';
}

export type ServerSetup = {
	name: string;
	/** How to call it in messages: "server" alone, or 'server "api"' when there are several. */
	label: string;
	command: string;
	url: URL;
	env: Record<string, string | undefined>;
	cwd: string;
	log: WriteStream | undefined;
	killTimeoutMs: number;
	logger: Logger;
};

/**
 * One server of a launch: its process group, its guardian, its readiness gate, what it
 * does while the client runs, and its teardown.
 */
export class ManagedServer {
	readonly setup: ServerSetup;
	readonly process: ServerProcess;
	readonly guardian: Guardian;
	ready: ReadyInfo | undefined;

	constructor(setup: ServerSetup) {
		this.setup = setup;
		this.process = spawnServer({command: setup.command, cwd: setup.cwd, env: setup.env, tailLines: defaults.tailLines, log: setup.log});
		this.guardian = startGuardian(this.process.pid, setup.killTimeoutMs);
		setup.logger.debug({server: setup.name, pid: this.process.pid, guardian: this.guardian.pid, command: setup.command}, `started ${setup.label} (pid ${this.process.pid}): ${setup.command}`);
	}

	/** Probe until ready; stop at once if the server exits or `signal` aborts. */
	async gate(options: {timeoutMs: number; probe: ProbeKind; headers: Record<string, string>; signal: AbortSignal | undefined; echo: boolean}): Promise<ReadyInfo> {
		const {setup, process: server} = this;
		const serverGone = new AbortController();
		void server.exited.then(exit => serverGone.abort(exit));
		const stopEcho = options.echo ? server.onLine((line, stream) => setup.logger.debug({source: 'server', server: setup.name, stream}, line)) : undefined;
		const signal = options.signal ? AbortSignal.any([options.signal, serverGone.signal]) : serverGone.signal;
		setup.logger.debug({server: setup.name, url: setup.url.href}, `waiting for ${setup.url.href}`);
		try {
			this.ready = await waitUntilReady(setup.url, {
				timeout: options.timeoutMs,
				signal,
				probe: options.probe,
				headers: options.headers,
				wake: listener => server.onActivity(listener),
			});
			const {ready} = this;
			const about = ready.server ? `MCP ${ready.server.name ?? '?'} ${ready.server.version ?? ''}, protocol ${ready.server.protocolVersion ?? '?'}, ` : (options.probe === 'tcp' ? 'TCP connect ' : `${ready.status} `);
			setup.logger.info({server: setup.name, url: ready.url, status: ready.status, elapsedMs: Math.round(ready.elapsedMs), attempts: ready.attempts, ...(ready.server ? {mcpServer: ready.server} : {})}, `${setup.label === 'server' ? '' : `${setup.label} `}ready ${ready.url} (${about}after ${formatDuration(ready.elapsedMs)})`);
			return ready;
		} catch (error) {
			throw await this.#gateError(error, serverGone.signal.aborted, options.signal);
		} finally {
			stopEcho?.();
		}
	}

	async #gateError(error: unknown, serverGone: boolean, outer: AbortSignal | undefined): Promise<unknown> {
		const {setup, process: server} = this;
		const exit = server.exit();
		if (serverGone && exit) {
			await server.drained(drainMs);
			return new LaunchError('SERVER_EXITED', `${setup.label} ${describeExit(exit)} before ${setup.url.href} answered\n${formatTail(server.tail, shownLines)}`, {
				cause: error,
				details: {server: setup.name, exitCode: exit.code, signal: exit.signal, stderr: server.tail.lines('stderr'), stdout: server.tail.lines('stdout')},
			});
		}

		if (outer?.aborted) {
			if (outer.reason instanceof LaunchError) {
				return outer.reason; // Another server failed first; that is the story.
			}

			const signalName = abortSignalName(outer.reason);
			return new LaunchError('ABORTED', `interrupted by ${signalName} while waiting for ${setup.url.href}; stopped`, {cause: error, details: {signal: signalName}});
		}

		if (error instanceof LaunchError && error.code === 'READY_TIMEOUT') {
			const message = `${setup.label === 'server' ? '' : `${setup.label}: `}${error.message}\nthe server is still running (pid ${server.pid}); it was stopped\n${formatTail(server.tail, shownLines)}`;
			return new LaunchError('READY_TIMEOUT', message, {cause: error.cause, details: {...error.details, server: setup.name, stderr: server.tail.lines('stderr'), stdout: server.tail.lines('stdout')}});
		}

		return error;
	}

	/** While the client runs: report this server's death once; `onDeath` decides what else happens. */
	watch(isClientDone: () => boolean, onDeath: (exit: ServerExit, evidence: string[]) => void): void {
		void this.process.exited.then(async exit => {
			await this.process.drained(drainMs);
			if (!isClientDone()) {
				onDeath(exit, this.process.tail.lines('stderr', 3).filter(line => line.trim() !== ''));
			}
		});
	}

	/** Tear the whole group down, then release the guardian. */
	async stop(): Promise<TerminateResult> {
		const {setup} = this;
		const stopped = await this.process.stop(setup.killTimeoutMs);
		if (stopped.signal === 'SIGKILL') {
			setup.logger.warn({server: setup.name, pid: this.process.pid}, `${setup.label} ignored SIGTERM for ${formatDuration(setup.killTimeoutMs)}; killed it (SIGKILL)`);
		}

		if (stopped.leftover) {
			setup.logger.error({server: setup.name, pgid: this.process.pid}, `${setup.label}: process group ${this.process.pid} survived SIGKILL`);
		}

		this.guardian.dismiss();
		setup.logger.debug({server: setup.name, durationMs: stopped.durationMs, signal: stopped.signal}, `${setup.label} stopped in ${formatDuration(stopped.durationMs)}`);
		return stopped;
	}
}
