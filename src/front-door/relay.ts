import type {IncomingMessage, OutgoingHttpHeaders, ServerResponse} from 'node:http';
import {frontDoor} from '../defaults.js';
import {isEventStream} from './initialize.js';
import {errorBody, errorMessage, type Failure, type JsonRpcId, type PostBody, responseId, sseEvent} from './json-rpc.js';
import {eventData, SseEvents} from './sse.js';
import {backwardHeaders, readBody} from './upstream.js';

/** Headers of every event stream the front door writes: never buffered on the way (nginx and the like included). */
export const streamHeaders = {'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no'} as const;

/** Answer a POST with an error for each of its requests (HTTP 200: a JSON-RPC answer, never a stray 4xx/5xx). */
export function answerError(res: ServerResponse, body: Pick<PostBody, 'ids' | 'batch'>, failure: Failure, status = 200): void {
	if (res.headersSent) {
		res.end();
		return;
	}

	if (body.ids.length === 0 && status === 200) {
		res.writeHead(202).end(); // Notifications and responses: nothing to answer.
		return;
	}

	const text = errorBody(body, failure);
	res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text)}).end(text);
}

/** The client's view of a generation's headers: its session id is the client's. */
export function clientHeaders(upstream: IncomingMessage, sessionId: string | undefined): OutgoingHttpHeaders {
	const headers = backwardHeaders(upstream.headers);
	if (sessionId !== undefined && upstream.headers['mcp-session-id'] !== undefined) {
		headers['mcp-session-id'] = sessionId;
	}

	return headers;
}

export type RelayOptions = {
	body: PostBody;
	/** The client's session id, when it has one (set on the answer in place of the generation's). */
	sessionId: string | undefined;
	/** Why the answer broke off, once known (the generation's death, or its replacement). */
	failure: () => Promise<Failure>;
};

/**
 * Pass a generation's answer to a POST on to the client: a JSON answer whole (it is small, and
 * so a failure half-way can still become a proper error), an event stream event by event, each
 * written as soon as it is complete. If the answer breaks off, every request not yet answered
 * gets a JSON-RPC error: in the body, or as an event once the stream has started.
 */
export async function relayAnswer(upstream: IncomingMessage, res: ServerResponse, options: RelayOptions): Promise<void> {
	const status = upstream.statusCode ?? 502;
	if (!isEventStream(upstream)) {
		let data: Buffer;
		try {
			data = await readBody(upstream, frontDoor.maxBodyBytes);
		} catch {
			answerError(res, options.body, await options.failure());
			return;
		}

		res.writeHead(status, {...clientHeaders(upstream, options.sessionId), 'content-length': data.length}).end(data);
		return;
	}

	res.writeHead(status, {...clientHeaders(upstream, options.sessionId), ...streamHeaders});
	// The head goes out with the first event (one write instead of two: a server's head and first
	// event usually come a moment apart), or on its own if no event comes within 50 ms (a slow tool).
	let head: NodeJS.Timeout | undefined = setTimeout(() => res.flushHeaders(), 50);
	const unanswered = new Set<JsonRpcId>(options.body.ids);
	const events = new SseEvents();
	const complete = await new Promise<boolean>(resolve => {
		upstream.on('data', (chunk: Buffer) => {
			clearTimeout(head);
			head = undefined;
			for (const event of events.push(chunk)) {
				if (unanswered.size > 0) {
					noteAnswered(event, unanswered);
				}

				if (!res.write(event)) {
					upstream.pause();
					res.once('drain', () => upstream.resume());
				}
			}
		});
		upstream.once('end', () => resolve(true));
		upstream.once('error', () => resolve(false));
		upstream.once('close', () => resolve(upstream.complete));
	});
	clearTimeout(head);
	if (!complete && unanswered.size > 0 && !res.destroyed) {
		const failure = await options.failure();
		for (const id of unanswered) {
			res.write(sseEvent(errorMessage(id, failure)));
		}
	}

	res.end();
}

/**
 * An event that answers one of the requests takes its id off the list. An event larger than
 * 64 KiB is not parsed (a large tool result would cost milliseconds): it counts as no answer, so
 * a stream that breaks right after it gets one error too many (a client ignores an answer to an
 * id it no longer waits for), never one too few.
 */
function noteAnswered(event: string, unanswered: Set<JsonRpcId>): void {
	const data = event.length > 65_536 ? undefined : eventData(event);
	if (data === undefined) {
		return;
	}

	try {
		const id = responseId(JSON.parse(data));
		if (id !== undefined) {
			unanswered.delete(id);
		}
	} catch {}
}
