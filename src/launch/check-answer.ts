import {isIP} from 'node:net';
import {bounds} from '../defaults.js';
import {checkAddresses, connectProbe, hostOf, workingUrl} from '../diagnose/addresses.js';
import {parseAnnounced} from '../diagnose/announced.js';
import {answerInput, type AnswerVerdict, classifyAnswer} from '../diagnose/answer.js';
import type {ResolvedOptions} from '../options.js';
import type {ReadyInfo} from '../readiness/wait-until-ready.js';
import type {ServerProcess} from '../server/spawn-server.js';
import {messages} from './messages.js';
import type {ServerRecord} from './server-record.js';

/** Something to tell the user about an endpoint that answered. */
export type Note = {level: 'warn' | 'info'; fields: Record<string, unknown>; text: string};

/** What the answer check found: the URL the client gets, what to say, and a mismatch `--strict` fails on. */
export type AnswerCheck = {url: string; notes: Note[]; mismatch?: {verdict: AnswerVerdict; text: string; fields: Record<string, unknown>}};

/**
 * It answered; is it the endpoint the client needs? Per address when the host is a name
 * (localhost → ::1 first while the server bound 127.0.0.1 only: proceed with the address
 * that works), then the status itself (404 wrong path, 3xx, 401, 403/421 Host check, 5xx).
 */
export async function checkAnswer(record: ServerRecord, server: ServerProcess | undefined, ready: ReadyInfo, plan: ResolvedOptions): Promise<AnswerCheck> {
	const result: AnswerCheck = {url: ready.url, notes: []};
	if (isIP(hostOf(record.url)) === 0) {
		const {verdict} = await checkAddresses(record.url, {timeoutMs: bounds.answerCheckMs, probe: connectProbe});
		if (verdict.kind === 'split') {
			result.notes.push({level: 'warn', fields: {server: record.name, addresses: verdict}, text: messages.finding(record, verdict.message, verdict.fix)});
			if (verdict.firstFails && verdict.workingAddress) {
				result.url = workingUrl(record.url, verdict.workingAddress).href;
				result.notes.push({level: 'info', fields: {server: record.name, url: result.url}, text: messages.clientGets(result.url)});
			}
		}
	}

	if (plan.probe !== 'http') {
		return result;
	}

	const tail = server ? [...server.tail.lines('stdout'), ...server.tail.lines('stderr')] : [];
	const context = {announcedPaths: parseAnnounced(tail).paths, serverOutput: tail};
	const verdict = classifyAnswer(answerInput(ready), record.url, context);
	const fields = {server: record.name, status: ready.status, cause: verdict.cause, suggestedUrl: verdict.suggestedUrl};
	if (verdict.cause === 'host-check') {
		const {acceptedLoopbackUrl} = await import('../diagnose/host-check.js');
		const accepted = await acceptedLoopbackUrl(record.url, {headers: plan.headers, announcedPaths: context.announcedPaths});
		if (accepted) {
			result.notes.push({level: 'warn', fields: {...fields, suggestedUrl: accepted}, text: messages.hostCheckPassed(record, verdict.message, accepted)});
			result.url = accepted;
			return result;
		}
	}

	if (verdict.severity === 'warn') {
		const text = messages.finding(record, verdict.message, verdict.fix);
		result.mismatch = {verdict, text, fields};
	}

	return result;
}
