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
};

export type AnswerContext = {
	/** Paths the server announced in its output (see parseAnnounced). */
	announcedPaths?: readonly string[];
};

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

/**
 * Classify the HTTP status an MCP endpoint gave to the gate's bare POST ping. Pure.
 * 2xx/400/405/406 are what MCP servers answer to it (ready); the rest are named with the fix.
 */
export function classifyAnswer(answer: AnswerInput, url: URL, context: AnswerContext = {}): AnswerVerdict {
	const {status} = answer;
	const at = `${url.pathname}`;
	if ((status >= 200 && status < 300) || status === 400 || status === 405 || status === 406) {
		const note = status >= 200 && status < 300 ? '' : ' (normal for a bare MCP probe without a session)';
		return {severity: 'ok', cause: 'ok', status, message: `answered HTTP ${status} at ${at}${note}`, fix: ''};
	}

	if (status === 404) {
		const announced = context.announcedPaths?.find(path => path !== url.pathname);
		const lines = [`answered 404 at ${at}: not the MCP endpoint`];
		if (announced) {
			lines[0] += `; the server announced ${announced}`;
		}

		if (/\/sse\/?$/.test(url.pathname)) {
			lines.push('/sse is the deprecated HTTP+SSE transport; the Streamable HTTP endpoint is usually /mcp');
		}

		const path = announced ?? (url.pathname.replace(/\/$/, '') === '/mcp' ? undefined : '/mcp');
		const suggestedUrl = path === undefined ? undefined : withPath(url, path);
		return {
			severity: 'warn',
			cause: 'wrong-path',
			status,
			message: lines.join('; '),
			fix: suggestedUrl ? `use ${suggestedUrl} (the path the server serves MCP on)` : 'use the path the server serves MCP on (see its README or startup output)',
			...(suggestedUrl ? {suggestedUrl} : {}),
		};
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
		return {
			severity: 'warn',
			cause: 'auth',
			status,
			message: `answered 401 at ${at}: the server wants credentials${challenge}`,
			fix: 'send the credentials it expects as headers (for example Authorization: Bearer <token>) in the client\'s config (`headers`), or complete its OAuth flow in the client',
		};
	}

	if (status === 403 || status === 421) {
		const other = otherLoopbackName(url);
		return {
			severity: 'warn',
			cause: 'host-check',
			status,
			message: `answered ${status} at ${at}: the server rejected the request's Host or Origin header (DNS-rebinding protection) for host ${url.host}`,
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
