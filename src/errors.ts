import type {CrashKind} from './diagnose/crash.js';
import type {Listener} from './diagnose/port-owner-text.js';
import type {DiagnosisCause} from './diagnose/types.js';
import {printable} from './option-error.js';
import {redactText, redactValue} from './redact.js';

/** The evidence each {@link LaunchError} code carries, for machines. */
export type LaunchErrorDetails = {
	/** The server exited (or could not be spawned) before its endpoint answered. */
	SERVER_EXITED: {server: string; exitCode: number | undefined; signal: string | undefined; crashCause: CrashKind; port?: number; stderr: string[]; stdout: string[]};
	/** The endpoint did not answer within the readiness timeout. */
	READY_TIMEOUT: {server?: string; url: string; attempts: number; elapsedMs: number; lastError?: string; cause?: DiagnosisCause; suggestedUrl?: string; stderr?: string[]; stdout?: string[]};
	/** The client command was not found. */
	CLIENT_NOT_FOUND: {command: string};
	/** The client command exists but cannot be executed. */
	CLIENT_NOT_EXECUTABLE: {command: string; path?: string};
	/** Something already serves on the server's port (a stale instance?); nothing was started. */
	PORT_IN_USE: {server: string; port: number; occupants: Listener[]; answerStatus?: number};
	/** With `strict`: the endpoint answered, but not like the MCP endpoint (404, 3xx, 401, 403/421, 5xx). */
	ENDPOINT_MISMATCH: {server: string; status: number; cause: DiagnosisCause; suggestedUrl?: string};
	/** The launch was aborted (signal or AbortSignal) before the client ran. */
	ABORTED: {signal: NodeJS.Signals};
};

/** Stable discriminators for {@link LaunchError}. */
export type LaunchErrorCode = keyof LaunchErrorDetails;

/**
 * The one error class mcp-launch throws for a failed launch. `code` is stable; `message`
 * is for people and names the evidence and the fix, with URL passwords and query values
 * redacted; `details` holds the evidence for machines, typed by `code` (narrow with
 * {@link isLaunchError}).
 *
 * @example
 * try { await launch(options) } catch (error) {
 *   if (isLaunchError(error) && error.code === 'SERVER_EXITED') console.error(error.details.stderr)
 * }
 */
export class LaunchError<Code extends LaunchErrorCode = LaunchErrorCode> extends Error {
	override name = 'LaunchError';
	readonly code: Code;
	readonly details: Readonly<LaunchErrorDetails[Code]>;

	constructor(code: Code, message: string, options: {cause?: unknown; details: LaunchErrorDetails[Code]}) {
		super(printable(redactText(message)), options.cause === undefined ? undefined : {cause: options.cause});
		this.code = code;
		// Evidence too is shown as it is safe to print: `console.error(error)` must not leak a URL's
		// password or query values, nor let a server's output drive the terminal.
		this.details = redactDetails(options.details);
	}
}

function redactDetails<T>(details: T): T {
	return redactValue(details, [], 0, printable) as T;
}

/** A LaunchError of any code, as a union: checking `code` narrows `details`. */
export type AnyLaunchError = {[Code in LaunchErrorCode]: LaunchError<Code>}[LaunchErrorCode];

export function isLaunchError(error: unknown): error is AnyLaunchError {
	return error instanceof LaunchError;
}
