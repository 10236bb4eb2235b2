import yargsParser from 'yargs-parser';
import {defaults, restartBackoff} from '../defaults.js';
import {formatDuration} from '../duration.js';

/** One flag, declared once: yargs builds --help and its checks from it, and so does the fast path. */
export type FlagSpec = {alias?: string; type: 'string' | 'boolean'; requiresArg?: true; choices?: readonly string[]; default?: string; describe: string};
export type FlagTable = Readonly<Record<string, FlagSpec>>;

export const logLevelChoices = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** The flags every command has. */
export const commonFlags: FlagTable = {
	'log-level': {type: 'string', requiresArg: true, choices: logLevelChoices, describe: 'debug, info, warn, error or silent [default: info]'},
	'log-format': {type: 'string', requiresArg: true, choices: ['pretty', 'json'], default: defaults.logFormat, describe: 'Human lines or JSON lines on stderr'},
	quiet: {alias: 'q', type: 'boolean', describe: 'Only warnings and errors (--log-level warn)'},
	verbose: {alias: 'v', type: 'boolean', describe: 'Debug details, and the server\'s output until the client starts'},
};

/** `mcp-launch [options] -- <client> [args...]` */
export const launchFlags: FlagTable = {
	server: {alias: 's', type: 'string', requiresArg: true, describe: 'The server command, run through /bin/sh (npm:<script> runs npm run <script>). Repeat for several servers'},
	url: {alias: 'u', type: 'string', requiresArg: true, describe: `The MCP endpoint to gate on, one per --server [default: ${defaults.url}]`},
	port: {alias: 'p', type: 'string', requiresArg: true, describe: 'A port for the server (PORT and {port}): a number, or auto for a free one. The default URL follows it'},
	name: {type: 'string', requiresArg: true, describe: 'A name for the server: messages, {url:NAME}, {mcp-config}'},
	from: {type: 'string', requiresArg: true, describe: 'Take the URL from a client config: <file>:<name> (.mcp.json, .cursor/mcp.json, .vscode/mcp.json)'},
	timeout: {type: 'string', requiresArg: true, describe: `Readiness budget: 500ms, 30s, 2m (a bare number means seconds) [default: ${formatDuration(defaults.timeoutMs)}]`},
	'kill-timeout': {type: 'string', requiresArg: true, describe: `Grace between SIGTERM and SIGKILL at teardown [default: ${formatDuration(defaults.killTimeoutMs)}]`},
	probe: {type: 'string', requiresArg: true, choices: ['http', 'tcp', 'mcp'], default: defaults.probe, describe: 'Ready on: any HTTP status, a TCP connect, or a full MCP initialize handshake'},
	header: {alias: 'H', type: 'string', requiresArg: true, describe: 'A header sent with every probe, "Name: value" (repeatable; never logged)'},
	'on-server-exit': {type: 'string', requiresArg: true, choices: ['warn', 'exit'], default: defaults.onServerExit, describe: 'If a server dies while the client runs: warn, or exit (end the client, exit 125)'},
	reuse: {type: 'boolean', describe: 'If the endpoint already answers before the server is started, use it (and leave it running) instead of exiting 125'},
	strict: {type: 'boolean', describe: 'Fail (exit 125) instead of warning when the endpoint answers like a wrong URL (404, 3xx, 401, 403/421, 5xx)'},
	'server-log': {type: 'string', requiresArg: true, describe: 'Also append everything the server prints to this file'},
	insecure: {type: 'boolean', describe: 'Send --header values to an https endpoint whose certificate cannot be verified (default: probe it without them)'},
	watch: {type: 'string', requiresArg: true, describe: 'Restart the server when a file under this path changes; the client keeps its URL and session (repeatable; .git and node_modules ignored)'},
	restart: {type: 'string', requiresArg: true, describe: `Restart a server that dies: no, on-failure or on-failure:N (at most N in a row) [default: no; on-failure: ${restartBackoff.defaultMaxRestarts}]`},
};

/** What yargs (and so the fast path) is told about parsing: the same for every command. */
export const parserConfiguration = {'halt-at-non-option': true, 'populate--': true, 'boolean-negation': false} as const;

export type ParsedFlags = Record<string, unknown> & {_: Array<string | number>; '--'?: Array<string | number>};

const camel = (name: string) => name.replaceAll(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());

/**
 * The common run's argv, parsed without loading yargs: yargs-parser (the parser yargs itself
 * runs, configured as yargs configures it) on the same flag table. Anything yargs would
 * object to or answer itself (an unknown flag, a missing value, a bad choice, --quiet with
 * --verbose, --help, --version) returns undefined, and yargs then parses and says it: every
 * message stays yargs', and yargs (tens of milliseconds to load) stays off the way to
 * spawning the server.
 */
export function fastParse(argv: readonly string[], table: FlagTable): ParsedFlags | undefined {
	const flags = {...commonFlags, ...table};
	const names = Object.keys(flags);
	const parsed = yargsParser.detailed([...argv], {
		configuration: {'parse-positional-numbers': false, ...parserConfiguration},
		string: names.filter(name => flags[name]!.type === 'string'),
		boolean: [...names.filter(name => flags[name]!.type === 'boolean'), 'help', 'version'],
		alias: {...Object.fromEntries(names.filter(name => flags[name]!.alias).map(name => [name, [flags[name]!.alias!]])), help: ['h'], version: ['V']},
		default: Object.fromEntries(names.filter(name => flags[name]!.default !== undefined).map(name => [name, flags[name]!.default])),
		narg: Object.fromEntries(names.filter(name => flags[name]!.requiresArg).map(name => [name, Number.NaN])),
	});
	if (parsed.error) {
		return undefined;
	}

	const result = parsed.argv as ParsedFlags;
	const known = new Set(['_', '--', 'help', 'h', 'version', 'V', ...names, ...names.map(camel), ...names.map(name => flags[name]!.alias).filter(Boolean) as string[]]);
	const doubtful = Object.keys(result).some(key => !known.has(key))
		|| result.help === true || result.version === true || (result.quiet === true && result.verbose === true)
		|| names.some(name => flags[name]!.choices && result[name] !== undefined && !flags[name]!.choices!.includes(result[name] as string));
	return doubtful ? undefined : result;
}
