/**
 * Secrets never reach a log line or a message: the password of a URL's userinfo (a lone
 * user name too: `https://TOKEN@host` is a common way to pass a token), every query value
 * (parameter names are kept: they help, values are where tokens live), and any exact
 * string the caller names as secret (`--header` values).
 *
 * Applied where text leaves for people or logs (the logger's sink, the waiting line, error
 * messages, doctor's output); the client itself always gets the real URL.
 */

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
