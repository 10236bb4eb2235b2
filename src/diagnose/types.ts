/**
 * What went wrong, in the order a person should check: a boot race, the address family,
 * the URL (port, path, scheme, redirect, auth, Host check), a crash; or nothing (`ok`).
 */
export type DiagnosisCause =
	| 'ok'
	/** The server is alive but listens on no port yet: still booting (or never serves HTTP). */
	| 'race'
	/** The name resolves to several addresses and the server listens on only some of them. */
	| 'address-family'
	/** The server listens (or announced it listens) on another port. */
	| 'wrong-port'
	/** HTTP answered, but 404 at the probed path. */
	| 'wrong-path'
	/** It speaks the old HTTP+SSE transport (protocol 2024-11-05: GET /sse + POST /messages?sessionId=…), not Streamable HTTP. */
	| 'legacy-sse'
	/** https to a plain-http server, or http to a TLS server. */
	| 'scheme'
	/** 3xx at the probed path. */
	| 'redirect'
	/** 401: credentials needed. */
	| 'auth'
	/** 403 / 421: Host or Origin validation (DNS-rebinding protection). */
	| 'host-check'
	/** 5xx: the server is up but failing. */
	| 'server-error'
	/** Some other status that MCP endpoints do not give (415, 410, ...). */
	| 'unexpected-status'
	/** Something accepts connections on the port but never answers HTTP. */
	| 'no-answer'
	/** Nothing listens on the port and no server process is known (doctor). */
	| 'not-listening'
	/** The host name does not resolve. */
	| 'unresolved'
	/** The server exited before it became ready. */
	| 'crash'
	/** The port is held by another process (pre-flight, or EADDRINUSE in a crash). */
	| 'port-in-use';

/** One diagnosis: what it is, one-line summary, the evidence lines, and what to do. */
export type Diagnosis = {
	cause: DiagnosisCause;
	summary: string;
	evidence: string[];
	fix: string;
	/** A URL that would work, when one is known (other address, port, path or scheme). */
	suggestedUrl?: string;
};

/** What an answer to the probe means (answer.ts, answer-rules.ts). */
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
