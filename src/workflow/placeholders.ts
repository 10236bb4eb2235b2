import {OptionError} from '../option-error.js';
import {shellContexts, variableReference} from './shell-context.js';

/**
 * Placeholders: `{port}`, `{url}`, `{host}` (the first server, or in a server's own command,
 * that server), `{port:NAME}`, `{url:NAME}`, `{host:NAME}` (a named server) and
 * `{mcp-config}` (the generated client config file). Anything else in braces, such as JSON
 * passed to a client, is left alone.
 */
export type PlaceholderServer = {name: string; port: string; url: string; host: string};
export type PlaceholderValues = {self: PlaceholderServer; byName: ReadonlyMap<string, PlaceholderServer>; mcpConfig?: string | undefined};

const pattern = /\{(port|url|host)(?::([\w.-]+))?\}|\{mcp-config\}/g;

function lookup(values: PlaceholderValues, key: string, name: string | undefined, whole: string): string {
	if (whole === '{mcp-config}') {
		if (values.mcpConfig === undefined) {
			throw new OptionError('--server', 'Expected `{mcp-config}` only in the client\'s arguments (after `--`), not in `--server`');
		}

		return values.mcpConfig;
	}

	const server = name === undefined ? values.self : values.byName.get(name);
	if (!server) {
		throw new OptionError('--name', `Unknown server name in \`${whole}\`: expected one of ${[...values.byName.keys()].join(', ')} (set with --name)`);
	}

	return server[key as 'port' | 'url' | 'host'];
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
 * Fill placeholders in a shell command. A value never becomes shell text: `{url}` and `{host}`
 * turn into a reference to an environment variable holding the value (`"${MCP_LAUNCH_URL}"`),
 * written to be exactly one word in the quoting context where the placeholder stands (bare,
 * inside "…" or inside '…'), so a URL holding `$(…)`, backticks or quotes is never run, and a
 * quoted placeholder is not quoted twice. A port is digits only and is inserted as it is.
 */
export function fillShellCommand(command: string, values: PlaceholderValues): FilledCommand {
	return fillCommandWith(command, values, matches => {
		const contexts = shellContexts(command, matches.map(match => match.index));
		return (variable, index) => variableReference(variable, contexts[index]!);
	});
}

/** Where one placeholder stands in a command: its offset and its text. */
export type PlaceholderMatch = {index: number; whole: string};

/**
 * Given every placeholder of a command, how a variable is referred to at the n-th one (a shell's
 * quoting rules: sh here, cmd.exe in os/win32); may throw an {@link OptionError} where no safe
 * reference exists. Values go to the environment; only ports (digits) are inserted as text.
 */
export type ReferencePlanner = (matches: readonly PlaceholderMatch[]) => (variable: string, index: number, value: string) => string;

export function fillCommandWith(command: string, values: PlaceholderValues, plan: ReferencePlanner): FilledCommand {
	const matches = [...command.matchAll(pattern)];
	const reference = plan(matches.map(match => ({index: match.index, whole: match[0]})));
	const taken = new Map<string, string>();
	const env: Record<string, string> = {};
	let result = '';
	let last = 0;
	for (const [index, match] of matches.entries()) {
		const [whole, key = '', name] = match;
		const value = lookup(values, key, name, whole);
		let text = value;
		if (!(key === 'port' && /^\d+$/.test(value))) {
			const variable = variableName(key, name, taken, whole);
			env[variable] = value;
			text = reference(variable, index, value);
		}

		result += command.slice(last, match.index) + text;
		last = match.index + whole.length;
	}

	return {command: result + command.slice(last), env};
}

/** Fill placeholders inside each argument; no shell is involved, so values go in as they are. */
export function fillArgv(argv: readonly string[], values: PlaceholderValues): string[] {
	return argv.map(argument => argument.replace(pattern, (whole, key: string, name: string | undefined) => lookup(values, key, name, whole)));
}

export function usesPlaceholder(text: string | readonly string[], placeholder: string): boolean {
	return (typeof text === 'string' ? [text] : text).some(item => item.includes(placeholder));
}
