import {constants} from 'node:os';
import type {AnyLaunchError, LaunchErrorCode} from './errors.js';

/**
 * What mcp-launch exits with, in one table (README "Exit codes"): the CLI maps every outcome
 * through it, and `LaunchResult.exitCode` comes from it too.
 */
export const exitCodes = {
	/** An internal error: a bug. */
	internal: 1,
	/** A usage error (a bad flag, URL or duration); nothing was started. */
	usage: 2,
	READY_TIMEOUT: 124,
	SERVER_EXITED: 125,
	PORT_IN_USE: 125,
	ENDPOINT_MISMATCH: 125,
	/** A server died while the client ran, with `--on-server-exit exit`. */
	serverDiedWhileClientRan: 125,
	CLIENT_NOT_EXECUTABLE: 126,
	CLIENT_NOT_FOUND: 127,
} as const satisfies Partial<Record<LaunchErrorCode, number>> & Record<string, number>;

/** 128 + the signal's number, as shells report a death by signal. */
export function signalExitCode(signal: string): number {
	const number = (constants.signals as Record<string, number>)[signal];
	return 128 + (number ?? 15);
}

/** The exit code for a launch that failed with this error (ABORTED: 128 + the signal). */
export function exitCodeOf(error: AnyLaunchError): number {
	return error.code === 'ABORTED' ? signalExitCode(error.details.signal) : exitCodes[error.code];
}
