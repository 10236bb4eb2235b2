import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import {frontDoor} from '../defaults.js';
import {frontDoorTexts} from '../launch/messages.js';
import type {Capabilities, Generation} from './generation.js';
import type {Generations} from './generations.js';
import {listChangedMethods} from './initialize.js';
import {EventStreams} from './event-stream.js';
import {passThrough} from './pass-through.js';
import {handlePost, header} from './post.js';
import {answerError} from './relay.js';
import {Sessions} from './sessions.js';
import {forwardHeaders, sendUpstream} from './upstream.js';

/**
 * The front door: mcp-launch's own HTTP server on the client's URL (loopback only), in front
 * of the server's generations. It checks `Origin` (403 for a page that is not local, as the
 * MCP spec asks of servers), and routes the MCP endpoint's POST (post.ts), GET (the client's
 * event stream, event-stream.ts) and DELETE (ending a session); anything else is passed through.
 */
export class FrontDoor {
	readonly sessions = new Sessions();
	readonly streams = new EventStreams(this.sessions);
	private generations: Generations | undefined;
	/** The server's capabilities as last seen, for the `list_changed` after a restart. */
	private capabilities: Capabilities | undefined;

	private constructor(private readonly listeners: http.Server[], private readonly url: URL, private readonly timeoutMs: number) {
		for (const server of listeners) {
			server.on('request', (req: IncomingMessage, res: ServerResponse) => {
				this.handle(req, res).catch(() => {
					if (!res.headersSent) {
						res.writeHead(500).end();
					}

					res.end();
				});
			});
		}
	}

	/** Listen on the URL's loopback address (both 127.0.0.1 and ::1 for `localhost`). Rejects with the listen error (EADDRINUSE). */
	static async open(url: URL, timeoutMs: number): Promise<FrontDoor> {
		const port = Number(url.port || 80);
		const host = url.hostname.replace(/^\[|\]$/g, '');
		const listeners: http.Server[] = [];
		try {
			listeners.push(await listen(host === 'localhost' ? '127.0.0.1' : host, port));
			if (host === 'localhost') {
				// Where ::1 exists, a client that resolves localhost to it first is served there too.
				const v6 = await listen('::1', port).catch(() => undefined);
				if (v6) {
					listeners.push(v6);
				}
			}
		} catch (error) {
			await Promise.all(listeners.map(async server => closeServer(server)));
			throw error;
		}

		return new FrontDoor(listeners, url, timeoutMs);
	}

	use(generations: Generations): void {
		this.generations = generations;
	}

	/**
	 * Before `gen` takes traffic: the recent client sessions initialized there, and the client
	 * event streams attached to its own (bounded by --timeout). Older sessions are initialized
	 * there on their next request.
	 */
	async prepare(gen: Generation, signal: AbortSignal): Promise<void> {
		const bound = AbortSignal.any([signal, AbortSignal.timeout(this.timeoutMs)]);
		await Promise.all(this.sessions.recent(frontDoor.eagerReplays).map(async session => this.sessions.bind(session, gen, bound).catch(() => {})));
		// The client streams too: what the new generation sends right after the swap must find them attached.
		await Promise.race([this.streams.prepare(gen), new Promise(resolve => {
			bound.addEventListener('abort', resolve, {once: true});
		})]);
	}

	/** `gen` serves now: the event streams are fed by it alone and, after a restart, hear `list_changed`. */
	swapped(gen: Generation, first: boolean): void {
		this.streams.swapped(gen);
		if (!first) {
			this.streams.notify(listChangedMethods(gen.capabilities ?? this.capabilities));
		}
	}

	async close(): Promise<void> {
		this.streams.closeAll();
		await Promise.all(this.listeners.map(async server => closeServer(server)));
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const origin = header(req, 'origin');
		if (origin !== undefined && !isLocalOrigin(origin)) {
			answerError(res, {ids: [], batch: false}, frontDoorTexts.forbiddenOrigin(origin), 403);
			return;
		}

		const generations = this.generations!;
		const path = new URL(req.url ?? '/', 'http://front.door').pathname;
		if (path !== this.url.pathname) {
			await passThrough(req, res, generations, this.timeoutMs);
			return;
		}

		switch (req.method) {
			case 'POST': {
				await handlePost(req, res, {generations, sessions: this.sessions, timeoutMs: this.timeoutMs, onCapabilities: gen => {
					this.capabilities = gen.capabilities;
				}});
				return;
			}

			case 'GET': {
				this.openStream(req, res, generations);
				return;
			}

			case 'DELETE': {
				await this.endSession(req, res, generations);
				return;
			}

			default: {
				await passThrough(req, res, generations, this.timeoutMs);
			}
		}
	}

	private openStream(req: IncomingMessage, res: ServerResponse, generations: Generations): void {
		if (!/text\/event-stream/.test(req.headers.accept ?? '')) {
			answerError(res, {ids: [], batch: false}, {message: 'Not Acceptable: Client must accept text/event-stream'}, 406);
			return;
		}

		const id = header(req, 'mcp-session-id');
		const session = id === undefined ? undefined : this.sessions.get(id);
		if (id !== undefined && !session) {
			answerError(res, {ids: [], batch: false}, frontDoorTexts.sessionNotFound, 404);
			return;
		}

		this.streams.open(req, res, session, generations.serving());
	}

	/** DELETE: the session ends here and on the generation that holds it (a 405 from it: the session goes on). */
	private async endSession(req: IncomingMessage, res: ServerResponse, generations: Generations): Promise<void> {
		const id = header(req, 'mcp-session-id');
		const session = id === undefined ? undefined : this.sessions.get(id);
		if (!session) {
			answerError(res, {ids: [], batch: false}, frontDoorTexts.sessionNotFound, id === undefined ? 400 : 404);
			return;
		}

		const gen = generations.serving();
		let status = 200;
		if (gen && session.binding?.gen === gen) {
			try {
				const answer = await sendUpstream(gen, {method: 'DELETE', headers: forwardHeaders(req.headers, gen, session.binding.id)});
				answer.resume();
				status = answer.statusCode === 405 ? 405 : 200;
			} catch {} // It went: the session ends anyway.
		}

		if (status !== 405) {
			this.sessions.delete(session.id);
			this.streams.endSession(session);
		}

		res.writeHead(status).end();
	}
}

/** A page's Origin that is this machine: localhost (and *.localhost), 127.0.0.0/8, [::1]. */
export function isLocalOrigin(origin: string): boolean {
	try {
		const {hostname} = new URL(origin);
		return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
	} catch {
		return false; // `null` (a file: page, a sandboxed frame) included.
	}
}

function listen(host: string, port: number): Promise<http.Server> {
	return new Promise((resolve, reject) => {
		const server = http.createServer();
		// Longer than any client's own keep-alive (httpx: 5 s, like Node's default): the client
		// always closes an idle connection first, so none is ever closed under a request it sends.
		server.keepAliveTimeout = 60_000;
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(server);
		});
	});
}

function closeServer(server: http.Server): Promise<void> {
	return new Promise(resolve => {
		server.close(() => resolve());
		server.closeAllConnections();
	});
}
