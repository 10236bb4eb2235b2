import {redactText} from './redact.js';

/** Stable discriminators for {@link LaunchError}. */
export type LaunchErrorCode =
	/** The server exited (or could not be spawned) before its endpoint answered. */
	| 'SERVER_EXITED'
	/** The endpoint did not answer within the readiness timeout. */
	| 'READY_TIMEOUT'
	/** The client command was not found. */
	| 'CLIENT_NOT_FOUND'
	/** The client command exists but cannot be executed. */
	| 'CLIENT_NOT_EXECUTABLE'
	/** Something already serves on the server's port (a stale instance?); nothing was started. */
	| 'PORT_IN_USE'
	/** With `strict`: the endpoint answered, but not like the MCP endpoint (404, 3xx, 401, 403/421, 5xx). */
	| 'ENDPOINT_MISMATCH'
	/** The launch was aborted (signal or AbortSignal) before the client ran. */
	| 'ABORTED';

/**
 * The one error class mcp-launch throws for a failed launch. `code` is stable; `message`
 * is for people and names the evidence and the fix, with URL passwords and query values
 * redacted; `details` holds the evidence for machines.
 *
 * @example
 * try { await launch(options) } catch (error) {
 *   if (error instanceof LaunchError && error.code === 'SERVER_EXITED') console.error(error.details.output)
 * }
 */
export class LaunchError extends Error {
	override name = 'LaunchError';
	readonly code: LaunchErrorCode;
	readonly details: Readonly<Record<string, unknown>>;

	constructor(code: LaunchErrorCode, message: string, options: {cause?: unknown; details?: Record<string, unknown>} = {}) {
		super(redactText(message), options.cause === undefined ? undefined : {cause: options.cause});
		this.code = code;
		this.details = options.details ?? {};
	}
}
