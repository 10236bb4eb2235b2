import {isIP} from 'node:net';
import {bounds} from '../defaults.js';
import {LaunchError} from '../errors.js';
import type {ResolvedOptions} from '../options.js';
import {connectTcp, hostOf} from '../readiness/connect.js';
import type {ServerRecord} from './server-record.js';

/** An address literal that refuses a bare connect is free: the common case, decided with nothing more loaded. */
async function refusedAtOnce(url: URL, signal: AbortSignal | undefined): Promise<boolean> {
	if (isIP(hostOf(url)) === 0) {
		return false; // A name: every address it resolves to is checked below.
	}

	try {
		(await connectTcp(url, {timeoutMs: bounds.preflightMs, ...(signal ? {signal} : {})})).destroy();
		return false;
	} catch (error) {
		return (error as {code?: string}).code === 'ECONNREFUSED';
	}
}

/**
 * Before spawning anything: each server's port must be free (a stale instance would answer
 * the gate and the client would talk to it). With `reuse`, an endpoint that already answers
 * is used as it is (`record.reused`). Ports picked with `auto` were free a moment ago and
 * are not checked. One bounded connect per address; /proc or lsof only when one answered.
 * The checking code loads only when a port is to be checked and a bare connect to an address
 * literal did not settle it (refused: free).
 */
export async function preflight(records: readonly ServerRecord[], plan: ResolvedOptions): Promise<void> {
	const candidates = records.filter(record => !record.autoPort);
	const refused = await Promise.all(candidates.map(async record => refusedAtOnce(record.url, plan.signal)));
	const checked = candidates.filter((_record, index) => !refused[index]);
	if (checked.length === 0) {
		return;
	}

	const [{checkPortFree}, {formatDiagnosis}] = await Promise.all([import('../diagnose/preflight.js'), import('../diagnose/format.js')]);
	const found = await Promise.all(checked.map(async record => checkPortFree(record.url, {
		headers: plan.headers,
		insecure: plan.insecure,
		findListeners: port => plan.os.listeners(port),
		...(plan.signal ? {signal: plan.signal} : {}),
	})));
	for (const [index, taken] of found.entries()) {
		const record = checked[index]!;
		if (taken?.answerStatus !== undefined && plan.reuse) {
			record.reused = {status: taken.answerStatus};
		} else if (taken) {
			throw new LaunchError('PORT_IN_USE', `${record.prefix}${formatDiagnosis(taken.diagnosis)}`, {
				details: {server: record.name, port: taken.port, occupants: taken.occupants, ...(taken.answerStatus === undefined ? {} : {answerStatus: taken.answerStatus})},
			});
		}
	}
}
