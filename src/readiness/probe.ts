import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';

/** The body of every probe: a JSON-RPC ping. Never `initialize`: that would take the only session of single-session servers. */
export const probeBody = JSON.stringify({jsonrpc: '2.0', id: 'mcp-launch-probe', method: 'ping'});

export type ProbeAnswer = {
	/** The HTTP status. Any status means something serves HTTP there: 400/405/406 are normal for a bare MCP probe. */
	status: number;
	/** Location header of a redirect, for diagnosis. */
	location?: string;
	/** The first <= 2 KiB of a non-event-stream response body, read within the probe's timeout. */
	bodySnippet?: string;
	durationMs: number;
};

/** A probe that got no HTTP answer: refused, reset, hung up, timed out, TLS failure. */
export class ProbeError extends Error {
	override name = 'ProbeError';
	/** errno-style code: ECONNREFUSED, ECONNRESET, ETIMEDOUT, ... */
	readonly code: string;

	constructor(code: string, message: string, options?: {cause?: unknown}) {
		super(message, options);
		this.code = code;
	}
}

export type ProbeOptions = {
	timeoutMs: number;
	headers?: Record<string, string>;
	/** Connect to this address instead of resolving the URL's host (the Host header keeps the name). */
	address?: string;
	/** A resolver for the URL's host, e.g. one that caches for the length of a wait. */
	lookup?: net.LookupFunction;
	signal?: AbortSignal;
};

/** An error without the cost of a stack trace: refused probes are routine, hundreds per wait. */
function quietError(code: string, message: string, cause?: unknown): ProbeError {
	const limit = Error.stackTraceLimit;
	Error.stackTraceLimit = 0;
	try {
		return new ProbeError(code, message, cause === undefined ? undefined : {cause});
	} finally {
		Error.stackTraceLimit = limit;
	}
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
	return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** The port the URL points at, with the scheme's default. */
export function portOf(url: URL): number {
	return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
}

/**
 * Open a TCP connection to the URL's host and port. This is all a probe costs while the
 * server is not listening yet (a refused connect), so nothing of HTTP is set up before it.
 */
export function connectTcp(url: URL, options: ProbeOptions): Promise<net.Socket> {
	const host = options.address ?? hostOf(url);
	return new Promise((resolve, reject) => {
		const socket = net.connect({
			host,
			port: portOf(url),
			timeout: options.timeoutMs,
			...(options.address === undefined && options.lookup ? {lookup: options.lookup} : {}),
		});
		const fail = (error: ProbeError) => {
			socket.destroy();
			reject(error);
		};

		socket.once('connect', () => {
			socket.removeAllListeners('timeout');
			socket.removeAllListeners('error');
			socket.setTimeout(0);
			resolve(socket);
		});
		socket.once('timeout', () => fail(quietError('ETIMEDOUT', `no connection within ${options.timeoutMs} ms`)));
		socket.once('error', (error: NodeJS.ErrnoException) => fail(quietError(error.code ?? 'ECONNECT', error.message, error)));
		options.signal?.addEventListener('abort', () => fail(quietError('ABORT_ERR', 'aborted')), {once: true});
	});
}

/**
 * `--probe tcp`: ready once a TCP connection is accepted, and nothing is sent. For servers
 * whose HTTP endpoint the probe cannot reach (credentials), for non-HTTP servers, and for
 * checks after the gate where an extra HTTP request could cost the server a session
 * (stateful FastMCP never reaps sessionless requests). The answer's status is 0.
 */
export async function tcpProbe(url: URL, options: ProbeOptions): Promise<ProbeAnswer> {
	const start = performance.now();
	const socket = await connectTcp(url, options);
	socket.destroy();
	return {status: 0, durationMs: performance.now() - start};
}

/**
 * POST one JSON-RPC ping to an MCP endpoint and resolve with whatever HTTP status comes
 * back. Redirects are not followed and the body is discarded. Rejects with ProbeError
 * on connection-level failures, which mean "not listening yet".
 */
export async function probe(url: URL, options: ProbeOptions): Promise<ProbeAnswer> {
	const start = performance.now();
	const socket = await connectTcp(url, options);
	const https = url.protocol === 'https:';
	// TLS is loaded only for https URLs: it costs start-up time for everybody else.
	const transport = https ? await import('node:https') : http;
	const tls = https ? await import('node:tls') : undefined;
	return new Promise((resolve, reject) => {
		const request = transport.request(url, {
			method: 'POST',
			// No agent: the request goes over the socket that just connected.
			createConnection: () => (tls
				// Readiness, not trust: a local dev server's self-signed certificate still counts as up.
				? tls.connect({socket, rejectUnauthorized: false, ...(net.isIP(url.hostname) === 0 ? {servername: url.hostname} : {})})
				: socket),
			headers: {
				'content-type': 'application/json',
				accept: 'application/json, text/event-stream',
				'content-length': Buffer.byteLength(probeBody),
				...options.headers,
			},
			timeout: options.timeoutMs,
			...(options.signal ? {signal: options.signal} : {}),
		}, response => {
			const answer: ProbeAnswer = {status: response.statusCode ?? 0, durationMs: performance.now() - start};
			if (typeof response.headers.location === 'string') {
				answer.location = response.headers.location;
			}

			// An SSE answer may stay open: drop the connection instead of reading the body.
			response.destroy();
			request.destroy();
			resolve(answer);
		});
		request.on('timeout', () => {
			request.destroy(new ProbeError('ETIMEDOUT', `no answer within ${options.timeoutMs} ms`));
		});
		request.on('error', (error: NodeJS.ErrnoException) => {
			socket.destroy();
			reject(error instanceof ProbeError ? error : new ProbeError(error.code ?? 'EPROBE', error.message, {cause: error}));
		});
		request.end(probeBody);
	});
}

/** A lookup that asks the resolver once and answers from memory afterwards (one wait's worth). */
export function cachedLookup(): net.LookupFunction {
	const cache = new Map<string, Promise<dns.LookupAddress[]>>();
	return ((hostname: string, options: dns.LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
		let entry = cache.get(hostname);
		if (!entry) {
			entry = dns.promises.lookup(hostname, {all: true, order: 'verbatim'});
			cache.set(hostname, entry);
			entry.catch(() => cache.delete(hostname));
		}

		entry.then(addresses => {
			const wanted = options.family === 4 || options.family === 6 ? addresses.filter(item => item.family === options.family) : addresses;
			if (options.all) {
				callback(null, wanted);
			} else if (wanted[0]) {
				callback(null, wanted[0].address, wanted[0].family);
			} else {
				callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {code: 'ENOTFOUND'}), '');
			}
		}, (error: NodeJS.ErrnoException) => callback(error, ''));
	}) as net.LookupFunction;
}
