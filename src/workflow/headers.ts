/** `--header "Name: value"` → a header record. The values never appear in logs. */
export function parseHeaders(values: readonly string[]): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const value of values) {
		const colon = value.indexOf(':');
		const name = colon > 0 ? value.slice(0, colon).trim() : '';
		if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) {
			throw new TypeError(`Expected \`--header\` to be "Name: value", like "Authorization: Bearer TOKEN", got \`${redact(value)}\``);
		}

		headers[name.toLowerCase()] = value.slice(colon + 1).trim();
	}

	return headers;
}

/** Show a header without its value. */
export function redact(header: string): string {
	const colon = header.indexOf(':');
	return colon > 0 ? `${header.slice(0, colon)}: [redacted]` : '[redacted]';
}
