import {parseDuration} from './duration.js';
import {expected, OptionError, shown} from './option-error.js';
import {shellSafeUrl} from './workflow/shell-inert.js';

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

const urlForm = 'an http:// or https:// URL with a host, like http://127.0.0.1:3000/mcp';

/**
 * Parse and check an MCP endpoint URL: http or https, a host name or address, a port 1-65535
 * if one is given. Shell-special characters of its userinfo, path, query values and fragment
 * come back percent-encoded (same meaning), so the URL is data in any shell (shell-inert.ts).
 */
export function toEndpointUrl(value: string | URL, flag = '--url'): URL {
	const text = value instanceof URL ? value.href : value;
	// The WHATWG parser reads `http:///mcp` as the host "mcp" and `http:/x` as `http://x`: insist on `//host`.
	if (typeof text !== 'string' || !/^https?:\/\/[^/?#\\\s]/i.test(text)) {
		throw expected(flag, urlForm, value);
	}

	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw expected(flag, urlForm, value);
	}

	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.port === '0') {
		throw expected(flag, `${urlForm} (a port 1-65535)`, value);
	}

	const safe = shellSafeUrl(url);
	if (safe.badHostCharacter !== undefined) {
		throw new OptionError(flag, `Expected \`${flag}\` to be ${urlForm}, whose host is a name of letters, digits, dots and dashes or an IP address, got \`${shown(value)}\` (\`${shown(safe.badHostCharacter)}\` in the host)`);
	}

	return safe.url;
}

/**
 * A URL that may hold `{port}` (a port picked later): `{port}` stands for the whole port, once
 * (`http://127.0.0.1:{port}/mcp`), so any port 1-65535 makes a valid URL. Returns the checked
 * URL text, normalized as {@link toEndpointUrl} does, `{port}` kept.
 */
export function toEndpointTemplate(value: string | URL, flag = '--url'): string {
	const text = value instanceof URL ? value.href : value;
	if (typeof text !== 'string' || !text.includes('{port}')) {
		return toEndpointUrl(value, flag).href;
	}

	if (text.indexOf('{port}') !== text.lastIndexOf('{port}') || !/^https?:\/\/[^/?#]*:\{port\}(?:[/?#]|$)/i.test(text)) {
		throw expected(flag, 'a URL with {port} as its whole port, like http://127.0.0.1:{port}/mcp', value);
	}

	const url = toEndpointUrl(text.replace('{port}', '1'), flag);
	const userinfo = url.username === '' && url.password === '' ? '' : `${url.username}${url.password === '' ? '' : `:${url.password}`}@`;
	return `${url.protocol}//${userinfo}${url.hostname}:{port}${url.pathname}${url.search}${url.hash}`;
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


/**
 * Linux runs no program with one argument over 128 KiB (MAX_ARG_STRLEN, its NUL byte included):
 * exec fails with E2BIG. A server command (inside its held shell's script) or a client argument
 * that long, placeholders filled, is refused up front.
 */
const maxArgumentBytes = 131_072;

export function checkArgumentLength(text: string, flag: string, reserveBytes = 0): void {
	const bytes = Buffer.byteLength(text) + reserveBytes + 1;
	if (bytes > maxArgumentBytes) {
		throw new OptionError(flag, `Expected \`${flag}\` to be at most 128 KiB (the system's limit for one argument), got ${Math.ceil(bytes / 1024)} KiB with the placeholders filled`);
	}
}
