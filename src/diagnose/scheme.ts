/** A probe failure that looks like a scheme mismatch. */
export type SchemeMismatch = {
	/** `https-to-http`: TLS spoken to a plain-http server. `http-to-tls`: plain HTTP spoken to a TLS server. */
	kind: 'https-to-http' | 'http-to-tls';
	/** `certain` for the OpenSSL wrong-version error; `likely` for a hang-up, which other faults also cause. */
	confidence: 'certain' | 'likely';
	message: string;
	fix: string;
	/** The same URL with the other scheme. */
	suggestedUrl: string;
};

/** What scheme detection reads from a ProbeError (or any Node network error). */
export type ErrorLike = {code?: string; message: string; cause?: unknown};

/** The same URL with the other scheme (keeping an explicit port). */
export function otherScheme(url: URL): URL {
	// Assigning `protocol` would drop an explicit default port; rebuild the text instead.
	const scheme = url.protocol === 'https:' ? 'http:' : 'https:';
	return new URL(scheme + url.href.slice(url.protocol.length));
}

/**
 * What a probe of {@link otherScheme} may send. On a downgrade (https → plain http) neither
 * the user's headers nor the URL's userinfo (which Node sends as Basic auth): credentials
 * would travel in clear text where the client itself would never send them.
 */
export function otherSchemeProbe(url: URL, headers: Record<string, string> | undefined): {url: URL; headers: Record<string, string> | undefined} {
	const other = otherScheme(url);
	if (url.protocol !== 'https:') {
		return {url: other, headers};
	}

	other.username = '';
	other.password = '';
	return {url: other, headers: undefined};
}

function texts(error: ErrorLike): {codes: string[]; message: string} {
	const codes: string[] = [];
	const messages: string[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
		const {code, message, cause} = current as {code?: unknown; message?: unknown; cause?: unknown};
		if (typeof code === 'string') {
			codes.push(code);
		}

		if (typeof message === 'string') {
			messages.push(message);
		}

		current = cause;
	}

	return {codes, message: messages.join(' | ')};
}

const tlsOnPlain = /wrong version number|packet length too long|unknown protocol|http request|record layer failure/i;
const hangUp = /socket hang up|ECONNRESET|Parse Error|Expected HTTP/i;

/**
 * Name a scheme mismatch from a probe error, or undefined when the error is something else. Pure.
 * https to a plain-http server: OpenSSL "wrong version number" (EPROTO, ERR_SSL_WRONG_VERSION_NUMBER).
 * http to a TLS server: the server hangs up (ECONNRESET, "socket hang up") or sends a TLS alert
 * the HTTP parser rejects (HPE_INVALID_CONSTANT); that is only `likely`: confirm by probing
 * {@link otherScheme} (doctor does).
 */
export function detectSchemeMismatch(error: ErrorLike, url: URL): SchemeMismatch | undefined {
	const {codes, message} = texts(error);
	const suggestedUrl = otherScheme(url).href;
	if (url.protocol === 'https:') {
		const sslCode = codes.some(code => code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || code === 'ERR_SSL_HTTP_REQUEST');
		if (sslCode || ((codes.includes('EPROTO') || /SSL routines/i.test(message)) && tlsOnPlain.test(message))) {
			return {
				kind: 'https-to-http',
				confidence: 'certain',
				message: `${url.host} speaks plain HTTP, but the URL says https (TLS handshake failed: wrong version number)`,
				fix: `use ${suggestedUrl}`,
				suggestedUrl,
			};
		}

		return undefined;
	}

	const parseError = codes.some(code => code.startsWith('HPE_'));
	if (parseError || codes.includes('ECONNRESET') || hangUp.test(message)) {
		return {
			kind: 'http-to-tls',
			confidence: 'likely',
			message: parseError
				? `${url.host} answered with something that is not HTTP (a TLS alert?): it probably expects https`
				: `${url.host} accepted the connection and hung up without an HTTP answer: it probably expects https (TLS)`,
			fix: `use ${suggestedUrl}`,
			suggestedUrl,
		};
	}

	return undefined;
}
