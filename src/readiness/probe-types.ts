import type net from 'node:net';

/** What a probe got back. */
export type ProbeAnswer = {
	/** The HTTP status. Any status means something serves HTTP there: 400/405/406 are normal for a bare MCP probe. */
	status: number;
	/** Location header of a redirect, for diagnosis. */
	location?: string;
	/** WWW-Authenticate header of a 401 (its challenge: the scheme, a realm, OAuth resource metadata), for diagnosis. */
	wwwAuthenticate?: string;
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
export function quietError(code: string, message: string, cause?: unknown): ProbeError {
	const limit = Error.stackTraceLimit;
	Error.stackTraceLimit = 0;
	try {
		return new ProbeError(code, message, cause === undefined ? undefined : {cause});
	} finally {
		Error.stackTraceLimit = limit;
	}
}


/**
 * The answers every MCP Streamable HTTP endpoint gives a bare probe without a session: 2xx
 * (stateless), 400 (no session), 405 (no GET/POST there), 406 (Accept). Nothing to diagnose
 * in them; the one list the probe (which bodies to read) and the answer rules read.
 */
export function isNormalAnswer(status: number): boolean {
	return (status >= 200 && status < 300) || status === 400 || status === 405 || status === 406;
}
