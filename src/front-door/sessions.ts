import {randomUUID} from 'node:crypto';
import type {IncomingHttpHeaders} from 'node:http';
import {frontDoor} from '../defaults.js';
import type {Generation} from './generation.js';
import {readInitAnswer} from './initialize.js';
import {FailureError, type JsonRpcId, readPostBody} from './json-rpc.js';
import {forwardHeaders, sendUpstream} from './upstream.js';

/** A request the client sent once, kept to be sent again to each new generation. */
export type Kept = {body: Buffer; headers: IncomingHttpHeaders};

/**
 * One client session, under an id the front door made: it stays the same while the server
 * behind it is restarted. Each generation gets the client's own `initialize` (and
 * `notifications/initialized`) again and makes a session id of its own; `binding` says which
 * generation holds the session under which id.
 */
export type Session = {
	readonly id: string;
	readonly init: Kept;
	initialized?: Kept;
	binding?: {gen: Generation; id: string};
	pending?: {gen: Generation; promise: Promise<string>};
};

/**
 * The client sessions a front door knows, least recently used first (past `maxSessions` the
 * oldest is forgotten). A stateless server (no session id in its initialize answer) makes none:
 * its requests pass through as they are.
 */
export class Sessions {
	private readonly byId = new Map<string, Session>();

	/** The session, marked as just used; undefined if the front door never made it (or it ended). */
	get(id: string): Session | undefined {
		const session = this.byId.get(id);
		if (session) {
			this.byId.delete(id);
			this.byId.set(id, session);
		}

		return session;
	}

	/** A generation answered the client's initialize with a session of its own: make the client's. */
	create(init: Kept, gen: Generation, upstreamId: string): Session {
		const session: Session = {id: randomUUID(), init, binding: {gen, id: upstreamId}};
		this.byId.set(session.id, session);
		for (const oldest of this.byId.keys()) {
			if (this.byId.size <= frontDoor.maxSessions) {
				break;
			}

			this.byId.delete(oldest);
		}

		return session;
	}

	delete(id: string): void {
		this.byId.delete(id);
	}

	/** The `count` most recently used sessions. */
	recent(count: number): Session[] {
		return [...this.byId.values()].slice(-count);
	}

	/**
	 * The session's id on `gen`: the one it has, or a new one made by sending the client's
	 * initialize (and initialized) to `gen` again. Rejects with Refused (nothing listened: the
	 * caller waits for the next generation), FailureError (it answered, but made no session), or a network error.
	 */
	async bind(session: Session, gen: Generation, bound: AbortSignal | {deadline: number}): Promise<string> {
		if (session.binding?.gen === gen) {
			return session.binding.id;
		}

		if (session.pending?.gen === gen) {
			return session.pending.promise;
		}

		const signal = bound instanceof AbortSignal ? bound : AbortSignal.timeout(Math.max(1, Math.ceil(bound.deadline - performance.now())));
		const promise = initializeOn(session, gen, signal);
		session.pending = {gen, promise};
		promise.then(id => {
			session.binding = {gen, id};
		}, () => {}).finally(() => {
			if (session.pending?.promise === promise) {
				session.pending = undefined;
			}
		});
		return promise;
	}

	/** `gen` said it does not know the session (404): the next request binds it again. */
	unbind(session: Session, gen: Generation): void {
		if (session.binding?.gen === gen) {
			session.binding = undefined;
		}
	}
}

/** Send the session's initialize, then its initialized notification, to `gen`: its session id there. */
async function initializeOn(session: Session, gen: Generation, signal: AbortSignal): Promise<string> {
	const id = readPostBody(session.init.body).ids[0] as JsonRpcId | undefined;
	const answer = await readInitAnswer(await sendUpstream(gen, {method: 'POST', headers: forwardHeaders(session.init.headers, gen, undefined), body: session.init.body, signal}), id);
	if (answer.status < 200 || answer.status > 299 || answer.sessionId === undefined) {
		throw new FailureError({
			message: `mcp-launch: the restarted server did not take this session's initialize again (HTTP ${answer.status}${answer.sessionId === undefined ? ', no session id' : ''}): ${answer.body.slice(0, 300)}`,
			data: {status: answer.status},
		});
	}

	gen.capabilities ??= answer.capabilities;
	if (session.initialized) {
		const done = await sendUpstream(gen, {method: 'POST', headers: forwardHeaders(session.initialized.headers, gen, answer.sessionId), body: session.initialized.body, signal});
		done.resume();
	}

	return answer.sessionId;
}
