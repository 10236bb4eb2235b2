import {http} from '../http-module.js';
import {OptionError, shown} from '../option-error.js';

const form = '"Name: value", like "Authorization: Bearer TOKEN"';

/**
 * Check one header the way node's HTTP client will, so a bad one fails with the other options
 * instead of at the first probe. The value never appears in the message: it may be a secret.
 */
function checkHeader(name: string, value: unknown, flag: string): void {
	try {
		http().validateHeaderName(name);
	} catch {
		const why = name === '' ? 'no name before the colon' : (/\s/.test(name) ? 'a space in the name' : 'a character not allowed in a header name');
		throw new OptionError(flag, `Expected \`${flag}\` to be ${form} (a name of letters, digits and !#$%&'*+.^_\`|~-), got ${why}`);
	}

	try {
		if (typeof value !== 'string') {
			throw new TypeError('not a string');
		}

		http().validateHeaderValue(name, value);
	} catch {
		throw new OptionError(flag, `Expected \`${flag}\` to be ${form} on one line, got a value for \`${shown(name)}\` that is not a string of visible characters (a newline, CR or other control character?)`);
	}
}

/** `--header "Name: value"` → a header record (names lowercased). The values never appear in logs or messages. */
export function parseHeaders(values: readonly string[], flag = '--header'): Record<string, string> {
	const headers = new Map<string, string>();
	for (const value of values) {
		const colon = value.indexOf(':');
		if (colon < 0) {
			throw new OptionError(flag, `Expected \`${flag}\` to be ${form}, got no colon`);
		}

		const name = value.slice(0, colon).trim();
		const headerValue = value.slice(colon + 1).trim();
		checkHeader(name, headerValue, flag);
		headers.set(name.toLowerCase(), headerValue);
	}

	// fromEntries defines own properties: a header named __proto__ stays a header.
	return Object.fromEntries(headers);
}

/** The `headers` option of the library: a record of valid names and string values, checked up front. */
export function toHeaders(headers: unknown, flag = '--header'): Record<string, string> {
	if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
		throw new OptionError(flag, `Expected \`${flag}\` (headers) to be a record of header names to string values, like {authorization: 'Bearer TOKEN'}`);
	}

	for (const [name, value] of Object.entries(headers)) {
		checkHeader(name, value, flag);
	}

	return headers as Record<string, string>;
}

/** Show a header without its value. */
export function redact(header: string): string {
	const colon = header.indexOf(':');
	return colon > 0 ? `${header.slice(0, colon)}: [redacted]` : '[redacted]';
}
