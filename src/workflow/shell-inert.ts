import {OptionError, shown} from '../option-error.js';

/**
 * Values mcp-launch places into commands ({url}, {host}, {port}, {mcp-config}) must stay data
 * in ANY shell that reads them, however many times the command is re-parsed: `sh -c '… {url}'`,
 * `eval`, `bash -c "…"`, a here-doc fed to sh, nodemon --exec, an npm script. Quoting cannot
 * promise that (the outer shell removes it; the inner one sees the bare value), so the values
 * themselves hold no character any shell gives a meaning to. What is left are `?` before a
 * query and `[ ]` around an IPv6 address: glob characters that can match a file name, never run
 * anything.
 */

/** Characters a URL may hold that a shell reads as code, quoting, expansion, a glob or a separator. */
const shellSpecial = /[\s$`'"\\;&|<>()*?[\]{}!^~]/g;

/** What a placed value may consist of: letters, digits, `%._-:/@+,=#`, and the structural `?` `[` `]`. */
const inert = /^[\w%.\-:/@+,=#?[\]]*$/;

/** `%24` for `$`: percent-encoding keeps the meaning of a URL's path, query value, fragment and userinfo. */
function percentEncode(text: string, keep: string): string {
	return text.replaceAll(shellSpecial, character => (keep.includes(character) ? character : `%${character.codePointAt(0)!.toString(16).toUpperCase().padStart(2, '0')}`));
}

/** A host name of letters, digits, `.`, `_`, `-` (after IDNA), an IPv4 address, or an IPv6 address in brackets. */
const hostForm = /^(?:\[[\da-f:.]+\]|[\da-z._-]+)$/;

/**
 * The URL with every shell-special character of its userinfo, path, query and fragment
 * percent-encoded, where that keeps the URL's meaning (RFC 3986): not the `&` that separates
 * query parameters, which stays and makes the URL unplaceable (see {@link checkInert}). A host
 * is a name or an address, nothing else: returns the first character that is not.
 */
export function shellSafeUrl(url: URL): {url: URL; badHostCharacter?: string} {
	const host = url.hostname;
	if (!hostForm.test(host)) {
		return {url, badHostCharacter: [...host].find(character => !/[\da-z._-]/.test(character)) ?? host[0] ?? ''};
	}

	const result = new URL(url.href);
	result.username = percentEncode(result.username, '');
	result.password = percentEncode(result.password, '');
	result.pathname = percentEncode(result.pathname, '');
	if (result.search !== '') {
		result.search = `?${percentEncode(result.search.slice(1), '&')}`;
	}

	if (result.hash !== '') {
		result.hash = `#${percentEncode(result.hash.slice(1), '')}`;
	}

	return {url: result};
}

/** The first character of `value` a shell would not read as plain data, or undefined. */
export function unsafeCharacter(value: string): string | undefined {
	return inert.test(value) ? undefined : [...value].find(character => !inert.test(character));
}

const named: Record<string, string> = {' ': 'a space', '\n': 'a newline', '\t': 'a tab', '&': '`&`'};

/**
 * Refuse to place a value that a shell re-reading the command could run: a URL whose query
 * holds `&` (the rest would run as a command of its own), a temp directory with `$` in its path.
 */
export function checkInert(value: string, placeholder: string): void {
	// A temp directory's path may hold a space (it splits a word, it never runs anything), and a
	// Windows one (`C:\…`) its backslashes: there they separate directories; cmd.exe and the C
	// runtime's argv rules read them as data (a batch file's arguments are quoted: argv-quote.ts).
	const path = placeholder === '{mcp-config}' ? value.replaceAll(' ', '') : value;
	const bad = unsafeCharacter(/^[A-Za-z]:\\/.test(path) && placeholder === '{mcp-config}' ? path.replaceAll('\\', '/') : path);
	if (bad === undefined) {
		return;
	}

	const what = named[bad] ?? `\`${shown(bad)}\``;
	if (placeholder === '{mcp-config}') {
		throw new OptionError('{mcp-config}', `Expected TMPDIR to be a path without shell characters for \`{mcp-config}\` (a shell re-reading the client's arguments would act on ${what}), got \`${shown(value)}\``);
	}

	throw new OptionError('--url', `Expected \`--url\` without ${what} where \`${placeholder}\` places it into a command (a shell re-reading the command would run what follows it), got \`${shown(value)}\`; leave \`${placeholder}\` out and use "$MCP_SERVER_URL" in the command instead (each server and the client have it in their environment)`);
}
