import http, {type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders} from 'node:http';

/**
 * One request from the front door to a generation, over a keep-alive agent of its own.
 *
 * Only a refused connect is ever sent again ({@link Refused}): nothing reached a server. Any
 * other failure may have reached it, so it is never replayed. A keep-alive socket the server
 * closes while idle would fail a request in a way that cannot be told apart from a crash; so
 * idle sockets are dropped after a second, sooner than any server's keep-alive timeout
 * (Node's own agent also honours a `Keep-Alive: timeout=N` hint).
 */
export class Refused extends Error {
	override name = 'Refused';
}

/** What the front door needs of a generation to talk to it. */
export type Target = {readonly url: URL; readonly agent: http.Agent};

export function targetAgent(): http.Agent {
	return new http.Agent({keepAlive: true, timeout: 1000, noDelay: true} as http.AgentOptions);
}

/** Headers that are about one hop, never forwarded (RFC 9110 §7.6.1), and those the front door sets itself. */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'mcp-session-id']);

/** The client's headers as a generation gets them: Host is the generation's, the session id its own. */
export function forwardHeaders(headers: IncomingHttpHeaders, target: Target, sessionId: string | undefined, extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders {
	const out: OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined && !hopByHop.has(name)) {
			out[name] = value;
		}
	}

	out.host = target.url.host;
	out['accept-encoding'] = 'identity'; // The front door reads answers (initialize, event boundaries): never compressed.
	if (sessionId !== undefined) {
		out['mcp-session-id'] = sessionId;
	}

	return {...out, ...extra};
}

/** A generation's response headers as the client gets them (the session id is set by the caller). */
export function backwardHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
	const out: OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value !== undefined && !hopByHop.has(name)) {
			out[name] = value;
		}
	}

	return out;
}

export type UpstreamRequest = {
	method: string;
	headers: OutgoingHttpHeaders;
	body?: Buffer | undefined;
	signal?: AbortSignal | undefined;
	/** Given the request as it is made: the hot path destroys it directly (cheaper than an AbortSignal per request). */
	hold?: (request: ClientRequest) => void;
};

/** Send one request; resolves with the response head. Rejects with {@link Refused} when nothing listened. */
export function sendUpstream(target: Target, request: UpstreamRequest): Promise<IncomingMessage> {
	return new Promise((resolve, reject) => {
		const {url} = target;
		const headers = request.body === undefined ? request.headers : {...request.headers, 'content-length': request.body.length};
		const outgoing = http.request({
			host: url.hostname.replace(/^\[|\]$/g, ''),
			port: url.port,
			path: `${url.pathname}${url.search}`,
			method: request.method,
			headers,
			agent: target.agent,
			...(request.signal ? {signal: request.signal} : {}),
		});
		request.hold?.(outgoing);
		outgoing.once('response', resolve);
		outgoing.once('error', (error: NodeJS.ErrnoException) => {
			reject(error.code === 'ECONNREFUSED' ? new Refused(error.message) : error);
		});
		outgoing.end(request.body);
	});
}

/** Read a whole (small) response body, bounded: past `maxBytes` it is cut off and the socket dropped. */
export function readBody(message: IncomingMessage, maxBytes: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		message.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) {
				message.destroy(new Error(`more than ${maxBytes} bytes`));
				return;
			}

			chunks.push(chunk);
		});
		message.once('end', () => resolve(Buffer.concat(chunks)));
		message.once('error', reject);
		message.once('close', () => {
			if (!message.complete) {
				reject(new Error('the connection closed before the whole answer came'));
			}
		});
	});
}
