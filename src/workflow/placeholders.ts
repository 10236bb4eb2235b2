import {OptionError} from '../option-error.js';
import {hostOf, portOf} from '../readiness/connect.js';
import {shellContexts, variableReference} from './shell-context.js';
import {checkInert} from './shell-inert.js';

/**
 * Placeholders: `{port}`, `{url}`, `{host}` (the first server, or in a server's own command,
 * that server), `{port:NAME}`, `{url:NAME}`, `{host:NAME}` (a named server) and
 * `{mcp-config}` (the generated client config file). A placeholder is never right after `$`:
 * `${port}` and `${url:-x}` are the shell's own variables. Anything else in braces, such as
 * JSON passed to a client, is left alone.
 */
export type PlaceholderServer = {name: string; port: string; url: string; host: string};
export type PlaceholderValues = {self: PlaceholderServer; byName: ReadonlyMap<string, PlaceholderServer>; mcpConfig?: string | undefined};

const pattern = /(?<!\$)(?:\{(port|url|host)(?::([\w.-]+))?\}|\{mcp-config\})/g;

/** What the placeholders of a server stand for, from its URL. */
export function placeholderValues(name: string, url: URL): PlaceholderServer {
	return {name, port: String(portOf(url)), url: url.href, host: hostOf(url)};
}

/** A placeholder's value, checked to be data in any shell (see shell-inert.ts). */
function lookup(values: PlaceholderValues, key: string, name: string | undefined, whole: string): string {
	if (whole === '{mcp-config}') {
		if (values.mcpConfig === undefined) {
			throw new OptionError('--server', 'Expected `{mcp-config}` only in the client\'s arguments (after `--`), not in `--server`');
		}

		checkInert(values.mcpConfig, whole);
		return values.mcpConfig;
	}

	const server = name === undefined ? values.self : values.byName.get(name);
	if (!server) {
		throw new OptionError('--name', `Unknown server name in \`${whole}\`: expected one of ${[...values.byName.keys()].join(', ')} (set with --name)`);
	}

	const value = server[key as 'port' | 'url' | 'host'];
	checkInert(value, whole);
	return value;
}

/** A server command ready for `/bin/sh -c`, and the variables its placeholders refer to. */
export type FilledCommand = {command: string; env: Record<string, string>};

/** The variable that carries a placeholder's value: MCP_LAUNCH_URL, MCP_LAUNCH_HOST_API, ... */
function variableName(key: string, name: string | undefined, taken: Map<string, string>, whole: string): string {
	const existing = taken.get(whole);
	if (existing) {
		return existing;
	}

	const base = `MCP_LAUNCH_${key.toUpperCase()}${name === undefined ? '' : `_${name.toUpperCase().replaceAll(/\W/g, '_')}`}`;
	let candidate = base;
	for (let n = 2; [...taken.values()].includes(candidate); n++) {
		candidate = `${base}_${n}`;
	}

	taken.set(whole, candidate);
	return candidate;
}

/**
 * Fill placeholders in a shell command. Two layers keep a value data:
 * - every value is inert in any shell (a checked port, a checked host, a URL whose shell
 *   characters are percent-encoded, see shell-inert.ts), so a shell that re-reads the command
 *   (`sh -c '…'`, `eval`, a here-doc fed to sh) finds nothing to run in it;
 * - `{url}` and `{host}` become a reference to an environment variable holding the value
 *   (`"${MCP_LAUNCH_URL}"`), written for the quoting context where the placeholder stands
 *   (bare, "…", '…', an unquoted here-doc): exactly one word, never split or globbed, and no
 *   URL password or query value in the argv of the shell mcp-launch spawns.
 * A port is digits only and is inserted as it is. A placeholder in a comment or escaped
 * (`\{url}`) is left alone; one where the context cannot be known for sure (a quoted here-doc,
 * `$'…'`) is refused.
 */
export function fillShellCommand(command: string, values: PlaceholderValues): FilledCommand {
	return fillCommandWith(command, values, matches => {
		const contexts = shellContexts(command, matches.map(match => match.index));
		return {
			literal: index => contexts[index] === 'literal',
			reference(variable, index) {
				const context = contexts[index]!;
				if (typeof context === 'object' || context === 'literal') {
					throw new OptionError('--server', `\`--server\`: cannot place \`${matches[index]!.whole}\` inside ${typeof context === 'object' ? context.refused : 'a comment'}; use "$MCP_SERVER_URL" there instead (each server gets its URL in its environment)`);
				}

				return variableReference(variable, context);
			},
		};
	});
}

/** Where one placeholder stands in a command: its offset and its text. */
export type PlaceholderMatch = {index: number; whole: string};

/**
 * A shell's quoting rules for placeholders (sh here, cmd.exe in os/win32), given every
 * placeholder of a command: which ones are left as written (a comment, an escaped brace), and
 * how a variable is referred to at the n-th one (may throw an {@link OptionError} where no safe
 * reference exists). Values go to the environment; only ports (digits) are inserted as text.
 */
export type ReferencePlanner = (matches: readonly PlaceholderMatch[]) => {
	literal?: (index: number) => boolean;
	reference: (variable: string, index: number, value: string) => string;
};

export function fillCommandWith(command: string, values: PlaceholderValues, plan: ReferencePlanner): FilledCommand {
	const matches = [...command.matchAll(pattern)];
	const rules = plan(matches.map(match => ({index: match.index, whole: match[0]})));
	const taken = new Map<string, string>();
	const env: Record<string, string> = {};
	let result = '';
	let last = 0;
	for (const [index, match] of matches.entries()) {
		const [whole, key = '', name] = match;
		if (rules.literal?.(index)) {
			continue;
		}

		const value = lookup(values, key, name, whole);
		let text = value;
		if (key !== 'port') {
			const variable = variableName(key, name, taken, whole);
			env[variable] = value;
			text = rules.reference(variable, index, value);
		}

		result += command.slice(last, match.index) + text;
		last = match.index + whole.length;
	}

	return {command: result + command.slice(last), env};
}

/** Fill placeholders inside each argument; no shell is involved here, but the client may be one (`sh -c '… {url}'`). */
export function fillArgv(argv: readonly string[], values: PlaceholderValues): string[] {
	return argv.map(argument => argument.replace(pattern, (whole, key: string, name: string | undefined) => lookup(values, key, name, whole)));
}

export function usesPlaceholder(text: string | readonly string[], placeholder: string): boolean {
	return (typeof text === 'string' ? [text] : text).some(item => item.includes(placeholder));
}
