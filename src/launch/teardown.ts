import type {ResolvedOptions} from '../options.js';
import {escapedListener} from '../server/escaped.js';
import {messages} from './messages.js';
import type {ServerRecord} from './server-record.js';

/**
 * Tear a started server's whole process group down (SIGTERM, SIGKILL after the grace) and
 * say what was unusual: it ignored SIGTERM, members survived SIGKILL, or a process that left
 * the group still listens on its port. A reused server is not ours to stop.
 */
export async function stopServer(record: ServerRecord, plan: ResolvedOptions): Promise<void> {
	const server = record.process;
	if (!server) {
		return;
	}

	const stopped = await server.stop(plan.killTimeoutMs);
	if (stopped.step === 'kill' && plan.killTimeoutMs > 0) { // --kill-timeout 0 asked for the kill at once.
		plan.logger.warn({server: record.name, pid: server.pid}, messages.ignoredSigterm(record, plan.killTimeoutMs, plan.os.stopWords));
	}

	if (stopped.leftover) {
		plan.logger.error({server: record.name, pgid: server.pid}, messages.survivedSigkill(record, server.pid, plan.os.stopWords));
	}

	plan.logger.debug({server: record.name, durationMs: stopped.durationMs, step: stopped.step}, messages.stopped(record, stopped.durationMs));
	// It answered, so it listened: if something still does once the group is gone, it escaped it.
	const escaped = record.ready ? await escapedListener(record.url, plan.os) : undefined;
	if (escaped) {
		plan.logger.warn({server: record.name, url: record.url.href}, messages.escaped(record, escaped));
	}
}
