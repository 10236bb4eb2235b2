import {OptionError} from '../option-error.js';

/**
 * Placeholders: `{port}`, `{url}`, `{host}` (the first server, or in a server's own command,
 * that server), `{port:NAME}`, `{url:NAME}`, `{host:NAME}` (a named server) and
 * `{mcp-config}` (the generated client config file). Anything else in braces, such as JSON
 * passed to a client, is left alone.
 */
export type PlaceholderServer = {name: string; port: string; url: string; host: string};
export type PlaceholderValues = {self: PlaceholderServer; byName: ReadonlyMap<string, PlaceholderServer>; mcpConfig?: string | undefined};

const pattern = /\{(port|url|host)(?::([\w.-]+))?\}|\{mcp-config\}/g;

/** Quote a value for /bin/sh: single quotes, with embedded ones closed and escaped. */
export function shellQuote(value: string): string {
	return /^[\w.:/@%+=,-]+$/.test(value) ? value : `'${value.replaceAll('\'', String.raw`'\''`)}'`;
}

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

/** Fill placeholders in a shell command; each value is inserted shell-quoted. */
export function fillShellCommand(command: string, values: PlaceholderValues): string {
	return command.replace(pattern, (whole, key: string, name: string | undefined) => shellQuote(lookup(values, key, name, whole)));
}

/** Fill placeholders inside each argument; no shell is involved, so values go in as they are. */
export function fillArgv(argv: readonly string[], values: PlaceholderValues): string[] {
	return argv.map(argument => argument.replace(pattern, (whole, key: string, name: string | undefined) => lookup(values, key, name, whole)));
}

export function usesPlaceholder(text: string | readonly string[], placeholder: string): boolean {
	return (typeof text === 'string' ? [text] : text).some(item => item.includes(placeholder));
}
