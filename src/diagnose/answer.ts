import type {DiagnosisCause} from './types.js';

export type AnswerVerdict = {
	/** `ok`: a normal answer of an MCP endpoint to a bare probe. `warn`: it answers, but this is not going to work. */
	severity: 'ok' | 'warn';
	cause: DiagnosisCause;
	status: number;
	message: string;
	fix: string;
	/** The URL to use instead, when the answer tells (redirect target, announced path, other host). */
	suggestedUrl?: string;
};

export type AnswerInput = {
	status: number;
	/** Location header of a 3xx. */
	location?: string;
	/** WWW-Authenticate header of a 401. */
	wwwAuthenticate?: string;
	/** The first bytes of a non-event-stream body (ProbeAnswer.bodySnippet). */
	bodySnippet?: string;
};

export type AnswerContext = {
	/** Paths the server announced in its output (see parseAnnounced). */
	announcedPaths?: readonly string[];
	/** The server's recent output lines, for its own hints (where its token file is). */
	serverOutput?: readonly string[];
};

/** The JSON-RPC error of a body like `{"jsonrpc":"2.0","error":{"code":-32603,…},"id":null}`, or undefined when the body is no JSON-RPC message. */
export function jsonRpcBody(body: string | undefined): {code?: number; message?: string} | undefined {
	if (body === undefined) {
		return undefined;
	}

	try {
		const parsed = JSON.parse(body) as {jsonrpc?: unknown; error?: {code?: unknown; message?: unknown}; result?: unknown};
		if (parsed?.jsonrpc !== '2.0' || (parsed.error === undefined && parsed.result === undefined)) {
			return undefined;
		}

		const {error} = parsed;
		return {
			...(typeof error?.code === 'number' ? {code: error.code} : {}),
			...(typeof error?.message === 'string' ? {message: error.message} : {}),
		};
	} catch {
		return undefined;
	}
}

/** A short, one-line quote of a body for a message. */
function quoteBody(body: string | undefined): string {
	const text = body?.replace(/\s+/g, ' ').trim();
	if (!text) {
		return '';
	}

	return ` (it said: "${text.length > 120 ? `${text.slice(0, 117)}...` : text}")`;
}

/** The path a 404 body points to: context7's `Endpoint not found. Use /mcp for MCP protocol communication.` */
function pathInBody(body: string | undefined): string | undefined {
	const match = body === undefined ? undefined : /\b(?:use|try|at)\s+[`'"]?(\/[\w\-./]*)/i.exec(body);
	const path = match?.[1]?.replace(/[.,;:]+$/, '');
	return path && /^(?:\/[\w.~-]*)*\/(?:[\w.~-]*mcp[\w.~-]*|sse|stream)\/?$/i.test(path) ? path : undefined;
}

/** The server's own words about credentials (Notion prints where its token file is). */
export function authHints(lines: readonly string[] | undefined, limit = 3): string[] {
	return (lines ?? [])
		.filter(line => /token|auth|credential|api[\s_-]?key|bearer|log ?in\b|oauth|password|secret/i.test(line) && !/"(?:GET|POST|DELETE) \S+ HTTP/.test(line))
		.map(line => line.trim())
		.filter((line, index, all) => line !== '' && all.indexOf(line) === index)
		.slice(-limit);
}

/** The server announced only the deprecated HTTP+SSE transport's endpoint (`/sse`), and no Streamable HTTP one. */
function sseOnly(paths: readonly string[] | undefined): string | undefined {
	const sse = paths?.find(path => /\/sse\/?$/.test(path));
	return sse && !paths!.some(path => !/\/sse\/?$/.test(path)) ? sse : undefined;
}

function withPath(url: URL, path: string): string {
	const result = new URL(url.href);
	result.pathname = path;
	return result.href;
}

function otherLoopbackName(url: URL): string | undefined {
	const host = url.hostname;
	const swap = host === 'localhost' ? '127.0.0.1' : (host === '127.0.0.1' || host === '[::1]' ? 'localhost' : undefined);
	if (swap === undefined) {
		return undefined;
	}

	const result = new URL(url.href);
	result.hostname = swap;
	return result.href;
}

/** The same URL under the other loopback spellings (`localhost` ↔ `127.0.0.1` / `[::1]`), for a Host check. */
export function otherLoopbackUrls(url: URL): string[] {
	const swaps = url.hostname === 'localhost' ? ['127.0.0.1', '[::1]'] : (url.hostname === '127.0.0.1' || url.hostname === '[::1]' ? ['localhost'] : []);
	return swaps.map(host => {
		const result = new URL(url.href);
		result.hostname = host;
		return result.href;
	});
}

/**
 * Classify the HTTP status an MCP endpoint gave to the gate's bare POST ping. Pure.
 * 2xx/400/405/406 are what MCP servers answer to it (ready); the rest are named with the fix.
 */
export function classifyAnswer(answer: AnswerInput, url: URL, context: AnswerContext = {}): AnswerVerdict {
	const {status} = answer;
	const at = `${url.pathname}`;
	const rpc = jsonRpcBody(answer.bodySnippet);
	if (rpc && (status >= 500 || status === 404 || status === 415 || status === 410)) {
		// Some servers refuse a sessionless ping with a JSON-RPC error envelope (500 -32603, 404 "Session not found"), then serve clients fine.
		const what = rpc.code === undefined ? 'a JSON-RPC answer' : `a JSON-RPC error (${rpc.code}${rpc.message ? `: ${rpc.message}` : ''})`;
		return {severity: 'ok', cause: 'ok', status, message: `answered HTTP ${status} at ${at} with ${what}: the endpoint speaks MCP (its answer to a bare probe without a session)`, fix: ''};
	}

	// A server that announced only /sse speaks the old HTTP+SSE transport: a POST there or at /mcp is 404/405, never a Streamable answer.
	const sse = sseOnly(context.announcedPaths);
	if (sse && !rpc && (status === 404 || status === 405)) {
		const sseUrl = withPath(url, sse);
		const where = sse === url.pathname ? `; ${sse} is where it announced` : `; the server announced ${sse} only`;
		return {
			severity: 'warn',
			cause: 'wrong-path',
			status,
			message: `answered ${status} at ${at}${where}: it speaks the deprecated HTTP+SSE transport (protocol 2024-11-05), not Streamable HTTP`,
			fix: `give ${sseUrl} to a client that supports the SSE transport (for mcp-remote: --transport sse-only), or wrap the server for Streamable HTTP (npx -y supergateway --sse ${sseUrl} --outputTransport streamableHttp), or upgrade the server`,
			suggestedUrl: sseUrl,
		};
	}

	if ((status >= 200 && status < 300) || status === 400 || status === 405 || status === 406) {
		const note = status >= 200 && status < 300 ? '' : ' (normal for a bare MCP probe without a session)';
		return {severity: 'ok', cause: 'ok', status, message: `answered HTTP ${status} at ${at}${note}`, fix: ''};
	}

	if (status === 404) {
		const fromBody = pathInBody(answer.bodySnippet);
		const announced = context.announcedPaths?.find(path => path !== url.pathname);
		const lines = [`answered 404 at ${at}: not the MCP endpoint`];
		if (fromBody && fromBody !== url.pathname) {
			lines[0] += `; its answer says to use ${fromBody}`;
		} else if (announced) {
			lines[0] += `; the server announced ${announced}`;
		}

		if (/\/sse\/?$/.test(url.pathname)) {
			lines.push('/sse is the deprecated HTTP+SSE transport; the Streamable HTTP endpoint is usually /mcp');
		}

		const known = fromBody !== undefined && fromBody !== url.pathname ? fromBody : announced;
		const guess = known === undefined && url.pathname.replace(/\/$/, '') !== '/mcp' ? '/mcp' : undefined;
		const path = known ?? guess;
		const suggestedUrl = path === undefined ? undefined : withPath(url, path);
		let fix = 'use the path the server serves MCP on (see its README or startup output)';
		if (suggestedUrl && known) {
			fix = `use ${suggestedUrl} (${known === fromBody ? 'the path its answer names' : 'the path the server announced'})`;
		} else if (suggestedUrl) {
			fix = `try ${suggestedUrl} (a guess: MCP servers usually serve /mcp; the server did not say where it serves MCP), or see its README`;
		}

		return {severity: 'warn', cause: 'wrong-path', status, message: lines.join('; '), fix, ...(suggestedUrl ? {suggestedUrl} : {})};
	}

	if (status >= 300 && status < 400) {
		let target: string | undefined;
		try {
			target = answer.location === undefined ? undefined : new URL(answer.location, url).href;
		} catch {
			target = answer.location;
		}

		return {
			severity: 'warn',
			cause: 'redirect',
			status,
			message: `answered ${status} at ${at}, redirecting to ${target ?? '(no Location header)'}; MCP clients do not follow redirects of their POSTs reliably`,
			fix: target ? `use ${target} directly` : 'use the URL the server redirects to',
			...(target ? {suggestedUrl: target} : {}),
		};
	}

	if (status === 401) {
		const challenge = answer.wwwAuthenticate ? ` (WWW-Authenticate: ${answer.wwwAuthenticate})` : '';
		const hints = authHints(context.serverOutput);
		const said = hints.length > 0 ? `\nthe server said:\n${hints.map(line => `    ${line}`).join('\n')}` : '';
		return {
			severity: 'warn',
			cause: 'auth',
			status,
			message: `answered 401 at ${at}: the server wants credentials${challenge}${said}`,
			fix: 'send the credentials it expects as headers (for example Authorization: Bearer <token>) in the client\'s config (`headers`), or complete its OAuth flow in the client',
		};
	}

	if (status === 403 || status === 421) {
		const other = otherLoopbackName(url);
		return {
			severity: 'warn',
			cause: 'host-check',
			status,
			message: `answered ${status} at ${at}: the server rejected the request's Host or Origin header (DNS-rebinding protection) for host ${url.host}${quoteBody(answer.bodySnippet)}`,
			fix: `use the host name the server expects${other ? ` (try ${other})` : ''}, or add ${url.host} to the server's allowed hosts (TypeScript SDK: allowedHosts / allowedOrigins; Python FastMCP: transport_security allowed_hosts)`,
			...(other ? {suggestedUrl: other} : {}),
		};
	}

	if (status === 415) {
		return {
			severity: 'warn',
			cause: 'unexpected-status',
			status,
			message: `answered 415 at ${at}: it refuses Content-Type application/json, which every MCP Streamable HTTP endpoint accepts; this is probably not an MCP endpoint`,
			fix: 'check the URL: the MCP endpoint is usually /mcp',
		};
	}

	if (status >= 500) {
		return {
			severity: 'warn',
			cause: 'server-error',
			status,
			message: `answered ${status} at ${at}: the server is up but failing`,
			fix: 'look at the server\'s output for the error behind the 5xx',
		};
	}

	return {
		severity: 'warn',
		cause: 'unexpected-status',
		status,
		message: `answered ${status} at ${at}, which MCP endpoints do not answer to a bare probe`,
		fix: 'check that the URL is the server\'s MCP endpoint',
	};
}
