import {backoff} from '../defaults.js';
import type {ResolvedOptions} from '../options.js';
import {probeOfKind, type ReadyInfo, ReadyTimeout, waitForEndpoint} from '../readiness/wait-until-ready.js';
import type {ServerExit, ServerProcess} from '../server/spawn-server.js';
import {messages} from './messages.js';
import {watchAnnouncedPort} from './port-watch.js';
import type {ServerRecord} from './server-record.js';

/** How a gate ended: what the orchestration needs to decide, and the evidence for a report. */
export type GateOutcome =
	| {kind: 'ready'; ready: ReadyInfo}
	| {kind: 'exited'; exit: ServerExit}
	| {kind: 'timeout'; timeout: ReadyTimeout}
	| {kind: 'aborted'; reason: unknown};

/**
 * Probe one started server's endpoint until any HTTP status comes back; stop at once when
 * the server exits or `signal` aborts. Every chunk the server prints wakes an immediate
 * probe. Never throws for a gate that failed: it says how.
 */
export async function gateServer(record: ServerRecord, server: ServerProcess, plan: ResolvedOptions, signal: AbortSignal | undefined): Promise<GateOutcome> {
	const serverGone = new AbortController();
	void server.exited.then(exit => serverGone.abort(exit));
	const stopEcho = plan.echoServerOutput ? server.onLine((line, stream) => plan.logger.debug({source: 'server', server: record.name, stream}, line)) : undefined;
	const stopPortWatch = watchAnnouncedPort(record, server, plan.logger, plan.os.seesListeners);
	plan.logger.debug({server: record.name, url: record.url.href}, messages.waiting(record));
	try {
		const ready = await waitForEndpoint(record.url, {
			timeoutMs: plan.timeoutMs,
			schedule: backoff,
			probe: probeOfKind(plan.probe),
			signal: signal ? AbortSignal.any([signal, serverGone.signal]) : serverGone.signal,
			headers: plan.headers,
			insecure: plan.insecure,
			wake: listener => server.onActivity(listener),
		});
		if (ready.headersWithheld) {
			plan.logger.warn({server: record.name, tls: ready.headersWithheld.code}, messages.headersWithheld(record, ready.headersWithheld.code));
		}

		return {kind: 'ready', ready};
	} catch (error) {
		const exit = server.exit();
		if (serverGone.signal.aborted && exit) {
			return {kind: 'exited', exit};
		}

		if (signal?.aborted) {
			return {kind: 'aborted', reason: signal.reason};
		}

		if (error instanceof ReadyTimeout) {
			return {kind: 'timeout', timeout: error};
		}

		throw error; // A bug: never dressed up as a gate outcome.
	} finally {
		stopEcho?.();
		stopPortWatch();
	}
}
