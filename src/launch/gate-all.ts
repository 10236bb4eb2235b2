import {type AnyLaunchError, LaunchError} from '../errors.js';
import type {ResolvedOptions} from '../options.js';
import type {ReadyInfo} from '../readiness/wait-until-ready.js';
import {checkAnswer} from './check-answer.js';
import {gateFailure} from './gate-failure.js';
import {gateServer} from './gate-server.js';
import {messages} from './messages.js';
import {clientUrlOf, type ServerRecord} from './server-record.js';

/**
 * Gate on every server at once, each record getting its `ready`. The first failure stops the
 * others (their gates end 'aborted' with it as the reason) and is the one reported.
 */
export async function gateAll(records: readonly ServerRecord[], plan: ResolvedOptions): Promise<void> {
	const failed = new AbortController();
	const signal = plan.signal ? AbortSignal.any([plan.signal, failed.signal]) : failed.signal;
	plan.onEvent({type: 'waiting', urls: records.map(record => record.url.href)});
	let first: unknown;
	const results = await Promise.allSettled(records.map(async record => {
		try {
			record.ready = await gateOne(record, plan, signal);
			plan.onEvent({type: 'ready', name: record.name, url: clientUrlOf(record)});
		} catch (error) {
			if (!failed.signal.aborted && !plan.signal?.aborted) {
				first = error;
				failed.abort(error);
			}

			throw error;
		}
	}));
	const rejected = results.find(result => result.status === 'rejected');
	if (rejected) {
		throw first ?? rejected.reason;
	}
}

/**
 * One server: reused as it is, or gated, then its answer checked; rejects with the LaunchError
 * to report. A restart (`quiet`) gates its generation the same way; what the first one already
 * said (the ready line, the notes on its answer) is then said at debug level only.
 */
export async function gateOne(record: ServerRecord, plan: ResolvedOptions, signal: AbortSignal | undefined, {quiet = false} = {}): Promise<ReadyInfo> {
	if (record.reused) {
		plan.logger.info({server: record.name, url: record.url.href, status: record.reused.status, reused: true}, messages.reused(record, record.reused.status));
		return {status: record.reused.status, durationMs: 0, url: record.url.href, elapsedMs: 0, attempts: 0};
	}

	const server = record.process!;
	const outcome = await gateServer(record, server, plan, signal);
	if (outcome.kind !== 'ready') {
		throw await gateFailure(record, server, outcome, plan);
	}

	const check = await checkAnswer(record, server, outcome.ready, plan);
	for (const note of check.notes) {
		plan.logger[quiet ? 'debug' : note.level](note.fields, note.text);
	}

	if (check.mismatch && plan.strict) {
		const {verdict} = check.mismatch;
		throw new LaunchError('ENDPOINT_MISMATCH', messages.strict(check.mismatch.text), {
			details: {server: record.name, status: outcome.ready.status, cause: verdict.cause, ...(verdict.suggestedUrl === undefined ? {} : {suggestedUrl: verdict.suggestedUrl})},
		}) as AnyLaunchError;
	}

	if (check.mismatch) {
		plan.logger[quiet ? 'debug' : 'warn'](check.mismatch.fields, check.mismatch.text);
	}

	const ready = {...outcome.ready, url: check.url};
	plan.logger[quiet ? 'debug' : 'info']({server: record.name, url: ready.url, status: ready.status, elapsedMs: Math.round(ready.elapsedMs), attempts: ready.attempts, ...(ready.server ? {mcpServer: ready.server} : {})}, messages.ready(record, ready, plan.probe));
	return ready;
}
