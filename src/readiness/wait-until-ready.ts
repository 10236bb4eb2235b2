import pRetry from 'p-retry';
import {backoff, defaults} from '../defaults.js';
import {formatDuration} from '../duration.js';
import {LaunchError} from '../errors.js';
import {toDurationMs, toEndpointUrl} from '../options.js';
import {toHeaders} from '../workflow/headers.js';
import {mcpHandshake, type ServerInfo} from './mcp-handshake.js';
import {cachedLookup, probe as httpProbe, type ProbeAnswer, ProbeError, type ProbeOptions, tcpProbe} from './probe.js';
import {warmUpHttp} from './warm-up.js';

export type ProbeKind = 'http' | 'tcp' | 'mcp';
const probes: Record<ProbeKind, (url: URL, options: ProbeOptions) => Promise<ProbeAnswer>> = {http: httpProbe, tcp: tcpProbe, mcp: mcpHandshake};

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
	probe?: ProbeKind | ((url: URL, options: ProbeOptions) => Promise<ProbeAnswer>);
};

export type BackoffSchedule = {minTimeoutMs: number; factor: number; maxTimeoutMs: number; slowAfterMs: number; slowMaxTimeoutMs: number; probeTimeoutMs: number};

/**
 * The delays p-retry will wait between failed probes, for `count` failures: the same
 * formula (min * factor^n, capped), written out so the schedule can be checked and documented.
 */
export function backoffDelays(count: number, schedule: BackoffSchedule = backoff): number[] {
	return Array.from({length: count}, (_, n) => Math.min(Math.round(schedule.minTimeoutMs * (schedule.factor ** n)), schedule.maxTimeoutMs));
}

export type ReadyInfo = ProbeAnswer & {
	/** With the mcp probe: what the server said about itself. */
	server?: ServerInfo;
	url: string;
	/** Time from the call to the answer that made it ready. */
	elapsedMs: number;
	attempts: number;
};

const wakeReason = Symbol('wake');

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
	const timeoutMs = toDurationMs(options.timeout ?? defaults.timeoutMs, '--timeout');
	if (options.headers !== undefined) {
		toHeaders(options.headers);
	}

	const schedule: BackoffSchedule = {...backoff, ...options.backoff};
	const lookup = cachedLookup();
	const probe = typeof options.probe === 'function' ? options.probe : probes[options.probe ?? 'http'];
	const start = performance.now();
	const deadline = start + timeoutMs;
	let attempts = 0;
	let lastError: Error | undefined;
	let ready: ReadyInfo | undefined;
	let inFlight = false;
	let wakeWhenDone = false;
	let round: AbortController | undefined;

	const unsubscribe = options.wake?.(() => {
		if (inFlight) {
			wakeWhenDone = true;
		} else {
			round?.abort(wakeReason);
		}
	});

	const attempt = async () => {
		attempts++;
		inFlight = true;
		try {
			const answer = await probe(endpoint, {
				// Bounded by its own timeout, the wait's deadline and the caller's abort signal:
				// a server that accepts and never answers cannot hold the wait past either.
				timeoutMs: Math.max(1, Math.min(schedule.probeTimeoutMs, deadline - performance.now())),
				lookup,
				...(options.signal ? {signal: options.signal} : {}),
				...(options.headers ? {headers: options.headers} : {}),
				...(options.insecure ? {insecure: true} : {}),
			});
			ready = {...answer, url: endpoint.href, elapsedMs: performance.now() - start, attempts};
			return ready;
		} catch (error) {
			// A probe cut short by the end of the budget says nothing new: keep the error before it.
			if (attempts === 1 && probe === httpProbe) {
				setImmediate(() => void warmUpHttp());
			}

			const truncated = (error as ProbeError).code === 'ETIMEDOUT' && (error as ProbeError).connected !== true && deadline - performance.now() < schedule.probeTimeoutMs && lastError !== undefined;
			if (!truncated) {
				lastError = error as Error;
			}

			options.onFailedProbe?.(error as Error, attempts);
			throw error;
		} finally {
			inFlight = false;
			if (wakeWhenDone) {
				wakeWhenDone = false;
				round?.abort(wakeReason);
			}
		}
	};

	try {
		for (;;) {
			options.signal?.throwIfAborted();
			round = new AbortController();
			const signal = options.signal ? AbortSignal.any([options.signal, round.signal]) : round.signal;
			// Two phases: short delays while a server usually comes up, then longer ones, so a
			// long silent boot costs little CPU. A round ends at the phase boundary.
			const now = performance.now();
			const fast = now - start < schedule.slowAfterMs;
			const roundEnd = fast ? Math.min(deadline, start + schedule.slowAfterMs) : deadline;
			try {
				// eslint-disable-next-line no-await-in-loop
				return await pRetry(attempt, {
					retries: Number.POSITIVE_INFINITY,
					minTimeout: schedule.minTimeoutMs,
					factor: schedule.factor,
					maxTimeout: fast ? schedule.maxTimeoutMs : schedule.slowMaxTimeoutMs,
					maxRetryTime: Math.max(0, roundEnd - now),
					signal,
				});
			} catch (error) {
				if (ready) {
					return ready; // A wake raced with the successful probe.
				}

				options.signal?.throwIfAborted();
				const woken = round.signal.aborted;
				if (!woken && !(error instanceof ProbeError)) {
					throw error; // Not "not listening yet": a bug or a bad option; never spin on it.
				}

				if (performance.now() < deadline) {
					continue; // Woken (probe again at once, fresh backoff) or into the slow phase.
				}

				throw new LaunchError('READY_TIMEOUT', `${endpoint.href} did not answer within ${formatDuration(timeoutMs)} (${attempts} probes; last error: ${describeProbeError(lastError ?? (error as Error))})`, {
					cause: lastError ?? error,
					details: {url: endpoint.href, attempts, elapsedMs: performance.now() - start, lastError: lastError?.message},
				});
			}
		}
	} finally {
		unsubscribe?.();
	}
}

export function describeProbeError(error: Error): string {
	const code = (error as {code?: string}).code;
	return code && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
}
