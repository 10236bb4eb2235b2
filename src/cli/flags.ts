import yargsParser from 'yargs-parser';
import {defaults, restartBackoff} from '../defaults.js';
import {formatDuration} from '../duration.js';

/**
 * One flag, declared once. Everything about flags is derived from these tables: the yargs
 * options (and so --help and yargs' own checks), the fast parse that skips yargs, the rule
 * that a flag with a value is given once unless it is `repeatable`, the refusal of a value
 * given to a switch (`--insecure=banana`), the "expected a value" messages (`form`) and the
 * long names messages use for aliases. A new flag is one entry here.
 */
export type FlagSpec = SwitchSpec | ValueSpec;

/** A switch: present or not, never a value (`--reuse`, `-q`); repeating it changes nothing. */
export type SwitchSpec = {type: 'boolean'; alias?: string; describe: string};

/** A flag that takes a value. */
export type ValueSpec = {
	type: 'string';
	alias?: string;
	/** What the value looks like, for messages: `a duration, like --timeout 30s`. */
	form: string;
	/** May be given more than once (one per server, one per header); otherwise twice is a usage error, never "last wins". */
	repeatable?: true;
	choices?: readonly string[];
	default?: string;
	describe: string;
};

export type FlagTable = Readonly<Record<string, FlagSpec>>;

export const logLevelChoices = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** The flags yargs adds to every command itself. */
export const builtinFlags: FlagTable = {
	help: {type: 'boolean', alias: 'h', describe: 'Show help'},
	version: {type: 'boolean', alias: 'V', describe: 'Show the version'},
};

/** The flags every command has. */
export const commonFlags: FlagTable = {
	'log-level': {type: 'string', form: 'debug, info, warn, error or silent, like --log-level debug', choices: logLevelChoices, describe: 'debug, info, warn, error or silent [default: info]'},
	'log-format': {type: 'string', form: 'pretty or json, like --log-format json', choices: ['pretty', 'json'], default: defaults.logFormat, describe: 'Human lines or JSON lines on stderr'},
	quiet: {type: 'boolean', alias: 'q', describe: 'Only warnings and errors (--log-level warn)'},
	verbose: {type: 'boolean', alias: 'v', describe: 'Debug details, and the server\'s output until the client starts'},
};

const duration = (flag: string, example: string) => `a duration, like --${flag} ${example}`;
const header: ValueSpec = {type: 'string', alias: 'H', form: 'a header, like --header "Authorization: Bearer TOKEN"', repeatable: true, describe: 'A header sent with every probe, "Name: value" (repeatable; never logged)'};
const probe: ValueSpec = {type: 'string', form: 'http, tcp or mcp, like --probe mcp', choices: ['http', 'tcp', 'mcp'], default: defaults.probe, describe: 'Ready on: any HTTP status, a TCP connect, or a full MCP initialize handshake'};
const insecure: SwitchSpec = {type: 'boolean', describe: 'Send --header values to an https endpoint whose certificate cannot be verified (default: probe it without them)'};
const server: ValueSpec = {type: 'string', alias: 's', form: 'a command, like --server "node server.js"', repeatable: true, describe: 'The server command, run through /bin/sh (npm:<script> runs npm run <script>). Repeat for several servers'};

/** `mcp-launch [options] -- <client> [args...]` */
export const launchFlags: FlagTable = {
	...commonFlags,
	server,
	url: {type: 'string', alias: 'u', form: 'a URL, like --url http://127.0.0.1:3000/mcp', repeatable: true, describe: `The MCP endpoint to gate on, one per --server [default: ${defaults.url}]`},
	port: {type: 'string', alias: 'p', form: 'a port number (1-65535) or auto, like --port 3000', repeatable: true, describe: 'A port for the server (PORT and {port}): a number, or auto for a free one. The default URL follows it'},
	name: {type: 'string', form: 'a name, like --name api', repeatable: true, describe: 'A name for the server: messages, {url:NAME}, {mcp-config}'},
	from: {type: 'string', form: 'a <file>:<name>, like --from .mcp.json:my-server', repeatable: true, describe: 'Take the URL from a client config: <file>:<name> (.mcp.json, .cursor/mcp.json, .vscode/mcp.json)'},
	timeout: {type: 'string', form: duration('timeout', '30s'), describe: `Readiness budget: 500ms, 30s, 2m (a bare number means seconds) [default: ${formatDuration(defaults.timeoutMs)}]`},
	'kill-timeout': {type: 'string', form: duration('kill-timeout', '5s'), describe: `Grace between SIGTERM and SIGKILL at teardown [default: ${formatDuration(defaults.killTimeoutMs)}]`},
	probe,
	header,
	'on-server-exit': {type: 'string', form: 'warn or exit, like --on-server-exit exit', choices: ['warn', 'exit'], default: defaults.onServerExit, describe: 'If a server dies while the client runs: warn, or exit (end the client, exit 125)'},
	reuse: {type: 'boolean', describe: 'If the endpoint already answers before the server is started, use it (and leave it running) instead of exiting 125'},
	strict: {type: 'boolean', describe: 'Fail (exit 125) instead of warning when the endpoint answers like a wrong URL (404, 3xx, 401, 403/421, 5xx)'},
	'server-log': {type: 'string', form: 'a file, like --server-log server.log', describe: 'Also append everything the server prints to this file'},
	insecure,
	watch: {type: 'string', form: 'a file or directory, like --watch src', repeatable: true, describe: 'Restart the server when a file under this path changes; the client keeps its URL and session (repeatable; .git and node_modules ignored)'},
	restart: {type: 'string', form: 'no, on-failure or on-failure:N, like --restart on-failure:3', describe: `Restart a server that dies: no, on-failure or on-failure:N (at most N in a row) [default: no; on-failure: ${restartBackoff.defaultMaxRestarts}]`},
};

/** `wait` and `doctor` start no client: their -v is debug details alone. */
const verboseNoClient: SwitchSpec = {type: 'boolean', alias: 'v', describe: 'Debug details'};

/** `mcp-launch wait <url...>` */
export const waitFlags: FlagTable = {
	...commonFlags,
	verbose: verboseNoClient,
	timeout: {type: 'string', form: duration('timeout', '30s'), describe: `Budget for all URLs: 500ms, 30s, 2m (a bare number means seconds) [default: ${formatDuration(defaults.timeoutMs)}]`},
	probe,
	header,
	insecure,
};

/** `mcp-launch doctor [url] [--server <command>]` */
export const doctorFlags: FlagTable = {
	...commonFlags,
	verbose: verboseNoClient,
	server: {type: 'string', alias: 's', form: server.form, describe: 'Start this server first (its process tree is inspected too), and stop it afterwards'},
	timeout: {type: 'string', form: duration('timeout', '10s'), describe: `With --server: how long to let it boot before checking [default: ${formatDuration(defaults.doctorBootMs)}]`},
	'probe-timeout': {type: 'string', form: duration('probe-timeout', '2s'), describe: `Bound for each probe [default: ${formatDuration(defaults.doctorProbeTimeoutMs)}]`},
	header,
	insecure,
	format: {type: 'string', form: 'text or json, like --format json', choices: ['text', 'json'], default: 'text', describe: 'A checklist for people, or JSON for machines'},
};

/** A table as yargs options (`requiresArg` for every flag that takes a value). */
export function yargsOptions(table: FlagTable): Record<string, {alias?: string; type: 'string' | 'boolean'; requiresArg?: true; choices?: string[]; default?: string; describe: string}> {
	return Object.fromEntries(Object.entries(table).map(([name, spec]) => [name, spec.type === 'string'
		? {...(spec.alias ? {alias: spec.alias} : {}), type: 'string', requiresArg: true, ...(spec.choices ? {choices: [...spec.choices]} : {}), ...(spec.default === undefined ? {} : {default: spec.default}), describe: spec.describe}
		: {...(spec.alias ? {alias: spec.alias} : {}), type: 'boolean', describe: spec.describe}]));
}

/** The long name of a flag as typed (`s` → `server`), in `table` or among yargs' own. */
export function longName(name: string, table: FlagTable): string {
	return Object.entries({...table, ...builtinFlags}).find(([, spec]) => spec.alias === name)?.[0] ?? name;
}

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
	const entries = Object.entries({...table, ...builtinFlags});
	const names = entries.map(([name]) => name);
	const values = entries.filter((entry): entry is [string, ValueSpec] => entry[1].type === 'string');
	const parsed = yargsParser.detailed([...argv], {
		configuration: {'parse-positional-numbers': false, ...parserConfiguration},
		string: values.map(([name]) => name),
		boolean: entries.filter(([, spec]) => spec.type === 'boolean').map(([name]) => name),
		alias: Object.fromEntries(entries.filter(([, spec]) => spec.alias).map(([name, spec]) => [name, [spec.alias!]])),
		default: Object.fromEntries(values.filter(([, spec]) => spec.default !== undefined).map(([name, spec]) => [name, spec.default])),
		narg: Object.fromEntries(values.map(([name]) => [name, Number.NaN])),
	});
	if (parsed.error) {
		return undefined;
	}

	const result = parsed.argv as ParsedFlags;
	const known = new Set(['_', '--', ...names, ...names.map(camel), ...entries.map(([, spec]) => spec.alias).filter(Boolean) as string[]]);
	const doubtful = Object.keys(result).some(key => !known.has(key))
		|| result.help === true || result.version === true || (result.quiet === true && result.verbose === true)
		|| values.some(([name, spec]) => spec.choices && result[name] !== undefined && !spec.choices.includes(result[name] as string));
	return doubtful ? undefined : result;
}
