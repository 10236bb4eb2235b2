import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import type tls from 'node:tls';

/** The body of every probe: a JSON-RPC ping. Never `initialize`: that would take the only session of single-session servers. */
export const probeBody = JSON.stringify({jsonrpc: '2.0', id: 'mcp-launch-probe', method: 'ping'});

/** How much of an answer's body is kept for diagnosis (a 404's "use /mcp", a JSON-RPC error). */
const snippetBytes = 2048;

export type ProbeAnswer = {
	/** The HTTP status. Any status means something serves HTTP there: 400/405/406 are normal for a bare MCP probe. */
	status: number;
	/** Location header of a redirect, for diagnosis. */
	location?: string;
	/**
	 * The first bytes (at most 2 KiB) of the body of an answer that is not the usual one to a
	 * bare probe (3xx, 401, 403, 404, 421, 5xx, ...), for diagnosis. Never read from an event stream.
	 */
	bodySnippet?: string;
	/**
	 * Set when the user's headers were NOT sent with the answer that counted: the https
	 * certificate could not be verified, and headers are only sent where the client would send them.
	 */
	headersWithheld?: {reason: 'unverified-tls'; code: string};
	durationMs: number;
};

/** A probe that got no HTTP answer: refused, reset, hung up, timed out, TLS failure, aborted. */
export class ProbeError extends Error {
	override name = 'ProbeError';
	/** errno-style code: ECONNREFUSED, ECONNRESET, ETIMEDOUT, ABORT_ERR, ... */
	readonly code: string;
	/** Set when the TCP connection was accepted first: something listens there. */
	connected?: boolean;

	constructor(code: string, message: string, options?: {cause?: unknown}) {
		super(message, options);
		this.code = code;
	}
}

export type ProbeOptions = {
	/** The whole probe (lookup, connect, TLS, request, answer) takes at most this long. */
	timeoutMs: number;
	headers?: Record<string, string>;
	/**
	 * Send `headers` to an https endpoint even when its certificate cannot be verified.
	 * Default false: the headers (credentials, usually) go only where the client would send them.
	 */
	insecure?: boolean;
	/** Connect to this address instead of resolving the URL's host (the Host header keeps the name). */
	address?: string;
	/** A resolver for the URL's host, e.g. one that caches for the length of a wait. */
	lookup?: net.LookupFunction;
	/** Aborting ends the probe at once with a ProbeError of code ABORT_ERR. */
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

/**
 * One bound for a whole probe: its own timeout and the caller's abort signal, as one signal
 * whose reason is the ProbeError to fail with. Every step of the probe listens to it, so no
 * step (a connect that hangs, a server that accepts and never answers, a slow TLS handshake)
 * can outlive it.
 */
export function probeBound(timeoutMs: number, outer: AbortSignal | undefined): {signal: AbortSignal; done: () => void} {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(quietError('ETIMEDOUT', `no answer within ${Math.round(timeoutMs)} ms`)), Math.max(1, timeoutMs));
	const onAbort = () => controller.abort(quietError('ABORT_ERR', 'aborted'));
	if (outer?.aborted) {
		onAbort();
	} else {
		outer?.addEventListener('abort', onAbort, {once: true});
	}

	return {
		signal: controller.signal,
		done() {
			clearTimeout(timer);
			outer?.removeEventListener('abort', onAbort);
		},
	};
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
 * Bounded by `options.timeoutMs` and `options.signal`.
 */
export async function connectTcp(url: URL, options: ProbeOptions): Promise<net.Socket> {
	const bound = probeBound(options.timeoutMs, options.signal);
	try {
		return await openSocket(url, options, bound.signal);
	} finally {
		bound.done();
	}
}

function openSocket(url: URL, options: ProbeOptions, signal: AbortSignal): Promise<net.Socket> {
	if (signal.aborted) {
		return Promise.reject(signal.reason as Error);
	}

	return new Promise((resolve, reject) => {
		const socket = net.connect({
			host: options.address ?? hostOf(url),
			port: portOf(url),
			...(options.address === undefined && options.lookup ? {lookup: options.lookup} : {}),
		});
		const settle = () => {
			signal.removeEventListener('abort', onAbort);
			socket.removeListener('error', onError);
		};

		const onAbort = () => {
			settle();
			socket.destroy();
			reject(signal.reason as Error);
		};

		const onError = (error: NodeJS.ErrnoException) => {
			settle();
			socket.destroy();
			reject(quietError(error.code ?? 'ECONNECT', error.message, error));
		};

		signal.addEventListener('abort', onAbort, {once: true});
		socket.once('error', onError);
		socket.once('connect', () => {
			settle();
			resolve(socket);
		});
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

/** TLS verification failures: the endpoint is up, its certificate is not one the client would trust. */
export function isCertificateError(error: unknown): boolean {
	const code = (error as {code?: string}).code ?? '';
	return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ALTNAME/.test(code);
}

/**
 * POST one JSON-RPC ping to an MCP endpoint and resolve with whatever HTTP status comes
 * back. Redirects are not followed; the body is discarded, but for unusual answers whose
 * first 2 KiB are kept for diagnosis. Rejects with ProbeError on connection-level failures
 * (they mean "not listening yet"), on `timeoutMs` (the whole probe, a server that accepts
 * and never answers included) and on `signal`.
 *
 * With https, a certificate that cannot be verified still counts as up (a local dev server's
 * self-signed one), but the user's headers are then not sent (see `insecure`).
 */
export async function probe(url: URL, options: ProbeOptions): Promise<ProbeAnswer> {
	const start = performance.now();
	const bound = probeBound(options.timeoutMs, options.signal);
	try {
		const hasHeaders = options.headers !== undefined && Object.keys(options.headers).length > 0;
		const verify = url.protocol === 'https:' && hasHeaders && options.insecure !== true;
		try {
			return await exchange(url, options, bound.signal, start, {verify, headers: options.headers});
		} catch (error) {
			if (!verify || !isCertificateError(error)) {
				throw error;
			}

			// Up, but not trusted: ask again without the user's headers, for readiness only.
			const code = (error as ProbeError).code;
			const answer = await exchange(url, options, bound.signal, start, {verify: false, headers: undefined});
			return {...answer, headersWithheld: {reason: 'unverified-tls', code}};
		}
	} finally {
		bound.done();
	}
}

async function exchange(url: URL, options: ProbeOptions, signal: AbortSignal, start: number, how: {verify: boolean; headers: Record<string, string> | undefined}): Promise<ProbeAnswer> {
	const socket = await openSocket(url, options, signal);
	// TLS is loaded only for https URLs: it costs start-up time for everybody else.
	const secure = url.protocol === 'https:' ? await import('node:tls') : undefined;
	const transport = secure ? await import('node:https') : http;
	return new Promise<ProbeAnswer>((resolve, reject) => {
		let request: http.ClientRequest | undefined;
		const finish = (error: unknown, answer?: ProbeAnswer) => {
			signal.removeEventListener('abort', onAbort);
			request?.destroy();
			socket.destroy();
			if (answer) {
				resolve(answer);
			} else {
				const failure = error instanceof ProbeError ? error : quietError((error as NodeJS.ErrnoException).code ?? 'EPROBE', (error as Error).message, error);
				failure.connected = true;
				reject(failure);
			}
		};

		const onAbort = () => {
			const reason = signal.reason as ProbeError;
			finish(reason.code === 'ETIMEDOUT' ? answerTimeout(reason) : reason);
		};

		if (signal.aborted) {
			onAbort();
			return;
		}

		signal.addEventListener('abort', onAbort, {once: true});
		request = transport.request(url, {
			method: 'POST',
			// No agent: the request goes over the socket that just connected.
			createConnection: () => (secure ? secureSocket(secure, socket, url, how.verify) : socket),
			headers: {
				'content-type': 'application/json',
				accept: 'application/json, text/event-stream',
				'content-length': Buffer.byteLength(probeBody),
				...how.headers,
			},
		}, response => {
			const answer: ProbeAnswer = {status: response.statusCode ?? 0, durationMs: 0};
			if (typeof response.headers.location === 'string') {
				answer.location = response.headers.location;
			}

			const done = () => finish(undefined, {...answer, durationMs: performance.now() - start});
			if (!wantsBody(answer.status, response.headers['content-type'])) {
				done(); // An SSE answer may stay open: drop the connection instead of reading the body.
				return;
			}

			readSnippet(response, text => {
				if (text !== '') {
					answer.bodySnippet = text;
				}

				done();
			});
		});
		request.on('error', error => finish(error));
		request.end(probeBody);
	});
}

/** A timeout after the connection was accepted: a listener that never answers (blocked event loop, not HTTP). */
function answerTimeout(reason: ProbeError): ProbeError {
	return quietError('ETIMEDOUT', `the connection was accepted, but ${reason.message.replace(/^no answer/, 'no HTTP answer came')}`);
}

function secureSocket(secure: typeof tls, socket: net.Socket, url: URL, verify: boolean): tls.TLSSocket {
	return secure.connect({
		socket,
		// Readiness, not trust: a local dev server's self-signed certificate still counts as up,
		// but then no user header goes with the probe (see probe()).
		rejectUnauthorized: verify,
		...(net.isIP(hostOf(url)) === 0 ? {servername: url.hostname} : {}),
	});
}

/** The normal answers to a bare probe carry nothing to diagnose; read the body of the others. */
function wantsBody(status: number, contentType: string | undefined): boolean {
	if (contentType?.includes('text/event-stream')) {
		return false;
	}

	return !(status === 400 || status === 405 || status === 406 || (status >= 200 && status < 300));
}

function readSnippet(response: http.IncomingMessage, done: (text: string) => void): void {
	const chunks: Buffer[] = [];
	let size = 0;
	let ended = false;
	const end = () => {
		if (!ended) {
			ended = true;
			done(Buffer.concat(chunks).subarray(0, snippetBytes).toString('utf8'));
		}
	};

	response.on('data', (chunk: Buffer) => {
		chunks.push(chunk);
		size += chunk.length;
		if (size >= snippetBytes) {
			end();
		}
	});
	response.once('end', end);
	response.once('error', end);
	response.once('close', end);
}

/**
 * A lookup that asks the resolver once and answers from memory afterwards (one wait's
 * worth). A failure is remembered for a second, so an unresolvable name costs one lookup
 * per second, not one per probe.
 */
export function cachedLookup({failureTtlMs = 1000, resolve = (host: string) => dns.promises.lookup(host, {all: true, order: 'verbatim'})}: {failureTtlMs?: number; resolve?: (host: string) => Promise<dns.LookupAddress[]>} = {}): net.LookupFunction {
	const cache = new Map<string, Promise<dns.LookupAddress[]>>();
	return ((hostname: string, options: dns.LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
		let entry = cache.get(hostname);
		if (!entry) {
			entry = resolve(hostname);
			cache.set(hostname, entry);
			entry.catch(() => {
				setTimeout(() => cache.delete(hostname), failureTtlMs).unref();
			});
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
