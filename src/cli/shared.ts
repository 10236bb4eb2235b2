import type {Argv} from 'yargs';
import {exitCodes} from '../exit-codes.js';
import {defaults} from '../defaults.js';
import {commonFlags, type FlagTable, logLevelChoices, parserConfiguration} from './flags.js';
import {OptionError, oneLine, shown} from '../option-error.js';
import {redactText} from '../redact.js';

export class UsageError extends Error {}

/** True for the errors that are the user's input (exit 2); any other error is a bug (exit 1). */
export function isUsageError(error: unknown): error is Error {
	return error instanceof UsageError || error instanceof OptionError;
}

/** One line on stderr naming the flag and the expected form, and the way to the help. */
export function usage(message: string, command = 'mcp-launch'): number {
	process.stderr.write(`mcp-launch: ${redactText(oneLine(message))} (see ${command} --help)\n`);
	return exitCodes.usage;
}

/** The short aliases every command uses, so a message names the long flag. */
const aliases: Record<string, string> = {s: 'server', u: 'url', p: 'port', H: 'header', q: 'quiet', v: 'verbose', h: 'help', V: 'version'};

/** What each flag that takes a value expects, for "a value is missing" messages. */
const forms: Record<string, string> = {
	server: 'a command, like --server "node server.js"',
	url: 'a URL, like --url http://127.0.0.1:3000/mcp',
	port: 'a port number (1-65535) or auto, like --port 3000',
	name: 'a name, like --name api',
	from: 'a <file>:<name>, like --from .mcp.json:my-server',
	timeout: 'a duration, like --timeout 30s',
	'kill-timeout': 'a duration, like --kill-timeout 5s',
	'probe-timeout': 'a duration, like --probe-timeout 2s',
	probe: 'http, tcp or mcp, like --probe mcp',
	header: 'a header, like --header "Authorization: Bearer TOKEN"',
	'on-server-exit': 'warn or exit, like --on-server-exit exit',
	'server-log': 'a file, like --server-log server.log',
	watch: 'a file or directory, like --watch src',
	restart: 'no, on-failure or on-failure:N, like --restart on-failure:3',
	'log-level': 'debug, info, warn, error or silent, like --log-level debug',
	'log-format': 'pretty or json, like --log-format json',
	format: 'text or json, like --format json',
};

const longName = (name: string) => aliases[name] ?? name;

/** yargs' own messages, reworded to name the flag and the expected form on one line. */
export function rewordYargsMessage(message: string): string {
	const unknown = /^Unknown arguments?: (.+)$/.exec(message);
	if (unknown) {
		const given = unknown[1]!.split(', ');
		// yargs lists `--no-reuse` also as `noReuse`: name each flag once, as typed.
		const names = given.filter(name => !(/[A-Z]/.test(name) && given.includes(name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`))));
		return `unknown option ${names.map(name => (name.length === 1 ? `-${name}` : `--${name}`)).join(', ')}: expected one of the options listed by --help`;
	}

	const missing = /^Not enough arguments following: (.+)$/.exec(message);
	if (missing) {
		const flag = longName(missing[1]!);
		return `Expected a value after \`--${flag}\`${forms[flag] ? `: ${forms[flag]}` : ''}`;
	}

	const choices = /Argument: (\S+), Given: "?([^"]*)"?, Choices: (.+)$/m.exec(message);
	if (choices) {
		return `Expected \`--${longName(choices[1]!)}\` to be one of ${choices[3]!.replaceAll('"', '')}, got \`${shown(choices[2])}\``;
	}

	const conflict = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
	if (conflict) {
		return `Expected only one of \`--${longName(conflict[1]!)}\` and \`--${longName(conflict[2]!)}\``;
	}

	return message;
}

/** The settings every command shares: failing as a usage error, help, version, logging flags. */
export function commonOptions<T>(parser: Argv<T>, version: string) {
	return defineFlags(parser.parserConfiguration({...parserConfiguration}), commonFlags)
		.conflicts('quiet', 'verbose')
		.strictOptions()
		.help('help')
		.alias('help', 'h')
		.version('version', 'Show the version', version)
		.alias('version', 'V')
		.wrap(Math.min(100, process.stdout.columns || 100))
		.exitProcess(false)
		.showHelpOnFail(false)
		.fail((message, error) => {
			throw new UsageError(rewordYargsMessage(error?.message ?? message));
		});
}

/** Declare a table of flags (flags.ts) to yargs. */
export function defineFlags<T>(parser: Argv<T>, table: FlagTable): Argv<T> {
	let result = parser;
	for (const [name, spec] of Object.entries(table)) {
		result = result.option(name, {...spec, choices: spec.choices ? [...spec.choices] : undefined}) as Argv<T>;
	}

	return result;
}

/** A flag that may be repeated, as a list. */
export function list(value: unknown): string[] {
	if (value === undefined) {
		return [];
	}

	return (Array.isArray(value) ? value : [value]).map(String);
}

/** A flag that must be given at most once. */
export function single(value: unknown, flag: string): string | undefined {
	const values = list(value);
	if (values.length > 1) {
		throw new UsageError(`Expected \`--${flag}\` once (${forms[flag] ?? 'it takes one value'}), got it ${values.length} times`);
	}

	return values[0];
}

/**
 * The one rule for flags that take a value: given twice is a usage error (not "last wins"),
 * except the repeatable ones (--server, --url, --port, --name, --from, --header, --watch). Switches
 * (--reuse, --quiet) may be repeated, but take no value: `--reuse=banana` is an error.
 */
export function checkSingles(parsed: Record<string, unknown>, flags: readonly string[], argv: readonly string[]): void {
	for (const flag of flags) {
		single(parsed[flag], flag);
	}

	const end = argv.indexOf('--');
	for (const argument of end === -1 ? argv : argv.slice(0, end)) {
		const switchValue = /^--(reuse|strict|quiet|verbose|help|version)=(.*)$/s.exec(argument);
		if (switchValue && switchValue[2] !== 'true' && switchValue[2] !== 'false') {
			throw new UsageError(`Expected \`--${switchValue[1]}\` without a value (it is a switch), got \`${shown(argument)}\``);
		}
	}
}

export function logLevelOf(parsed: {'log-level'?: unknown; quiet?: unknown; verbose?: unknown}): (typeof logLevelChoices)[number] {
	return (single(parsed['log-level'], 'log-level') as (typeof logLevelChoices)[number] | undefined) ?? (parsed.quiet ? 'warn' : (parsed.verbose ? 'debug' : defaults.logLevel));
}
