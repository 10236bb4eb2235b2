import {setTimeout as delay} from 'node:timers/promises';

export interface WaitOptions {
	/** Upper bound; the wait fails with an error naming `what` after this. */
	timeoutMs: number;
	/** What we are waiting for, for the error message. */
	what: string;
	/** Poll interval (a cheap predicate is polled, this is not a settle delay). */
	intervalMs?: number;
}

/**
 * Polls `predicate` until it returns a truthy value (which is returned), or fails after timeoutMs.
 * This waits for a handshake (a file, a line, a process exit), never for time to pass.
 */
export async function waitFor<T>(
	predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
	{timeoutMs, what, intervalMs = 15}: WaitOptions,
): Promise<T> {
	const deadline = performance.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await predicate();
			if (value) return value;
		} catch (error) {
			lastError = error;
		}
		if (performance.now() >= deadline) {
			const suffix = lastError ? ` (last error: ${String(lastError)})` : '';
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${suffix}`);
		}
		await delay(intervalMs);
	}
}

/** High-resolution epoch milliseconds, comparable with the fixtures' timestamps. */
export const now = (): number => performance.timeOrigin + performance.now();
