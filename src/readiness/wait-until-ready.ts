import pRetry from 'p-retry';
import {backoff, defaults} from '../defaults.js';
import {formatDuration} from '../duration.js';
import {LaunchError} from '../errors.js';
import {toDurationMs, toEndpointUrl} from '../option-values.js';
import {toHeaders} from '../workflow/headers.js';
import {mcpHandshake, type ServerInfo} from './mcp-handshake.js';
import {cachedLookup, probe as httpProbe, type ProbeAnswer, ProbeError, type ProbeOptions, tcpProbe} from './probe.js';
import {quietError} from './probe-types.js';
import {warmUpHttp} from './warm-up.js';

export type ProbeKind = 'http' | 'tcp' | 'mcp';
export type ProbeFunction = (url: URL, options: ProbeOptions) => Promise<ProbeAnswer>;
const probes: Record<ProbeKind, ProbeFunction> = {http: httpProbe, tcp: tcpProbe, mcp: mcpHandshake};

export type WaitOptions = {
	/** Readiness budget: milliseconds, or a duration string like '30s'. Default 30 s. */
	timeout?: number | string;
	/** Stops the wait; the promise rejects with `signal.reason`. */
	signal?: AbortSignal;
	/** Extra headers for every probe (auth). */
	headers?: Record<string, string>;
	/** Send `headers` to an https endpoint whose certificate cannot be verified (default: withhold them). */
	insecure?: boolean;
	/**
	 * Subscribe to "something happened, probe now" events, such as the server printing a
	 * line (servers print right after listen()). Returns an unsubscribe function.
	 */
	wake?: (listener: () => void) => () => void;
	/** Called after each failed probe. */
	onFailedProbe?: (error: Error, attempt: number) => void;
	/** Override the backoff schedule (milliseconds). */
	backoff?: Partial<BackoffSchedule>;
	/**
	 * How readiness is judged: `'http'` (default: any HTTP status to a POST ping), `'tcp'`
	 * (a connection is accepted), `'mcp'` (a full initialize handshake; see mcpHandshake for
	 * its side effect on single-session servers). A function replaces the probe entirely.
	 */
	probe?: ProbeKind | ProbeFunction;
};

export type BackoffSchedule = {minTimeoutMs: number; factor: number; maxTimeoutMs: number; slowAfterMs: number; slowMaxTimeoutMs: number; probeTimeoutMs: number};

/** A wait with its options already checked: a URL, milliseconds, a probe function. */
export type WaitPlan = Omit<WaitOptions, 'timeout' | 'backoff' | 'probe'> & {timeoutMs: number; schedule: BackoffSchedule; probe: ProbeFunction};

export type ReadyInfo = ProbeAnswer & {
	/** With the mcp probe: what the server said about itself. */
	server?: ServerInfo;
	url: string;
	/** Time from the call to the answer that made it ready. */
	elapsedMs: number;
	attempts: number;
};

/** The budget ran out: how long, how many probes, and the last thing a probe said. */
export class ReadyTimeout extends Error {
	override name = 'ReadyTimeout';
	constructor(readonly url: URL, readonly timeoutMs: number, readonly elapsedMs: number, readonly attempts: number, readonly lastError: Error | undefined) {
		super(`${url.href} did not answer within ${formatDuration(timeoutMs)} (${attempts} probes; last error: ${lastError ? describeProbeError(lastError) : 'none'})`, {cause: lastError});
	}
}

/**
 * The pause after the n-th failure in a row: min * factor^n, capped; the cap is
 * `maxTimeoutMs` while servers usually come up and `slowMaxTimeoutMs` after `slowAfterMs`,
 * so a long silent boot costs little CPU.
 */
export function pauseAfter(failures: number, elapsedMs: number, schedule: BackoffSchedule = backoff): number {
	const cap = elapsedMs < schedule.slowAfterMs ? schedule.maxTimeoutMs : schedule.slowMaxTimeoutMs;
	return Math.min(Math.round(schedule.minTimeoutMs * (schedule.factor ** failures)), cap);
}

/** The first `count` pauses of a wait in its fast phase (for docs and specs). */
export function backoffDelays(count: number, schedule: BackoffSchedule = backoff): number[] {
	return Array.from({length: count}, (_, n) => pauseAfter(n, 0, schedule));
}

/**
 * Wait until an MCP endpoint answers HTTP (any status), probing with a short backoff.
 * Resolves with the status that made it ready. Rejects with a `LaunchError` of code
 * `READY_TIMEOUT` when the budget runs out, or with `signal.reason` when aborted.
 *
 * @example
 * import {waitUntilReady} from 'mcp-launch';
 * const {status, elapsedMs} = await waitUntilReady('http://127.0.0.1:3000/mcp', {timeout: '10s'});
 * await client.connect(new StreamableHTTPClientTransport(new URL('http://127.0.0.1:3000/mcp')));
 */
export async function waitUntilReady(url: string | URL, options: WaitOptions = {}): Promise<ReadyInfo> {
	const endpoint = toEndpointUrl(url);
	const {timeout, backoff: schedule, probe, ...rest} = options;
	const plan: WaitPlan = {
		...rest,
		timeoutMs: toDurationMs(timeout ?? defaults.timeoutMs, '--timeout'),
		schedule: {...backoff, ...schedule},
		probe: typeof probe === 'function' ? probe : probes[probe ?? 'http'],
		...(options.headers === undefined ? {} : {headers: toHeaders(options.headers)}),
	};
	try {
		return await waitForEndpoint(endpoint, plan);
	} catch (error) {
		if (error instanceof ReadyTimeout) {
			throw new LaunchError('READY_TIMEOUT', error.message, {
				cause: error.lastError,
				details: {url: endpoint.href, attempts: error.attempts, elapsedMs: error.elapsedMs, ...(error.lastError ? {lastError: error.lastError.message} : {})},
			});
		}

		throw error;
	}
}

/** The probe function for a kind (the launcher's plan holds a kind). */
export function probeOfKind(kind: ProbeKind): ProbeFunction {
	return probes[kind];
}

/** How long after the first refused probe the HTTP client is warmed up (see afterFailure). */
const warmUpAfterMs = 20;

/**
 * The loop behind waitUntilReady, for callers whose options are checked already. p-retry
 * runs it: the attempts, the time budget (`maxRetryTime`) and the abort signal. The pause
 * between two attempts is ours (p-retry's own delay is 0), because it must end early: when
 * the server prints something (it usually does right after listen()), the next probe goes
 * out at once and the backoff starts over. Rejects with {@link ReadyTimeout} or the abort reason.
 */
export async function waitForEndpoint(url: URL, plan: WaitPlan): Promise<ReadyInfo> {
	const wait: WaitState = {start: performance.now(), deadline: performance.now() + plan.timeoutMs, attempts: 0, failuresInRow: 0, lastError: undefined, boundMs: 0, wakes: wakeSource(plan.wake)};
	const lookup = cachedLookup();
	try {
		return await pRetry(async () => {
			wait.attempts++;
			wait.wakes.clear();
			const answer = await plan.probe(url, {
				// Bounded by its own timeout, the wait's deadline and the caller's abort signal:
				// a server that accepts and never answers cannot hold the wait past either.
				timeoutMs: (wait.boundMs = Math.max(1, Math.min(plan.schedule.probeTimeoutMs, wait.deadline - performance.now()))),
				lookup,
				...(plan.signal ? {signal: plan.signal} : {}),
				...(plan.headers ? {headers: plan.headers} : {}),
				...(plan.insecure ? {insecure: true} : {}),
			});
			return {...answer, url: url.href, elapsedMs: performance.now() - wait.start, attempts: wait.attempts};
		}, {
			retries: Number.POSITIVE_INFINITY,
			minTimeout: 0,
			maxTimeout: 0,
			maxRetryTime: plan.timeoutMs,
			...(plan.signal ? {signal: plan.signal} : {}),
			onFailedAttempt: async ({error}) => afterFailure(error, plan, wait),
		});
	} catch (error) {
		if (plan.signal?.aborted) {
			throw plan.signal.reason;
		}

		throw error instanceof ProbeError ? new ReadyTimeout(url, plan.timeoutMs, performance.now() - wait.start, wait.attempts, wait.lastError ?? error) : error;
	} finally {
		wait.wakes.stop();
	}
}

type WaitState = {start: number; deadline: number; attempts: number; failuresInRow: number; lastError: Error | undefined; /** The bound of the probe that ran last. */ boundMs: number; wakes: ReturnType<typeof wakeSource>};

/** Between two attempts: keep what the failure said, then pause (a wake cuts the pause short and restarts the backoff). */
async function afterFailure(error: Error, plan: WaitPlan, wait: WaitState): Promise<void> {
	if (!(error instanceof ProbeError)) {
		throw error; // Not "not listening yet": a bug or a bad option; never spin on it.
	}

	if (wait.attempts === 1 && plan.probe === httpProbe) {
		// Not at once: a server that dies on its first breath (a wrong command, a missing file)
		// has by then, and its report does not wait behind a warm-up it never needed. No server
		// is ready within these milliseconds (Node alone starts in more).
		setTimeout(() => {
			if (!plan.signal?.aborted) {
				void warmUpHttp();
			}
		}, warmUpAfterMs).unref();
	}

	wait.lastError = keepTelling(wait.lastError, error, wait.boundMs < plan.schedule.probeTimeoutMs && wait.deadline - performance.now() < 1 ? wait.boundMs : undefined);
	plan.onFailedProbe?.(error, wait.attempts);
	if (wait.wakes.woken()) {
		wait.failuresInRow = 0; // The server printed while this probe ran: probe again at once.
		return;
	}

	const pause = Math.min(pauseAfter(wait.failuresInRow++, performance.now() - wait.start, plan.schedule), wait.deadline - performance.now());
	if (await wait.wakes.sleep(pause, plan.signal)) {
		wait.failuresInRow = 0; // Cut short by the server printing: the backoff starts over.
	}
}

/**
 * A probe cut short by the end of the budget (`cutAfterMs`: its bound, set by the deadline)
 * says little: a connect cut short says nothing new, so the error before it is kept; so is a
 * real failure before it (a TLS handshake refused: https against plain http; a full probe
 * bound without an answer), which a connection cut short would hide. After refusals (it just
 * started listening), the timeout is told as what it was: the budget running out, not a server
 * that never answers.
 */
function keepTelling(previous: Error | undefined, error: ProbeError, cutAfterMs: number | undefined): Error {
	if (error.code !== 'ETIMEDOUT' || cutAfterMs === undefined || previous === undefined) {
		return error;
	}

	const told = (previous as {code?: string}).code;
	if (error.connected !== true || told !== 'ECONNREFUSED') {
		return previous;
	}

	const cut = quietError('ETIMEDOUT', `the connection was accepted, but the budget ran out ${Math.round(cutAfterMs)} ms later, before an HTTP answer`);
	cut.connected = true;
	return cut;
}

/** "Probe now" events (the server printed something), and a pause they cut short. */
function wakeSource(subscribe: WaitOptions['wake']) {
	let woken = false;
	let cutShort: (() => void) | undefined;
	const unsubscribe = subscribe?.(() => {
		woken = true;
		cutShort?.();
	});
	return {
		/** A probe starts: what woke us is being looked at now. */
		clear() {
			woken = false;
		},
		woken: () => woken,
		/** Resolves true when a wake ended the pause early; an abort ends it too (p-retry then throws). */
		sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
			if (ms <= 0 || signal?.aborted) {
				return Promise.resolve(false);
			}

			return new Promise<boolean>(resolve => {
				const done = (byWake: boolean) => {
					clearTimeout(timer);
					signal?.removeEventListener('abort', onAbort);
					cutShort = undefined;
					resolve(byWake);
				};

				const onAbort = () => done(false);
				const timer = setTimeout(() => done(false), ms);
				cutShort = () => done(true);
				signal?.addEventListener('abort', onAbort, {once: true});
			});
		},
		stop() {
			unsubscribe?.();
		},
	};
}

export function describeProbeError(error: Error): string {
	const code = (error as {code?: string}).code;
	// OpenSSL's multi-line dump (`…:SSL routines:ssl3_get_record:wrong version number:…`) in one short line.
	const tls = /SSL routines:[^:]*:([^:\n]+)/.exec(error.message);
	if (tls) {
		return `${code ?? 'TLS'} (TLS: ${tls[1]!.trim()})`;
	}

	return code && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}
