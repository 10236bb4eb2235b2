import {answerRules, type Probe, unexpectedStatus} from './answer-rules.js';
import type {AnswerContext, AnswerInput, AnswerVerdict} from './types.js';

export {authHints} from './answer-rules.js';
export type {AnswerContext, AnswerInput, AnswerVerdict} from './types.js';

/**
 * What the answer rules read of a probe's answer (a ProbeAnswer, a ReadyInfo, an address's
 * result): the one mapping from an answer to the rules' input.
 */
export function answerInput(answer: AnswerInput): AnswerInput {
	return {
		status: answer.status,
		...(answer.location === undefined ? {} : {location: answer.location}),
		...(answer.wwwAuthenticate === undefined ? {} : {wwwAuthenticate: answer.wwwAuthenticate}),
		...(answer.bodySnippet === undefined ? {} : {bodySnippet: answer.bodySnippet}),
	};
}

/** The JSON-RPC error of a body like `{"jsonrpc":"2.0","error":{"code":-32603,…},"id":null}`, or undefined when the body is no JSON-RPC message. */
export function jsonRpcBody(body: string | undefined): {code?: number; message?: string} | undefined {
	if (body === undefined) {
		return undefined;
	}

	try {
		const parsed = JSON.parse(body) as {jsonrpc?: unknown; error?: {code?: unknown; message?: unknown}; result?: unknown};
		if (parsed?.jsonrpc !== '2.0' || (parsed.error === undefined && parsed.result === undefined)) {
			return undefined;
		}

		const {error} = parsed;
		return {
			...(typeof error?.code === 'number' ? {code: error.code} : {}),
			...(typeof error?.message === 'string' ? {message: error.message} : {}),
		};
	} catch {
		return undefined;
	}
}

/** The same URL under the other loopback spellings (`localhost` ↔ `127.0.0.1` / `[::1]`), for a Host check. */
export function otherLoopbackUrls(url: URL): string[] {
	const swaps = url.hostname === 'localhost' ? ['127.0.0.1', '[::1]'] : (url.hostname === '127.0.0.1' || url.hostname === '[::1]' ? ['localhost'] : []);
	return swaps.map(host => {
		const result = new URL(url.href);
		result.hostname = host;
		return result.href;
	});
}

/**
 * Classify the HTTP status an MCP endpoint gave to the gate's bare POST ping. Pure.
 * 2xx/400/405/406 are what MCP servers answer to it (ready); the rest are named with the fix.
 * The meaning of each kind of answer is one rule in answer-rules.ts, tried in order.
 */
export function classifyAnswer(answer: AnswerInput, url: URL, context: AnswerContext = {}): AnswerVerdict {
	const probe: Probe = {answer, url, context, status: answer.status, at: `${url.pathname}`, rpc: jsonRpcBody(answer.bodySnippet)};
	for (const rule of answerRules) {
		const verdict = rule(probe);
		if (verdict) {
			return verdict;
		}
	}

	return unexpectedStatus(probe);
}
