import type {ClientRequest, IncomingMessage} from 'node:http';
import {http, https} from '../http-module.js';
import net from 'node:net';
import type tls from 'node:tls';
import {connectTcp, hostOf, probeBound} from './connect.js';
import {isNormalAnswer, type ProbeAnswer, ProbeError, type ProbeOptions, quietError} from './probe-types.js';

export {connectTcp, hostOf, portOf, probeBound, tcpProbe} from './connect.js';
export {cachedLookup} from './lookup.js';
export {isNormalAnswer, type ProbeAnswer, ProbeError, type ProbeOptions} from './probe-types.js';

/** The body of every probe: a JSON-RPC ping. Never `initialize`: that would take the only session of single-session servers. */
export const probeBody = JSON.stringify({jsonrpc: '2.0', id: 'mcp-launch-probe', method: 'ping'});

/** How much of an answer's body is kept for diagnosis (a 404's "use /mcp", a JSON-RPC error). */
const snippetBytes = 2048;
/** How much of a header kept for diagnosis (WWW-Authenticate) is kept. */
const headerBytes = 512;

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
	const hasHeaders = options.headers !== undefined && Object.keys(options.headers).length > 0;
	const verify = url.protocol === 'https:' && hasHeaders && options.insecure !== true;
	const first = await connectTcp(url, options); // Refused: the common case ends here, cheaply.
	// Connected: from here one bound covers TLS, request and answer, with what is left of the timeout.
	const bound = probeBound(options.timeoutMs - (performance.now() - start), options.signal);
	try {
		try {
			return await exchange(url, first, bound.signal, start, {verify, headers: options.headers});
		} catch (error) {
			if (!verify || !isCertificateError(error)) {
				throw error;
			}

			// Up, but not trusted: ask again without the user's headers, for readiness only.
			const code = (error as ProbeError).code;
			const again = await connectTcp(url, {...options, signal: bound.signal, timeoutMs: Math.max(1, options.timeoutMs - (performance.now() - start))});
			const answer = await exchange(url, again, bound.signal, start, {verify: false, headers: undefined});
			return {...answer, headersWithheld: {reason: 'unverified-tls', code}};
		}
	} finally {
		bound.done();
	}
}

async function exchange(url: URL, socket: net.Socket, signal: AbortSignal, start: number, how: {verify: boolean; headers: Record<string, string> | undefined}): Promise<ProbeAnswer> {
	// TLS is loaded only for https URLs: it costs start-up time for everybody else.
	const secure = url.protocol === 'https:' ? await import('node:tls') : undefined;
	const transport = secure ? https() : http();
	return new Promise<ProbeAnswer>((resolve, reject) => {
		let request: ClientRequest | undefined;
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
			readAnswer(response, answer => finish(undefined, {...answer, durationMs: performance.now() - start}));
		});
		request.on('error', error => finish(error));
		request.end(probeBody);
	});
}

/** The status, a redirect's Location and, for an unusual answer, the start of its body. */
function readAnswer(response: IncomingMessage, done: (answer: ProbeAnswer) => void): void {
	const answer: ProbeAnswer = {status: response.statusCode ?? 0, durationMs: 0};
	if (typeof response.headers.location === 'string') {
		answer.location = response.headers.location;
	}

	const challenge = response.headers['www-authenticate'];
	if (challenge !== undefined && challenge !== '') {
		answer.wwwAuthenticate = challenge.slice(0, headerBytes);
	}

	if (!wantsBody(answer.status, response.headers['content-type'], response.headers['content-length'])) {
		done(answer); // An SSE answer may stay open: drop the connection instead of reading the body.
		return;
	}

	readSnippet(response, text => {
		done(text === '' ? answer : {...answer, bodySnippet: text});
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

/**
 * The normal answers to a bare probe carry nothing to diagnose; read the body of the others.
 * A 400 is read when it is short and complete (Content-Length): the old HTTP+SSE transport
 * says `sessionId query parameter required` there, where Streamable HTTP says "no session".
 */
function wantsBody(status: number, contentType: string | undefined, contentLength: string | undefined): boolean {
	if (contentType?.includes('text/event-stream')) {
		return false;
	}

	if (status === 400) {
		return contentLength !== undefined && Number(contentLength) <= snippetBytes;
	}

	return !isNormalAnswer(status);
}

function readSnippet(response: IncomingMessage, done: (text: string) => void): void {
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

