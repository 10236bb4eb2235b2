import type {Argv} from 'yargs';
import {exitCodes} from '../exit-codes.js';
import {defaults} from '../defaults.js';
import {builtinFlags, commonFlags, type FlagTable, logLevelChoices, longName, parserConfiguration, yargsOptions} from './flags.js';
import {OptionError, oneLine, shown} from '../option-error.js';
import {redactText} from '../redact.js';
import {didYouMean} from './did-you-mean.js';

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

/** yargs' own messages, reworded to name the flag and the expected form (from the command's table) on one line. */
export function rewordYargsMessage(message: string, table: FlagTable): string {
	const long = (name: string) => longName(name, table);
	const unknown = /^Unknown arguments?: (.+)$/.exec(message);
	if (unknown) {
		const given = unknown[1]!.split(', ');
		// yargs lists `--no-reuse` also as `noReuse`: name each flag once, as typed.
		const names = given.filter(name => !(/[A-Z]/.test(name) && given.includes(name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`))));
		const meant = names.length === 1 && names[0]!.length > 1 ? didYouMean(names[0]!, Object.keys(table)) : undefined;
		return `unknown option ${names.map(name => (name.length === 1 ? `-${name}` : `--${name}`)).join(', ')}: ${meant ? `did you mean --${meant}?` : 'expected one of the options listed by --help'}`;
	}

	const missing = /^Not enough arguments following: (.+)$/.exec(message);
	if (missing) {
		const flag = long(missing[1]!);
		const spec = table[flag];
		return `Expected a value after \`--${flag}\`${spec?.type === 'string' ? `: ${spec.form}` : ''}`;
	}

	const choices = /Argument: (\S+), Given: "?([^"]*)"?, Choices: (.+)$/m.exec(message);
	if (choices) {
		return `Expected \`--${long(choices[1]!)}\` to be one of ${choices[3]!.replaceAll('"', '')}, got \`${shown(choices[2])}\``;
	}

	const conflict = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
	if (conflict) {
		return `Expected only one of \`--${long(conflict[1]!)}\` and \`--${long(conflict[2]!)}\``;
	}

	return message;
}

/**
 * The settings every command shares: its whole flag table (--help lists the command's own flags
 * first, then logging, help and version), failing as a usage error, help, version.
 */
export function commandParser<T>(parser: Argv<T>, version: string, table: FlagTable) {
	const own = Object.keys(table).filter(name => !Object.hasOwn(commonFlags, name));
	return parser
		.parserConfiguration({...parserConfiguration})
		.options(yargsOptions(table))
		.group(own, 'Options:')
		.group([...Object.keys(commonFlags), 'help', 'version'], 'Logging and help:')
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
			throw new UsageError(rewordYargsMessage(error?.message ?? message, table));
		});
}

/** A flag that may be repeated, as a list. */
export function list(value: unknown): string[] {
	if (value === undefined) {
		return [];
	}

	return (Array.isArray(value) ? value : [value]).map(String);
}

/** The value of a flag given at most once (see {@link checkFlags}). */
export function single(value: unknown): string | undefined {
	return list(value)[0];
}

/**
 * The rules every flag follows, from the command's table: a flag that takes a value is given
 * once (twice is a usage error, never "last wins"), unless it is `repeatable` (--server,
 * --url, --port, --name, --from, --header, --watch). A switch (--reuse, -q) may be repeated but takes no
 * value: `--insecure=banana` is an error (yargs would read it as false).
 */
export function checkFlags(parsed: Record<string, unknown>, table: FlagTable, argv: readonly string[]): void {
	for (const [name, spec] of Object.entries(table)) {
		const count = list(parsed[name]).length;
		if (spec.type === 'string' && !spec.repeatable && count > 1) {
			throw new UsageError(`Expected \`--${name}\` once (${spec.form}), got it ${count} times`);
		}
	}

	const switches = Object.entries({...table, ...builtinFlags}).filter(([, spec]) => spec.type === 'boolean');
	const end = argv.indexOf('--');
	for (const argument of end === -1 ? argv : argv.slice(0, end)) {
		const given = /^(--?)([^=]+)=(.*)$/s.exec(argument);
		const name = given && switches.find(([long, spec]) => (given[1] === '--' ? long === given[2] : spec.alias === given[2]))?.[0];
		if (given && name && given[3] !== 'true' && given[3] !== 'false') {
			throw new UsageError(`Expected \`--${name}\` without a value (it is a switch), got \`${shown(argument)}\``);
		}
	}
}

export function logLevelOf(parsed: {'log-level'?: unknown; quiet?: unknown; verbose?: unknown}): (typeof logLevelChoices)[number] {
	return (single(parsed['log-level']) as (typeof logLevelChoices)[number] | undefined) ?? (parsed.quiet ? 'warn' : (parsed.verbose ? 'debug' : defaults.logLevel));
}
