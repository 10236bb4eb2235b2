import {isNormalAnswer} from '../readiness/probe-types.js';
import type {AnswerContext, AnswerInput, AnswerVerdict} from './types.js';

/** What the rules read, worked out once from the answer. */
export type Probe = {
	answer: AnswerInput;
	url: URL;
	context: AnswerContext;
	status: number;
	/** The probed path, for the message. */
	at: string;
	/** The JSON-RPC message in the body, if it is one (see jsonRpcBody). */
	rpc: {code?: number; message?: string} | undefined;
};

/** A rule names what one kind of answer means, or passes (undefined) to the next. */
type AnswerRule = (probe: Probe) => AnswerVerdict | undefined;

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

/** Some servers refuse a sessionless ping with a JSON-RPC error envelope (500 -32603, 404 "Session not found"), then serve clients fine. */
const jsonRpcRefusal: AnswerRule = ({status, at, rpc}) => {
	if (!rpc || !(status >= 500 || status === 404 || status === 415 || status === 410)) {
		return undefined;
	}

	const what = rpc.code === undefined ? 'a JSON-RPC answer' : `a JSON-RPC error (${rpc.code}${rpc.message ? `: ${rpc.message}` : ''})`;
	return {severity: 'ok', cause: 'ok', status, message: `answered HTTP ${status} at ${at} with ${what}: the endpoint speaks MCP (its answer to a bare probe without a session)`, fix: ''};
};

/** A server that announced only /sse speaks the old HTTP+SSE transport: a POST there or at /mcp is 404/405, never a Streamable answer. */
const sseOnlyServer: AnswerRule = ({url, context, status, at, rpc}) => {
	const sse = sseOnly(context.announcedPaths);
	if (!sse || rpc || !(status === 404 || status === 405)) {
		return undefined;
	}

	const sseUrl = withPath(url, sse);
	const where = sse === url.pathname ? `; ${sse} is where it announced` : `; the server announced ${sse} only`;
	return {
		severity: 'warn',
		cause: 'legacy-sse',
		status,
		message: `answered ${status} at ${at}${where}: it speaks the deprecated HTTP+SSE transport (protocol 2024-11-05), not Streamable HTTP`,
		fix: legacySseFix(sseUrl),
		suggestedUrl: sseUrl,
	};
};

const legacySseFix = (sseUrl: string) => `give ${sseUrl} to a client that supports the SSE transport (Claude Code: "type": "sse"; mcp-remote: --transport sse-only), or wrap the server for Streamable HTTP (npx -y supergateway --sse ${sseUrl} --outputTransport streamableHttp), or upgrade the server`;

/**
 * The old HTTP+SSE transport mounted where Streamable HTTP is expected (@executeautomation/playwright-mcp-server
 * at /mcp): a POST without `?sessionId=` is refused with 400 "sessionId query parameter required". The gate
 * opens on it, but a Streamable HTTP client fails there.
 */
const legacySseAnswer: AnswerRule = ({answer, url, status, at, rpc}) => {
	const said = rpc?.message ?? answer.bodySnippet?.trim();
	if (!(status === 400 || status === 404) || said === undefined || !/\bsessionId\b.*\b(?:query|parameter|transport|required|missing)\b|\b(?:missing|no)\b.*\bsessionId\b/i.test(said)) {
		return undefined;
	}

	return {
		severity: 'warn',
		cause: 'legacy-sse',
		status,
		message: `answered ${status} at ${at}${quoteBody(said)}: that is the old HTTP+SSE transport (protocol 2024-11-05: a GET opens an event stream that names where to POST, as /sse + /messages with a sessionId query parameter), not Streamable HTTP; the gate opens on it, but a Streamable HTTP client fails there`,
		fix: legacySseFix(url.href),
	};
};

/** 2xx/400/405/406: what MCP servers answer to a bare probe. */
const normalAnswer: AnswerRule = ({status, at}) => {
	if (!isNormalAnswer(status)) {
		return undefined;
	}

	const note = status >= 200 && status < 300 ? '' : ' (normal for a bare MCP probe without a session)';
	return {severity: 'ok', cause: 'ok', status, message: `answered HTTP ${status} at ${at}${note}`, fix: ''};
};

/** 404: not the MCP endpoint; the path its body names, else the one the server announced, else a guess of /mcp. */
const wrongPath: AnswerRule = ({answer, url, context, status, at}) => {
	if (status !== 404) {
		return undefined;
	}

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
	// `/mcp/` where the server routes `/mcp` only: the slash is the difference.
	const unslashed = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.replace(/\/+$/, '') : undefined;
	const guess = known === undefined ? (unslashed ?? (url.pathname !== '/mcp' ? '/mcp' : undefined)) : undefined;
	const path = known ?? guess;
	const suggestedUrl = path === undefined ? undefined : withPath(url, path);
	let fix = 'use the path the server serves MCP on (see its README or startup output)';
	if (suggestedUrl && known) {
		fix = `use ${suggestedUrl} (${known === fromBody ? 'the path its answer names' : 'the path the server announced'})`;
	} else if (suggestedUrl && guess === unslashed) {
		fix = `try ${suggestedUrl}, without the trailing slash (servers route ${guess} and ${url.pathname} apart), or see its README`;
	} else if (suggestedUrl) {
		fix = `try ${suggestedUrl} (a guess: MCP servers usually serve /mcp; the server did not say where it serves MCP), or see its README`;
	}

	return {severity: 'warn', cause: 'wrong-path', status, message: lines.join('; '), fix, ...(suggestedUrl ? {suggestedUrl} : {})};
};

const redirect: AnswerRule = ({answer, url, status, at}) => {
	if (!(status >= 300 && status < 400)) {
		return undefined;
	}

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
};

/** 401: the server wants credentials; quote its challenge and its own words about them. */
const authRequired: AnswerRule = ({answer, context, status, at}) => {
	if (status !== 401) {
		return undefined;
	}

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
};

/** 403/421: DNS-rebinding protection refused the Host or Origin header. */
const hostCheck: AnswerRule = ({answer, url, status, at}) => {
	if (status !== 403 && status !== 421) {
		return undefined;
	}

	const other = otherLoopbackName(url);
	return {
		severity: 'warn',
		cause: 'host-check',
		status,
		message: `answered ${status} at ${at}: the server rejected the request's Host or Origin header (DNS-rebinding protection) for host ${url.host}${quoteBody(answer.bodySnippet)}`,
		fix: `use the host name the server expects${other ? ` (try ${other})` : ''}, or add ${url.host} to the server's allowed hosts (TypeScript SDK: allowedHosts / allowedOrigins; Python FastMCP: transport_security allowed_hosts)`,
		...(other ? {suggestedUrl: other} : {}),
	};
};

const refusesJson: AnswerRule = ({status, at}) => (status === 415
	? {
		severity: 'warn',
		cause: 'unexpected-status',
		status,
		message: `answered 415 at ${at}: it refuses Content-Type application/json, which every MCP Streamable HTTP endpoint accepts; this is probably not an MCP endpoint`,
		fix: 'check the URL: the MCP endpoint is usually /mcp',
	}
	: undefined);

const serverError: AnswerRule = ({status, at}) => (status >= 500
	? {severity: 'warn', cause: 'server-error', status, message: `answered ${status} at ${at}: the server is up but failing`, fix: 'look at the server\'s output for the error behind the 5xx'}
	: undefined);

/** Any other status: not what an MCP endpoint answers. */
export const unexpectedStatus = ({status, at}: Probe): AnswerVerdict => ({
	severity: 'warn',
	cause: 'unexpected-status',
	status,
	message: `answered ${status} at ${at}, which MCP endpoints do not answer to a bare probe`,
	fix: 'check that the URL is the server\'s MCP endpoint',
});

/** Tried in order; the first that names the answer wins. The old SSE transport, a JSON-RPC body and an /sse-only server come before the status alone. */
export const answerRules: readonly AnswerRule[] = [legacySseAnswer, jsonRpcRefusal, sseOnlyServer, normalAnswer, wrongPath, redirect, authRequired, hostCheck, refusesJson, serverError];
