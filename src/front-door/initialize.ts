import type {IncomingMessage} from 'node:http';
import {frontDoor} from '../defaults.js';
import type {Capabilities} from './generation.js';
import {type JsonRpcId, responseId} from './json-rpc.js';
import {eventData, SseEvents} from './sse.js';
import {readBody} from './upstream.js';

/**
 * An `initialize` answer, read whole (it is small) so the front door can map its session id
 * and make it advertise `listChanged`: a client refreshes its tool list on
 * `notifications/tools/list_changed` only when the server said it would send them (Claude
 * Code does exactly that), and after each restart the front door sends them.
 */
export type InitAnswer = {
	status: number;
	/** The generation's own session id, when it made one (a stateful server). */
	sessionId: string | undefined;
	/** The body as the client gets it (JSON, or the SSE events up to the answer). */
	body: string;
	sse: boolean;
	/** From the result: what the server can do, and the protocol version agreed. */
	capabilities: Capabilities | undefined;
	protocolVersion: string | undefined;
};

export const isEventStream = (message: IncomingMessage): boolean => /^text\/event-stream\b/i.test(message.headers['content-type'] ?? '');

/** Read the answer to the initialize request `id`; an SSE answer is read up to the event that answers it. */
export async function readInitAnswer(upstream: IncomingMessage, id: JsonRpcId | undefined): Promise<InitAnswer> {
	const status = upstream.statusCode ?? 0;
	const header = upstream.headers['mcp-session-id'];
	const sessionId = typeof header === 'string' && header !== '' ? header : undefined;
	const common = {status, sessionId, capabilities: undefined, protocolVersion: undefined};
	if (!isEventStream(upstream)) {
		const text = (await readBody(upstream, frontDoor.maxInitAnswerBytes)).toString('utf8');
		let message: unknown;
		try {
			message = JSON.parse(text);
		} catch {
			return {...common, body: text, sse: false};
		}

		const seen = advertiseListChanged(message, id);
		return seen ? {...common, ...seen, body: JSON.stringify(message), sse: false} : {...common, body: text, sse: false};
	}

	return readInitEvents(upstream, id, common);
}

function readInitEvents(upstream: IncomingMessage, id: JsonRpcId | undefined, common: Omit<InitAnswer, 'body' | 'sse'>): Promise<InitAnswer> {
	return new Promise((resolve, reject) => {
		const events = new SseEvents();
		let body = '';
		let size = 0;
		const finish = (answer: InitAnswer) => {
			upstream.removeAllListeners('data');
			upstream.resume();
			resolve(answer);
		};

		upstream.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > frontDoor.maxInitAnswerBytes) {
				upstream.destroy(new Error('the initialize answer is too large'));
				return;
			}

			for (const event of events.push(chunk)) {
				const data = eventData(event);
				let message: unknown;
				try {
					message = data === undefined ? undefined : JSON.parse(data);
				} catch {}

				const seen = advertiseListChanged(message, id);
				if (seen) {
					body += `event: message\ndata: ${JSON.stringify(message)}\n\n`;
					finish({...common, ...seen, body, sse: true});
					return;
				}

				body += event;
			}
		});
		upstream.once('end', () => resolve({...common, body, sse: true}));
		upstream.once('error', reject);
		upstream.once('close', () => reject(new Error('the connection closed before the initialize answer came')));
	});
}

/** In the result answering `id`: set `listChanged` on tools, prompts and resources the server has. */
function advertiseListChanged(message: unknown, id: JsonRpcId | undefined): {capabilities: Capabilities; protocolVersion: string | undefined} | undefined {
	if (responseId(message) === undefined || (id !== undefined && responseId(message) !== id)) {
		return undefined;
	}

	const result = (message as {result?: {capabilities?: Record<string, unknown>; protocolVersion?: unknown}}).result;
	if (typeof result?.capabilities !== 'object' || result.capabilities === null) {
		return undefined;
	}

	for (const kind of ['tools', 'prompts', 'resources'] as const) {
		const capability = result.capabilities[kind];
		if (typeof capability === 'object' && capability !== null) {
			(capability as Record<string, unknown>).listChanged = true;
		}
	}

	return {capabilities: result.capabilities, protocolVersion: typeof result.protocolVersion === 'string' ? result.protocolVersion : undefined};
}

/** The `list_changed` notifications a server with these capabilities gets after a restart. */
export function listChangedMethods(capabilities: Capabilities | undefined): string[] {
	return (['tools', 'prompts', 'resources'] as const).filter(kind => capabilities?.[kind]).map(kind => `notifications/${kind}/list_changed`);
}
