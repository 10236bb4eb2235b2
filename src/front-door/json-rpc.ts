/**
 * The little of JSON-RPC the front door reads and writes: what a client's POST holds (its
 * request ids, whether it is `initialize` or `notifications/initialized`) and the error it
 * answers with when no server can (HTTP 200, a JSON-RPC error per request id, or an SSE
 * event once a stream has started).
 */

export type JsonRpcId = string | number;

export type PostBody = {
	/** The ids of the requests in it (responses and notifications have none to answer). */
	ids: JsonRpcId[];
	batch: boolean;
	/** The method of its first message. */
	method: string | undefined;
	/** Parsed, when it parsed (the body is forwarded as it came either way). */
	messages: Array<Record<string, unknown>>;
};

/** What a POST body holds; a body that is not JSON-RPC yields no ids (it is forwarded untouched). */
export function readPostBody(body: Buffer): PostBody {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch {
		return {ids: [], batch: false, method: undefined, messages: []};
	}

	const batch = Array.isArray(parsed);
	const messages = (batch ? (parsed as unknown[]) : [parsed]).filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
	const ids = messages.filter(message => typeof message.method === 'string' && isId(message.id)).map(message => message.id as JsonRpcId);
	const first = messages[0]?.method;
	return {ids, batch, method: typeof first === 'string' ? first : undefined, messages};
}

export const isId = (value: unknown): value is JsonRpcId => typeof value === 'string' || typeof value === 'number';

/** A JSON-RPC response (result or error) to one of the ids, not a request or notification. */
export function responseId(message: unknown): JsonRpcId | undefined {
	if (typeof message !== 'object' || message === null || 'method' in message) {
		return undefined;
	}

	const {id} = message as {id?: unknown};
	return isId(id) && ('result' in message || 'error' in message) ? id : undefined;
}

/** What went wrong, as the client reads it: a message for people, evidence for machines. */
export type Failure = {message: string; data?: Record<string, unknown>};

/** A request the front door cannot get answered, and why: what acquire() and a session replay reject with. */
export class FailureError extends Error {
	override name = 'FailureError';
	constructor(readonly failure: Failure) {
		super(failure.message);
	}
}

/** -32000..-32099 is the JSON-RPC range for server errors; the SDKs use -32000 for transport-level ones. */
const serverError = -32_000;

export function errorMessage(id: JsonRpcId | null, failure: Failure): string {
	return JSON.stringify({jsonrpc: '2.0', id, error: {code: serverError, message: failure.message, ...(failure.data ? {data: failure.data} : {})}});
}

/** The body answering every request of a POST with the same error (an array for a batch). */
export function errorBody(body: Pick<PostBody, 'ids' | 'batch'>, failure: Failure): string {
	if (!body.batch) {
		return errorMessage(body.ids[0] ?? null, failure);
	}

	return `[${body.ids.map(id => errorMessage(id, failure)).join(',')}]`;
}

/** One SSE event carrying one JSON-RPC message. */
export const sseEvent = (json: string): string => `event: message\ndata: ${json}\n\n`;

/** A notification the front door sends on its own (`notifications/tools/list_changed`). */
export const notification = (method: string): string => JSON.stringify({jsonrpc: '2.0', method});
