import type {IncomingHttpHeaders} from 'node:http';
import {http, https} from '../http-module.js';
import {isCertificateError, type ProbeAnswer, probeBound, ProbeError, type ProbeOptions} from './probe.js';

/** The newest protocol version this client speaks; servers answer with the one they chose. */
export const handshakeProtocolVersion = '2025-06-18';

export type ServerInfo = {name?: string; version?: string; protocolVersion?: string};

type Reply = {status: number; headers: IncomingHttpHeaders; body: string};

/** One request of the handshake; `signal` (the handshake's one bound) ends it wherever it is. */
function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal, verify: boolean): Promise<Reply> {
	const transport = url.protocol === 'https:' ? https() : http();
	return new Promise((resolve, reject) => {
		if (signal.aborted) {
			reject(signal.reason as Error);
			return;
		}

		const onAbort = () => request.destroy(signal.reason as Error);
		signal.addEventListener('abort', onAbort, {once: true});
		const request = transport.request(url, {
			method,
			agent: false,
			// Credentials go only where the client would send them: a verified certificate (or --insecure).
			...(url.protocol === 'https:' ? {rejectUnauthorized: verify} : {}),
			headers: {
				accept: 'application/json, text/event-stream',
				...(body === undefined ? {} : {'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body))}),
				...headers,
			},
		}, response => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => {
				text += chunk;
				// An SSE stream stays open after the answer: stop at the first complete event.
				if (response.headers['content-type']?.includes('text/event-stream') && /\n\n/.test(text)) {
					response.destroy();
					resolve({status: response.statusCode ?? 0, headers: response.headers, body: text});
				}
			});
			response.on('end', () => resolve({status: response.statusCode ?? 0, headers: response.headers, body: text}));
			response.on('error', () => resolve({status: response.statusCode ?? 0, headers: response.headers, body: text}));
		});
		request.once('close', () => signal.removeEventListener('abort', onAbort));
		request.on('error', (error: NodeJS.ErrnoException) => {
			reject(error instanceof ProbeError ? error : new ProbeError(error.code ?? 'EPROBE', error.message, {cause: error}));
		});
		request.end(body);
	});
}

/** The JSON-RPC message in a reply that is either JSON or an SSE stream of `data:` lines. */
export function parseRpcReply(body: string, contentType: string | undefined): unknown {
	if (contentType?.includes('text/event-stream')) {
		const data = body.split(/\r?\n/).filter(line => line.startsWith('data:')).map(line => line.slice(5).trim());
		for (const item of data) {
			try {
				return JSON.parse(item) as unknown;
			} catch {
				// Not this one.
			}
		}

		return undefined;
	}

	try {
		return JSON.parse(body) as unknown;
	} catch {
		return undefined;
	}
}

/**
 * `--probe mcp`: the real handshake. `initialize`, then `notifications/initialized`, then
 * DELETE of the session (405 tolerated: not every server lets a client end its session).
 * Side effect: on servers that allow a single session (one stateful transport), this
 * takes it, and the real client is then refused; use the default HTTP probe for those.
 */
export async function mcpHandshake(url: URL, options: ProbeOptions): Promise<ProbeAnswer & {server: ServerInfo}> {
	const bound = probeBound(options.timeoutMs, options.signal);
	try {
		return await handshake(url, options, bound.signal);
	} finally {
		bound.done();
	}
}

async function handshake(url: URL, options: ProbeOptions, signal: AbortSignal): Promise<ProbeAnswer & {server: ServerInfo}> {
	const start = performance.now();
	const verify = Object.keys(options.headers ?? {}).length > 0 && options.insecure !== true;
	const headers = options.headers ?? {};
	const initialize = JSON.stringify({
		jsonrpc: '2.0',
		id: 'mcp-launch-initialize',
		method: 'initialize',
		params: {protocolVersion: handshakeProtocolVersion, capabilities: {}, clientInfo: {name: 'mcp-launch', version: '0'}},
	});
	const reply = await send(url, 'POST', headers, initialize, signal, verify).catch((error: unknown) => {
		if (verify && isCertificateError(error)) {
			const code = (error as ProbeError).code;
			throw new ProbeError(code, `the certificate could not be verified (${code}), so the --header values are not sent to it (the handshake needs them): let it verify (NODE_EXTRA_CA_CERTS adds a local CA) or pass --insecure`);
		}

		throw error;
	});
	if (reply.status < 200 || reply.status > 299) {
		throw new ProbeError('EHANDSHAKE', `initialize answered HTTP ${reply.status}: ${reply.body.slice(0, 200)}`);
	}

	const message = parseRpcReply(reply.body, reply.headers['content-type']) as {result?: {protocolVersion?: string; serverInfo?: {name?: string; version?: string}}; error?: {message?: string}} | undefined;
	if (!message?.result) {
		throw new ProbeError('EHANDSHAKE', `initialize failed: ${message?.error?.message ?? 'no JSON-RPC result in the answer'}`);
	}

	const session = reply.headers['mcp-session-id'];
	const sessionHeaders: Record<string, string> = {...headers, 'mcp-protocol-version': message.result.protocolVersion ?? handshakeProtocolVersion};
	if (typeof session === 'string') {
		sessionHeaders['mcp-session-id'] = session;
	}

	await send(url, 'POST', sessionHeaders, JSON.stringify({jsonrpc: '2.0', method: 'notifications/initialized'}), signal, verify);
	if (typeof session === 'string') {
		await send(url, 'DELETE', sessionHeaders, undefined, signal, verify); // 405 is fine.
	}

	const info = message.result.serverInfo;
	return {
		status: reply.status,
		durationMs: performance.now() - start,
		server: {
			...(info?.name === undefined ? {} : {name: info.name}),
			...(info?.version === undefined ? {} : {version: info.version}),
			...(message.result.protocolVersion === undefined ? {} : {protocolVersion: message.result.protocolVersion}),
		},
	};
}
