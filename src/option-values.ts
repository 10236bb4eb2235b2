import {parseDuration} from './duration.js';
import {expected} from './option-error.js';

/**
 * The value checks of every option: each turns what the user gave into the value the code
 * works with (milliseconds, a URL, a port, a choice) or throws an OptionError naming the flag
 * and the expected form. Run once, at the entry (resolveOptions, the CLI's wait and doctor).
 */

const durationExample = 'like 30s, 500ms or 2m (a bare number means seconds)';

/** The longest duration any option takes: a day (timers cannot go past 2^31-1 ms, about 24.8 days). */
export const maxDurationMs = 24 * 3_600_000;

/**
 * Read a duration option. `flag` names it as the user typed it, for the error message.
 * Numbers are milliseconds (library), strings are parsed (CLI and library alike).
 */
export function toDurationMs(value: number | string, flag: string, {allowZero = false} = {}): number {
	const ms = typeof value === 'number' ? value : (typeof value === 'string' ? parseDuration(value) : undefined);
	const kind = allowZero ? 'a duration' : 'a positive duration';
	if (ms === undefined || !Number.isFinite(ms) || ms < 0 || (!allowZero && ms === 0)) {
		throw expected(flag, `${kind} ${durationExample}`, value);
	}

	if (ms > maxDurationMs) {
		throw expected(flag, `${kind} of at most 24h, like 30s or 2m`, value);
	}

	return ms;
}

/** Parse and check an MCP endpoint URL: http or https, a host, a port 1-65535 if one is given. */
export function toEndpointUrl(value: string | URL, flag = '--url'): URL {
	const form = 'an http:// or https:// URL with a host, like http://127.0.0.1:3000/mcp';
	const text = value instanceof URL ? value.href : value;
	// The WHATWG parser reads `http:///mcp` as the host "mcp" and `http:/x` as `http://x`: insist on `//host`.
	if (typeof text !== 'string' || !/^https?:\/\/[^/?#\\\s]/i.test(text)) {
		throw expected(flag, form, value);
	}

	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw expected(flag, form, value);
	}

	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.port === '0') {
		throw expected(flag, `${form} (a port 1-65535)`, value);
	}

	return url;
}

export function toChoice<T extends string>(value: unknown, flag: string, choices: readonly T[]): T {
	if (!(choices as readonly unknown[]).includes(value)) {
		throw expected(flag, `one of ${choices.join(', ')}`, value);
	}

	return value as T;
}

export function toPort(value: unknown): number | 'auto' | undefined {
	if (value === undefined || value === 'auto') {
		return value;
	}

	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65_535) {
		throw expected('--port', 'a port number (1-65535) or auto', value);
	}

	return value;
}

/** A text that can go into argv or a shell command: a NUL byte cannot. */
export function toText(value: unknown, flag: string, form: string, {allowEmpty = false} = {}): string {
	if (typeof value !== 'string' || (!allowEmpty && value.trim() === '') || value.includes('\0')) {
		throw expected(flag, form, value);
	}

	return value;
}

