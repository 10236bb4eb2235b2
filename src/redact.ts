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

// A URL in free text: scheme://…, up to whitespace, a quote, a backslash (JSON escapes) or <>`.
const urlPattern = /\b[a-z][a-z\d+.-]*:\/\/[^\s"'<>`\\]+/gi;
// Punctuation that ends a sentence rather than a URL: "ready http://…/mcp?t=1)."
const trailing = /[),.;:\]!]+$/;

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

	const question = body.indexOf('?');
	if (question !== -1) {
		const hash = body.indexOf('#', question);
		const queryEnd = hash === -1 ? body.length : hash;
		const query = body.slice(question + 1, queryEnd).split('&').map(pair => {
			if (pair === '') {
				return pair;
			}

			const equals = pair.indexOf('=');
			return equals === -1 ? mask : `${pair.slice(0, equals + 1)}${mask}`;
		}).join('&');
		body = body.slice(0, question + 1) + query + body.slice(queryEnd);
	}

	return body + tail;
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
		if (secret.length >= 3) {
			result = result.replaceAll(secret, mask);
			// The same secret as it appears inside a JSON string.
			const escaped = JSON.stringify(secret).slice(1, -1);
			if (escaped !== secret) {
				result = result.replaceAll(escaped, mask);
			}
		}
	}

	return result.replace(urlPattern, redactOne);
}

function redactValue(value: unknown, secrets: readonly string[], depth: number): unknown {
	if (typeof value === 'string') {
		return redactText(value, secrets);
	}

	if (depth > 3 || value === null || typeof value !== 'object' || value instanceof Error) {
		return value;
	}

	if (Array.isArray(value)) {
		return value.map(item => redactValue(item, secrets, depth + 1));
	}

	if (value instanceof URL) {
		return redactUrl(value);
	}

	return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item, secrets, depth + 1)]));
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
