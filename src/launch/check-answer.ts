import {isIP} from 'node:net';
import {bounds} from '../defaults.js';
import {checkAddresses, connectProbe, hostOf, workingUrl} from '../diagnose/addresses.js';
import {parseAnnounced, readAnnouncement} from '../diagnose/announced.js';
import {answerInput, type AnswerVerdict, classifyAnswer} from '../diagnose/answer.js';
import type {ResolvedOptions} from '../options.js';
import type {ReadyInfo} from '../readiness/wait-until-ready.js';
import type {ServerProcess} from '../server/spawn-server.js';
import {messages} from './messages.js';
import type {ServerRecord} from './server-record.js';

function answerContext(server: ServerProcess | undefined): {announcedPaths: string[]; serverOutput: string[]} {
	const kept = server?.tail.kept();
	const tail = kept ? [...kept.stdout, ...kept.stderr] : [];
	return {announcedPaths: parseAnnounced(tail).paths, serverOutput: tail};
}

/** Resolves true once the server prints a line that names an MCP path, false after `ms` (or when it exits). */
function announcesPath(server: ServerProcess, ms: number): Promise<boolean> {
	return new Promise(resolve => {
		const done = (found: boolean) => {
			clearTimeout(timer);
			stop();
			resolve(found);
		};

		const timer = setTimeout(() => done(false), ms);
		const stop = server.onLine(line => {
			if (readAnnouncement(line)?.path !== undefined) {
				done(true);
			}
		});
		void server.exited.then(() => done(false));
	});
}

/** A 404 here while another of the server's ports answers MCP at this path: the port is wrong, not the path. */
async function mcpOnAnotherPort(url: URL, verdict: AnswerVerdict, server: ServerProcess): Promise<AnswerVerdict> {
	const [{probeOtherPorts}, {mcpOnOtherPort}] = await Promise.all([import('../diagnose/other-ports.js'), import('../diagnose/rules.js')]);
	const others = await probeOtherPorts(url, await server.listeners(), {timeoutMs: bounds.answerCheckMs});
	const found = mcpOnOtherPort(url, verdict, others);
	return found ? {...verdict, cause: found.cause, message: found.summary, fix: found.fix, ...(found.suggestedUrl ? {suggestedUrl: found.suggestedUrl} : {})} : verdict;
}

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

	const answer = answerInput(ready);
	let context = answerContext(server);
	let verdict = classifyAnswer(answer, record.url, context);
	if (verdict.cause === 'wrong-path' && context.announcedPaths.length === 0 && server && await announcesPath(server, bounds.announceWaitMs)) {
		// It answered 404 before it said where it serves MCP (it says so a line later): read that, not a guess.
		context = answerContext(server);
		verdict = classifyAnswer(answer, record.url, context);
	}

	if (verdict.cause === 'wrong-path' && verdict.status === 404 && server && plan.os.seesListeners) {
		verdict = await mcpOnAnotherPort(record.url, verdict, server);
	}

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
