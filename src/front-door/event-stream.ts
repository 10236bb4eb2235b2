import type {IncomingHttpHeaders, IncomingMessage, ServerResponse} from 'node:http';
import {frontDoor} from '../defaults.js';
import type {Generation} from './generation.js';
import {isEventStream} from './initialize.js';
import {notification, sseEvent} from './json-rpc.js';
import {streamHeaders} from './relay.js';
import type {Session, Sessions} from './sessions.js';
import {eventId, SseEvents, withEventId} from './sse.js';
import {forwardHeaders, sendUpstream} from './upstream.js';

/** One client's GET event stream: the front door's own, fed by the generations' streams. */
type ClientStream = {
	res: ServerResponse;
	headers: IncomingHttpHeaders;
	session: Session | undefined;
	/** The client's Last-Event-ID, passed on when it names an event of the generation it attaches to. */
	lastEventId: string | undefined;
	/** The generations' own streams feeding it: the serving one, and the next one from just before it serves. */
	upstreams: Map<Generation, AbortController>;
};

/**
 * The clients' event streams (GET). Each stays open while generations come and go: it is
 * answered by the front door at once, and fed by the serving generation's own stream when it
 * has one. A new generation's stream is attached before it takes traffic (what it sends right
 * after the swap is not lost), the old one's detached after. Event ids are prefixed with the
 * generation's number, so a resumption never goes to the wrong one. After a restart the front
 * door writes the `list_changed` notifications itself. Only whole events are written, each as
 * soon as it is complete.
 */
export class EventStreams {
	private readonly streams = new Set<ClientStream>();
	private keepAlive: NodeJS.Timeout | undefined;

	constructor(private readonly sessions: Sessions) {}

	/** A client's GET: answered now (200, an event stream), attached to `gen` if one serves. */
	open(req: IncomingMessage, res: ServerResponse, session: Session | undefined, gen: Generation | undefined): void {
		const last = req.headers['last-event-id'];
		const stream: ClientStream = {res, headers: req.headers, session, lastEventId: typeof last === 'string' ? last : undefined, upstreams: new Map()};
		res.writeHead(200, {...streamHeaders, ...(session ? {'mcp-session-id': session.id} : {})});
		res.flushHeaders();
		this.streams.add(stream);
		res.once('close', () => {
			this.detach(stream);
			this.streams.delete(stream);
		});
		this.keepAlive ??= setInterval(() => this.writeAll(': keepalive\n\n'), frontDoor.keepAliveMs).unref();
		if (gen) {
			void this.attach(stream, gen);
		}
	}

	/** Before `gen` takes traffic: every stream attached to its own stream too (resolves once each answered). */
	async prepare(gen: Generation): Promise<void> {
		await Promise.all([...this.streams].map(async stream => this.attach(stream, gen)));
	}

	/** `gen` serves now: the streams are fed by it alone (one opened meanwhile is attached now). */
	swapped(gen: Generation): void {
		for (const stream of this.streams) {
			this.detach(stream, gen);
			if (!stream.upstreams.has(gen)) {
				void this.attach(stream, gen);
			}
		}
	}

	/** A notification of the front door's own on every stream (`notifications/tools/list_changed`). */
	notify(methods: readonly string[]): void {
		for (const method of methods) {
			this.writeAll(sseEvent(notification(method)));
		}
	}

	/** The session ended (DELETE): its stream ends too. */
	endSession(session: Session): void {
		for (const stream of this.streams) {
			if (stream.session === session) {
				stream.res.end();
			}
		}
	}

	closeAll(): void {
		clearInterval(this.keepAlive);
		for (const stream of this.streams) {
			this.detach(stream);
			stream.res.end();
		}

		this.streams.clear();
	}

	private writeAll(text: string): void {
		for (const stream of this.streams) {
			stream.res.write(text);
		}
	}

	/** Drop the stream's upstreams (all, or all but `keep`'s). */
	private detach(stream: ClientStream, keep?: Generation): void {
		for (const [gen, controller] of stream.upstreams) {
			if (gen !== keep) {
				controller.abort();
				stream.upstreams.delete(gen);
			}
		}
	}

	/** Feed the stream from `gen`'s own event stream too; a server without one (405) leaves it fed by the front door only. */
	private async attach(stream: ClientStream, gen: Generation, again = true): Promise<void> {
		stream.upstreams.get(gen)?.abort();
		const controller = new AbortController();
		stream.upstreams.set(gen, controller);
		const attached = () => stream.upstreams.get(gen) === controller;
		const prefix = `${gen.n}-`;
		const resume = stream.lastEventId?.startsWith(prefix) ? {'last-event-id': stream.lastEventId.slice(prefix.length)} : {};
		let upstream: IncomingMessage;
		try {
			const upstreamId = stream.session ? await this.sessions.bind(stream.session, gen, controller.signal) : undefined;
			upstream = await sendUpstream(gen, {method: 'GET', headers: forwardHeaders(stream.headers, gen, upstreamId, {accept: 'text/event-stream', ...resume}), signal: controller.signal});
		} catch {
			return; // The generation went, or the stream was closed: the next generation attaches it again.
		}

		if (upstream.statusCode === 404 && stream.session && again && attached()) {
			upstream.resume();
			this.sessions.unbind(stream.session, gen);
			return this.attach(stream, gen, false);
		}

		if (upstream.statusCode !== 200 || !isEventStream(upstream) || !attached()) {
			upstream.resume();
			return;
		}

		const events = new SseEvents();
		upstream.on('data', (chunk: Buffer) => {
			for (const event of events.push(chunk)) {
				if (attached()) {
					const id = eventId(event);
					stream.res.write(id === undefined ? event : withEventId(event, `${prefix}${id}`));
				}
			}
		});
		upstream.on('error', () => {});
		upstream.once('close', () => {
			if (attached()) {
				stream.upstreams.delete(gen);
			}
		});
	}
}
