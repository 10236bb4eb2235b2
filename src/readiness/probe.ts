import http from 'node:http';
import https from 'node:https';

/** The body of every probe: a JSON-RPC ping. Never `initialize`: that would take the only session of single-session servers. */
export const probeBody = JSON.stringify({jsonrpc: '2.0', id: 'mcp-launch-probe', method: 'ping'});

export type ProbeAnswer = {
	/** The HTTP status. Any status means something serves HTTP there: 400/405/406 are normal for a bare MCP probe. */
	status: number;
	/** Location header of a redirect, for diagnosis. */
	location?: string;
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
	signal?: AbortSignal;
};

/**
 * POST one JSON-RPC ping to an MCP endpoint and resolve with whatever HTTP status comes
 * back. Redirects are not followed and the body is discarded. Rejects with ProbeError
 * on connection-level failures, which mean "not listening yet".
 */
export function probe(url: URL, options: ProbeOptions): Promise<ProbeAnswer> {
	const start = performance.now();
	const transport = url.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const request = transport.request(url, {
			method: 'POST',
			agent: false,
			...(options.address === undefined ? {} : {lookup: fixedLookup(options.address)}),
			// Readiness, not trust: a local dev server's self-signed certificate still counts as up.
			...(url.protocol === 'https:' ? {rejectUnauthorized: false} : {}),
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
			reject(error instanceof ProbeError ? error : new ProbeError(error.code ?? 'EPROBE', error.message, {cause: error}));
		});
		request.end(probeBody);
	});
}

function fixedLookup(address: string) {
	const family = address.includes(':') ? 6 : 4;
	return (_host: string, options: {all?: boolean}, callback: (...args: any[]) => void) => {
		if (options.all) {
			callback(null, [{address, family}]);
		} else {
			callback(null, address, family);
		}
	};
}
