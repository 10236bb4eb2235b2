/**
 * Secrets never reach a log line or a message: the password of a URL's userinfo (a lone
 * user name too: `https://TOKEN@host` is a common way to pass a token), every query value
 * (parameter names are kept: they help, values are where tokens live), and any exact
 * string the caller names as secret (`--header` values).
 *
 * Applied where text leaves for people or logs (the logger's sink, the waiting line, error
 * messages, doctor's output); the client itself always gets the real URL.
 */

import type {LogFn, Logger} from './log-types.js';

export const mask = '***';

/** Shorter named secrets are not masked: hiding every "a" would garble the text and protect nothing. */
const minSecretLength = 3;

// A URL in free text: scheme://…, up to whitespace, a double quote, a backslash (JSON escapes)
// or <>`. A single quote does not end it: a password may hold one (`http://u:pa'ss@host`).
const urlPattern = /\b[a-z][a-z\d+.-]*:\/\/[^\s"<>`\\]+/gi;
// Punctuation that ends a sentence (or a quote) rather than a URL: "ready http://…/mcp?t=1)."
const trailing = /[),.;:\]!']+$/;
// A request target with a query in a server's access log: `"POST /mcp?token=abc HTTP/1.1"`.
const requestTarget = /(^|[\s"'])(\/[^\s"'?#]*)\?([^\s"'#]*)/g;
// A URL cut short inside its authority (a long password, the line cut before the `@`).
const unfinishedAuthority = /(\b[a-z][a-z\d+.-]*:\/\/)[^\s/?#"<>`\\]*$/i;

/** Redact one URL (text or URL object); text that does not look like a URL comes back redacted as free text. */
export function redactUrl(url: string | URL): string {
	return redactText(typeof url === 'string' ? url : url.href);
}

function redactOne(url: string): string {
	const tail = trailing.exec(url)?.[0] ?? '';
	let body = tail === '' ? url : url.slice(0, -tail.length);
	const start = body.indexOf('://') + 3;
	// The authority ends at the first / ? #; userinfo is what comes before its last @.
	const authorityEnd = (() => {
		const found = body.slice(start).search(/[/?#]/);
		return found === -1 ? body.length : start + found;
	})();
	const at = body.lastIndexOf('@', authorityEnd - 1);
	if (at >= start) {
		const userinfo = body.slice(start, at);
		const colon = userinfo.indexOf(':');
		const shown = colon === -1 ? mask : `${userinfo.slice(0, colon)}:${mask}`;
		body = body.slice(0, start) + shown + body.slice(at);
	}

	return redactQuery(body) + tail;
}

/** Every value of the query of `text` (a URL or a request target) masked; parameter names kept. */
function redactQuery(text: string): string {
	const question = text.indexOf('?');
	if (question === -1) {
		return text;
	}

	const hash = text.indexOf('#', question);
	const queryEnd = hash === -1 ? text.length : hash;
	const query = text.slice(question + 1, queryEnd).split('&').map(pair => {
		if (pair === '' || pair === mask) {
			return pair;
		}

		const equals = pair.indexOf('=');
		return equals === -1 ? mask : `${pair.slice(0, equals + 1)}${mask}`;
	}).join('&');
	return text.slice(0, question + 1) + query + text.slice(queryEnd);
}

/**
 * A URL as the user typed it (a value that did not parse, for an error message): the whole
 * value is one URL, so its userinfo is everything before the last `@` of its authority, quotes
 * and spaces included (`http://u:pa"s s@host`), and every query value is masked.
 */
export function redactTypedUrl(text: string): string {
	const start = text.indexOf('://') + 3;
	const authorityEnd = (() => {
		const found = text.slice(start).search(/[/?#]/);
		return found === -1 ? text.length : start + found;
	})();
	const at = text.lastIndexOf('@', authorityEnd - 1);
	const userinfo = at >= start ? text.slice(start, at) : undefined;
	const colon = userinfo?.indexOf(':') ?? -1;
	const authority = userinfo === undefined ? text.slice(0, authorityEnd) : `${text.slice(0, start)}${colon === -1 ? mask : `${userinfo!.slice(0, colon)}:${mask}`}${text.slice(at, authorityEnd)}`;
	return authority + redactQuery(text.slice(authorityEnd));
}

/**
 * The secrets a URL carries, in every spelling a message or a server's log may show them:
 * its password (or a lone user name), and each query value, percent-encoded as in the URL and
 * decoded. Added to the named secrets, they are hidden even where no URL is recognised (a
 * server's access log line, a message cut short).
 */
export function urlSecrets(url: URL): string[] {
	const found = new Set<string>();
	const add = (value: string) => {
		found.add(value);
		try {
			found.add(decodeURIComponent(value));
		} catch {}
	};

	if (url.password !== '') {
		add(url.password);
	} else if (url.username !== '') {
		add(url.username);
	}

	for (const pair of url.search.slice(1).split('&')) {
		const equals = pair.indexOf('=');
		add(equals === -1 ? pair : pair.slice(equals + 1));
	}

	return [...found].filter(secret => secret.length >= minSecretLength);
}

/** Everything to hide for a run: the header values, and what each URL carries (see {@link urlSecrets}). URL text that does not parse adds nothing. */
export function secretsOf(headers: Record<string, string> | undefined, urls: ReadonlyArray<string | URL | undefined>): string[] {
	const found = new Set(Object.values(headers ?? {}));
	for (const url of urls) {
		try {
			for (const secret of url === undefined ? [] : urlSecrets(new URL(typeof url === 'string' ? url.replace('{port}', '1') : url.href))) {
				found.add(secret);
			}
		} catch {}
	}

	return [...found];
}

/**
 * Redact a line that was cut short (a server's output line over the length kept): a secret
 * or a URL's authority may stand at the cut with only its start kept. That start is masked
 * too, then the line is redacted as any text is.
 */
export function redactCutText(text: string, secrets: readonly string[] = []): string {
	let result = text;
	for (const secret of secrets) {
		for (let length = Math.min(secret.length - 1, result.length); length >= 1; length--) {
			if (result.endsWith(secret.slice(0, length))) {
				result = result.slice(0, -length) + mask;
				break;
			}
		}
	}

	return redactText(result, secrets).replace(unfinishedAuthority, `$1${mask}`);
}

/**
 * Redact every URL found in `text`, and every occurrence of each string in `secrets`
 * (empty and very short strings are ignored: masking "a" everywhere would garble the text
 * and protect nothing).
 *
 * @example
 * redactText('ready http://admin:hunter2@127.0.0.1:3000/mcp?token=abc (406)')
 * //=> 'ready http://admin:***@127.0.0.1:3000/mcp?token=*** (406)'
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length >= minSecretLength) {
			result = result.replaceAll(secret, mask);
			// The same secret as it appears inside a JSON string.
			const escaped = JSON.stringify(secret).slice(1, -1);
			if (escaped !== secret) {
				result = result.replaceAll(escaped, mask);
			}
		}
	}

	return result.replace(urlPattern, redactOne).replace(requestTarget, (_whole, before: string, path: string, query: string) => `${before}${redactQuery(`${path}?${query}`)}`);
}

/** A value with every string in it redacted (and passed through `then`), to a depth of 4; URLs become redacted text. */
export function redactValue(value: unknown, secrets: readonly string[], depth: number, then: (text: string) => string = text => text): unknown {
	if (typeof value === 'string') {
		return then(redactText(value, secrets));
	}

	if (depth > 3 || value === null || typeof value !== 'object' || value instanceof Error) {
		return value;
	}

	if (Array.isArray(value)) {
		return value.map(item => redactValue(item, secrets, depth + 1, then));
	}

	if (value instanceof URL) {
		return then(redactUrl(value));
	}

	return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, secrets, depth + 1, then)]));
}

/**
 * A logger that redacts every message and field before handing it on: what the library
 * gives any logger (a library user's own pino too) is already free of secrets.
 */
export function redactingLogger(logger: Logger, secrets: readonly string[] = []): Logger {
	const wrap = (level: 'debug' | 'info' | 'warn' | 'error'): LogFn => {
		const method = logger[level].bind(logger) as (fields: Record<string, unknown> | string, message?: string) => void;
		return ((fieldsOrMessage: Record<string, unknown> | string, message?: string) => {
			if (logger.isLevelEnabled?.(level) === false) {
				return;
			}

			if (typeof fieldsOrMessage === 'string') {
				method(redactText(fieldsOrMessage, secrets));
			} else if (message === undefined) {
				method(redactValue(fieldsOrMessage, secrets, 0) as Record<string, unknown>);
			} else {
				method(redactValue(fieldsOrMessage, secrets, 0) as Record<string, unknown>, redactText(message, secrets));
			}
		}) as LogFn;
	};

	return {
		debug: wrap('debug'),
		info: wrap('info'),
		warn: wrap('warn'),
		error: wrap('error'),
		...(logger.isLevelEnabled ? {isLevelEnabled: logger.isLevelEnabled.bind(logger)} : {}),
		...(logger.flush ? {flush: logger.flush.bind(logger)} : {}),
	};
}
