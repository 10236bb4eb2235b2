import {LaunchError} from '../errors.js';
import type {ResolvedOptions} from '../options.js';
import type {ServerRecord} from './server-record.js';

/**
 * Before spawning anything: each server's port must be free (a stale instance would answer
 * the gate and the client would talk to it). With `reuse`, an endpoint that already answers
 * is used as it is (`record.reused`). Ports picked with `auto` were free a moment ago and
 * are not checked. One bounded connect per address; /proc or lsof only when one answered.
 * The checking code loads only when a port is to be checked.
 */
export async function preflight(records: readonly ServerRecord[], plan: ResolvedOptions): Promise<void> {
	const checked = records.filter(record => !record.autoPort);
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
