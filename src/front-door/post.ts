import type {ClientRequest, IncomingMessage, ServerResponse} from 'node:http';
import {bounds, frontDoor} from '../defaults.js';
import type {Generation} from './generation.js';
import type {Generations} from './generations.js';
import {readInitAnswer} from './initialize.js';
import {type Failure, FailureError, type PostBody, readPostBody} from './json-rpc.js';
import {answerError, clientHeaders, relayAnswer} from './relay.js';
import type {Session, Sessions} from './sessions.js';
import {forwardHeaders, readBody, Refused, sendUpstream} from './upstream.js';
import {frontDoorTexts} from '../launch/messages.js';

export type PostContext = {generations: Generations; sessions: Sessions; timeoutMs: number; onCapabilities: (gen: Generation) => void};

type Outcome = 'done' | 'refused' | 'broken' | 'session-lost';

/**
 * A client's POST: held while no generation serves (bounded by --timeout), sent to the current
 * one under the session id it knows the client by, and answered. Sent again only when nothing
 * received it: a refused connect (the server just died: the next generation gets it), or a 404
 * for the session (the generation has never heard of it: it is initialized there first).
 */
export async function handlePost(req: IncomingMessage, res: ServerResponse, context: PostContext): Promise<void> {
	let raw: Buffer;
	try {
		raw = await readBody(req, frontDoor.maxBodyBytes);
	} catch {
		if (!res.headersSent) {
			res.writeHead(413, {'content-type': 'application/json'}).end(JSON.stringify({jsonrpc: '2.0', id: null, error: {code: -32_600, ...frontDoorTexts.tooLarge(frontDoor.maxBodyBytes)}}));
		}

		return;
	}

	const body = readPostBody(raw);
	const initialize = body.method === 'initialize';
	const clientId = initialize ? undefined : header(req, 'mcp-session-id');
	const session = clientId === undefined ? undefined : context.sessions.get(clientId);
	if (clientId !== undefined && !session) {
		answerError(res, body, frontDoorTexts.sessionNotFound, 404); // As the SDKs answer: the client starts a new session.
		return;
	}

	if (session && body.method === 'notifications/initialized') {
		session.initialized = {body: raw, headers: req.headers};
	}

	const deadline = performance.now() + context.timeoutMs;
	// A client that went away while its request was held: the request is dropped, never sent.
	let clientGone = false;
	res.once('close', () => {
		clientGone = !res.writableFinished;
	});
	let lostOnce = false;
	for (;;) {
		// eslint-disable-next-line no-await-in-loop
		const step = await onCurrent(context, session, deadline, body.method ?? 'a POST', async (gen, upstreamId) => (clientGone ? 'done' : exchange({req, res, raw, body, gen, upstreamId, session, initialize, context})));
		if ('failure' in step) {
			answerError(res, body, step.failure);
			return;
		}

		if (step.outcome === 'done') {
			return;
		}

		if (step.outcome === 'session-lost') {
			if (lostOnce) {
				answerError(res, body, frontDoorTexts.sessionLost);
				return;
			}

			lostOnce = true;
			context.sessions.unbind(session!, step.gen);
		}
	}
}

type Step = {outcome: Outcome | 'again'; gen: Generation} | {failure: Failure};

/**
 * Run `attempt` on the current generation (held until there is one), with the session bound
 * there. A refused connect or a broken replay that turns out to be the generation's death
 * comes back as 'again' (the caller tries the next generation); what cannot be answered comes
 * back as the failure to answer with.
 */
async function onCurrent(context: PostContext, session: Session | undefined, deadline: number, what: string, attempt: (gen: Generation, upstreamId: string | undefined) => Promise<Outcome>): Promise<Step> {
	let gen: Generation;
	try {
		gen = context.generations.serving() ?? await context.generations.acquire(deadline, what); // No await on the common path.
	} catch (error) {
		return {failure: failureOf(error)};
	}

	let outcome: Outcome;
	try {
		const bound = session?.binding?.gen === gen ? session.binding.id : undefined;
		const upstreamId = session && bound === undefined ? await context.sessions.bind(session, gen, {deadline}) : bound;
		outcome = await attempt(gen, upstreamId);
	} catch (error) {
		if (error instanceof FailureError) {
			return {failure: error.failure};
		}

		outcome = error instanceof Refused ? 'refused' : 'broken';
		if (outcome === 'broken' && !(await gen.goneWithin(bounds.drainMs * 2))) {
			return {failure: frontDoorTexts.replayFailed(error)};
		}
	}

	if (outcome === 'refused' && !(await gen.goneWithin(bounds.drainMs * 4))) {
		return {failure: frontDoorTexts.refused(gen.url)};
	}

	return {outcome: outcome === 'refused' || outcome === 'broken' ? 'again' : outcome, gen};
}

type Exchange = {req: IncomingMessage; res: ServerResponse; raw: Buffer; body: PostBody; gen: Generation; upstreamId: string | undefined; session: Session | undefined; initialize: boolean; context: PostContext};

/** One try on one generation, counted in its requests in flight (its death answers this one at once). */
async function exchange({req, res, raw, body, gen, upstreamId, session, initialize, context}: Exchange): Promise<Outcome> {
	let outgoing: ClientRequest | undefined;
	let failedWith: Failure | undefined;
	const abort = () => outgoing?.destroy();
	const done = gen.track(failure => {
		failedWith = failure;
		abort();
	});
	res.once('close', abort);
	const failure = async () => failedWith ?? (await gen.goneWithin(bounds.drainMs * 2)) ?? frontDoorTexts.brokeOff(gen.url);
	try {
		let upstream: IncomingMessage;
		try {
			upstream = await sendUpstream(gen, {method: 'POST', headers: forwardHeaders(req.headers, gen, upstreamId), body: raw, hold: request => {
				outgoing = request;
			}});
		} catch (error) {
			if (error instanceof Refused && !failedWith) {
				return 'refused';
			}

			answerError(res, body, await failure());
			return 'done';
		}

		if (upstream.statusCode === 404 && session) {
			upstream.resume();
			return 'session-lost';
		}

		if (initialize) {
			await relayInitialize(upstream, res, {raw, req, body, gen, context, failure});
		} else {
			await relayAnswer(upstream, res, {body, sessionId: session?.id, failure});
		}

		return 'done';
	} finally {
		res.off('close', abort);
		done();
	}
}

type InitRelay = {raw: Buffer; req: IncomingMessage; body: PostBody; gen: Generation; context: PostContext; failure: () => Promise<Failure>};

/** The client's initialize: its answer read whole, the session made (or none: stateless), listChanged advertised. */
async function relayInitialize(upstream: IncomingMessage, res: ServerResponse, {raw, req, body, gen, context, failure}: InitRelay): Promise<void> {
	let answer;
	try {
		answer = await readInitAnswer(upstream, body.ids[0]);
	} catch {
		answerError(res, body, await failure());
		return;
	}

	if (answer.capabilities) {
		gen.capabilities ??= answer.capabilities;
		context.onCapabilities(gen);
	}

	const made = answer.sessionId !== undefined && answer.status >= 200 && answer.status < 300 ? context.sessions.create({body: raw, headers: req.headers}, gen, answer.sessionId) : undefined;
	const headers = clientHeaders(upstream, made?.id);
	res.writeHead(answer.status, {...headers, ...(answer.sse ? {'x-accel-buffering': 'no'} : {}), 'content-length': Buffer.byteLength(answer.body)}).end(answer.body);
}

function failureOf(error: unknown): Failure {
	return error instanceof FailureError ? error.failure : frontDoorTexts.replayFailed(error);
}

export function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return typeof value === 'string' && value !== '' ? value : undefined;
}
