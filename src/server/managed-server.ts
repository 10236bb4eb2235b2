import {defaults} from '../defaults.js';
import {formatDuration} from '../duration.js';
import {LaunchError} from '../errors.js';
import type {Logger} from '../log-types.js';
import type {Guardian} from '../lifecycle/guardian.js';
import type {TerminateResult} from '../lifecycle/process-group.js';
import type {ProbeKind} from '../options.js';
import {describeReady} from '../readiness/describe-ready.js';
import {type ReadyInfo, waitUntilReady} from '../readiness/wait-until-ready.js';
import {isIP} from 'node:net';
import {checkAddresses, connectProbe, hostOf, portOf, workingUrl} from '../diagnose/addresses.js';
import {parseAnnounced} from '../diagnose/announced.js';
import {earlyPortWarning, saysItListensElsewhere} from '../diagnose/announced-port.js';
import {classifyAnswer} from '../diagnose/answer.js';
import {escapedListener} from './escaped.js';
import {formatTail} from './output-tail.js';
import type {ServerLog} from './server-log.js';
import {type ServerExit, type ServerProcess, spawnServer} from './spawn-server.js';
import type {EvidenceSource} from '../platform.js';

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

export type GateOptions = {
	timeoutMs: number;
	probe: ProbeKind;
	headers: Record<string, string>;
	insecure: boolean;
	signal: AbortSignal | undefined;
	echo: boolean;
	/** Treat a suspicious answer (404, 3xx, 401, 403/421, 5xx) as a failure. */
	strict: boolean;
};

export type ServerSetup = {
	name: string;
	/** How to call it in messages: "server" alone, or 'server "api"' when there are several. */
	label: string;
	command: string;
	url: URL;
	env: Record<string, string | undefined>;
	cwd: string;
	log: ServerLog | undefined;
	killTimeoutMs: number;
	logger: Logger;
	/** Where process and socket facts come from; default from `process.platform`. */
	evidenceSource?: EvidenceSource | undefined;
};

/**
 * One server of a launch: its process group, its guardian, its readiness gate, what it
 * does while the client runs, and its teardown.
 */
export class ManagedServer {
	readonly setup: ServerSetup;
	readonly process: ServerProcess;
	ready: ReadyInfo | undefined;

	/** Spawn the server; it runs only once the launch's guardian knows its process group. */
	constructor(setup: ServerSetup, guardian: Guardian) {
		this.setup = setup;
		this.process = spawnServer({command: setup.command, cwd: setup.cwd, env: setup.env, tailLines: defaults.tailLines, log: setup.log, held: true, evidenceSource: setup.evidenceSource, onLogFailure: message => setup.logger.warn({server: setup.name}, message)});
		guardian.addGroup(this.process.pid);
		this.process.release();
		setup.logger.debug({server: setup.name, pid: this.process.pid, guardian: guardian.pid, command: setup.command}, `started ${setup.label} (pid ${this.process.pid}): ${setup.command}`);
	}

	/** Probe until ready; stop at once if the server exits or `signal` aborts. */
	async gate(options: GateOptions): Promise<ReadyInfo> {
		const {setup, process: server} = this;
		const serverGone = new AbortController();
		void server.exited.then(exit => serverGone.abort(exit));
		const stopEcho = options.echo ? server.onLine((line, stream) => setup.logger.debug({source: 'server', server: setup.name, stream}, line)) : undefined;
		// Say it as soon as the server says it listens on another port than the one probed, and its
		// processes really listen there (not on the probed one too); the timeout report repeats it.
		let warnedPort = false;
		let gateOver = false;
		const stopPortWatch = server.onLine(line => {
			if (warnedPort || !saysItListensElsewhere(setup.url, line)) {
				return;
			}

			void import('../diagnose/port-owner.js').then(({listeningPortsOfGroup}) => {
				const listeners = process.platform === 'linux' || process.platform === 'darwin' ? listeningPortsOfGroup(server.pid) : undefined;
				const warning = earlyPortWarning(setup.url, line, {portGiven: setup.env.PORT === String(portOf(setup.url)), ...(listeners ? {listeners} : {})});
				if (warning && !warnedPort && !gateOver) {
					warnedPort = true;
					setup.logger.warn({server: setup.name, announced: warning.ports, suggestedUrl: warning.suggestedUrl}, warning.text);
				}
			});
		});
		const signal = options.signal ? AbortSignal.any([options.signal, serverGone.signal]) : serverGone.signal;
		setup.logger.debug({server: setup.name, url: setup.url.href}, `waiting for ${setup.url.href}`);
		try {
			this.ready = await waitUntilReady(setup.url, {
				timeout: options.timeoutMs,
				signal,
				probe: options.probe,
				headers: options.headers,
				insecure: options.insecure,
				wake: listener => server.onActivity(listener),
			});
			if (this.ready.headersWithheld) {
				setup.logger.warn({server: setup.name, tls: this.ready.headersWithheld.code}, `${setup.url.href} answered, but its certificate could not be verified (${this.ready.headersWithheld.code}): the --header values were not sent to it. The client will verify the certificate itself (NODE_EXTRA_CA_CERTS adds a local CA); --insecure sends the headers anyway`);
			}

			const ready = await this.#checkAnswer(this.ready, options);
			this.ready = ready;
			setup.logger.info({server: setup.name, url: ready.url, status: ready.status, elapsedMs: Math.round(ready.elapsedMs), attempts: ready.attempts, ...(ready.server ? {mcpServer: ready.server} : {})}, `${setup.label === 'server' ? '' : `${setup.label} `}ready ${ready.url} (${describeReady(ready, options.probe)})`);
			return ready;
		} catch (error) {
			throw await this.#gateError(error, serverGone.signal.aborted, options.signal);
		} finally {
			gateOver = true;
			stopEcho?.();
			stopPortWatch();
		}
	}

	/**
	 * It answered; is it the endpoint the client needs? Per address when the host is a name
	 * (localhost → ::1 first while the server bound 127.0.0.1 only: proceed with the address
	 * that works), and the status itself (404 wrong path, 3xx, 401, 403/421, 5xx).
	 */
	async #checkAnswer(ready: ReadyInfo, options: GateOptions): Promise<ReadyInfo> {
		const {setup, process: server} = this;
		let result = ready;
		if (isIP(hostOf(setup.url)) === 0) {
			const {verdict} = await checkAddresses(setup.url, {timeoutMs: 500, probe: connectProbe});
			if (verdict.kind === 'split') {
				setup.logger.warn({server: setup.name, addresses: verdict}, `${verdict.message}${verdict.fix ? `\nfix: ${verdict.fix}` : ''}`);
				if (verdict.firstFails && verdict.workingAddress) {
					result = {...result, url: workingUrl(setup.url, verdict.workingAddress).href};
					setup.logger.info({server: setup.name, url: result.url}, `the client gets ${result.url}`);
				}
			}
		}

		if (options.probe !== 'http') {
			return result;
		}

		const tail = [...server.tail.lines('stdout'), ...server.tail.lines('stderr')];
		const context = {announcedPaths: parseAnnounced(tail).paths, serverOutput: tail};
		const verdict = classifyAnswer({status: ready.status, ...(ready.location === undefined ? {} : {location: ready.location}), ...(ready.bodySnippet === undefined ? {} : {bodySnippet: ready.bodySnippet})}, setup.url, context);
		if (verdict.cause === 'host-check') {
			const {acceptedLoopbackUrl} = await import('../diagnose/host-check.js');
			const accepted = await acceptedLoopbackUrl(setup.url, {headers: options.headers, announcedPaths: context.announcedPaths});
			if (accepted) {
				setup.logger.warn({server: setup.name, status: ready.status, cause: verdict.cause, suggestedUrl: accepted}, `${setup.label === 'server' ? '' : `${setup.label}: `}${verdict.message}; it accepts ${new URL(accepted).host}: the client gets ${accepted}`);
				return {...result, url: accepted};
			}
		}

		if (verdict.severity === 'warn') {
			const text = `${setup.label === 'server' ? '' : `${setup.label}: `}${verdict.message}\nfix: ${verdict.fix}`;
			if (options.strict) {
				throw new LaunchError('ENDPOINT_MISMATCH', `${text}\n(--strict turns this warning into a failure)`, {details: {server: setup.name, status: ready.status, cause: verdict.cause, suggestedUrl: verdict.suggestedUrl}});
			}

			setup.logger.warn({server: setup.name, status: ready.status, cause: verdict.cause, suggestedUrl: verdict.suggestedUrl}, text);
		}

		return result;
	}

	async #gateError(error: unknown, serverGone: boolean, outer: AbortSignal | undefined): Promise<unknown> {
		const {setup, process: server} = this;
		const exit = server.exit();
		if (error instanceof LaunchError && error.code === 'ENDPOINT_MISMATCH') {
			return error;
		}

		if (serverGone && exit) {
			await server.drained(drainMs);
			const {explainCrash} = await import('../diagnose/crash.js');
			const {listeners} = await import('../diagnose/port-owner.js');
			const tail = {stderr: server.tail.lines('stderr'), stdout: server.tail.lines('stdout')};
			const crash = explainCrash(exit, tail, {findOccupants: port => listeners(port, {source: setup.evidenceSource})});
			// `server exited with code 1 before … answered: <reason>`, saying how it ended once.
			return new LaunchError('SERVER_EXITED', `${setup.label} ${describeExit(exit)} before ${setup.url.href} answered${crash.reason ? `: ${crash.reason}` : ''}\nfix: ${crash.fix}\n${formatTail(server.tail, shownLines)}`, {
				cause: error,
				details: {server: setup.name, exitCode: exit.code, signal: exit.signal, crashCause: crash.kind, ...(crash.port === undefined ? {} : {port: crash.port}), ...tail},
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
			const {diagnoseTimeout, gatherTimeoutEvidence} = await import('../diagnose/timeout.js');
			const {formatDiagnosis} = await import('../diagnose/format.js');
			const evidence = await gatherTimeoutEvidence({
				url: setup.url,
				elapsedMs: Number(error.details.elapsedMs),
				attempts: Number(error.details.attempts),
				...(error.cause instanceof Error ? {lastError: error.cause} : {}),
				server,
				portGiven: setup.env.PORT === String(portOf(setup.url)),
				evidenceSource: setup.evidenceSource,
			});
			const diagnosis = diagnoseTimeout(evidence);
			const message = `${setup.label === 'server' ? '' : `${setup.label}: `}${error.message}\n${formatDiagnosis(diagnosis)}`;
			return new LaunchError('READY_TIMEOUT', message, {cause: error.cause, details: {...error.details, server: setup.name, cause: diagnosis.cause, suggestedUrl: diagnosis.suggestedUrl, ...evidence.tail}});
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

	/** Tear the whole group down. */
	async stop(): Promise<TerminateResult> {
		const {setup} = this;
		const stopped = await this.process.stop(setup.killTimeoutMs);
		if (stopped.signal === 'SIGKILL') {
			setup.logger.warn({server: setup.name, pid: this.process.pid}, `${setup.label} ignored SIGTERM for ${formatDuration(setup.killTimeoutMs)}; killed it (SIGKILL)`);
		}

		if (stopped.leftover) {
			setup.logger.error({server: setup.name, pgid: this.process.pid}, `${setup.label}: process group ${this.process.pid} survived SIGKILL`);
		}

		setup.logger.debug({server: setup.name, durationMs: stopped.durationMs, signal: stopped.signal}, `${setup.label} stopped in ${formatDuration(stopped.durationMs)}`);
		// It answered, so it listened: if something still does once the group is gone, it escaped it.
		const escaped = this.ready ? await escapedListener(setup.url) : undefined;
		if (escaped) {
			setup.logger.warn({server: setup.name, url: setup.url.href}, `${setup.label}: ${escaped} after its process group was stopped: a process left the group (setsid, a daemon), so mcp-launch could not stop it; stop it yourself, and keep the server in the foreground of its command`);
		}

		return stopped;
	}
}

/** What launch() needs of a server, spawned or reused. */
export type LaunchedServer = Pick<ManagedServer, 'setup' | 'gate' | 'watch' | 'stop'>;

/**
 * `--reuse`: the endpoint already answered before anything was spawned, so it is used as
 * it is, and left running afterwards (it is not ours to stop).
 */
export class ReusedServer implements LaunchedServer {
	readonly setup: ServerSetup;
	readonly #status: number;

	constructor(setup: ServerSetup, status: number) {
		this.setup = setup;
		this.#status = status;
	}

	async gate(): Promise<ReadyInfo> {
		const {setup} = this;
		setup.logger.info({server: setup.name, url: setup.url.href, status: this.#status, reused: true}, `${setup.label === 'server' ? '' : `${setup.label} `}reusing the server already answering at ${setup.url.href} (${this.#status}); it is left running`);
		return {status: this.#status, durationMs: 0, url: setup.url.href, elapsedMs: 0, attempts: 0};
	}

	watch(): void {}

	async stop(): Promise<TerminateResult> {
		return {signal: undefined, durationMs: 0, leftover: false};
	}
}
