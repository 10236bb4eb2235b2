import type {Argv} from 'yargs';
import type {LaunchErrorCode} from '../errors.js';
import {logLevels} from '../log.js';
import {defaults} from '../defaults.js';
import {redactText} from '../redact.js';

/** Exit codes, documented in the README. */
export const exitCodes: Record<LaunchErrorCode | 'USAGE' | 'INTERNAL', number> = {
	USAGE: 2,
	INTERNAL: 1,
	READY_TIMEOUT: 124,
	SERVER_EXITED: 125,
	PORT_IN_USE: 125,
	ENDPOINT_MISMATCH: 125,
	CLIENT_NOT_EXECUTABLE: 126,
	CLIENT_NOT_FOUND: 127,
	ABORTED: 130,
};

export class UsageError extends Error {}

/** One line on stderr naming the flag and the expected form, and the way to the help. */
export function usage(message: string, command = 'mcp-launch'): number {
	process.stderr.write(`mcp-launch: ${redactText(message)} (see ${command} --help)\n`);
	return exitCodes.USAGE;
}

/** yargs' own messages, reworded to name the flag and the expected form on one line. */
export function rewordYargsMessage(message: string): string {
	const unknown = /^Unknown arguments?: (.+)$/.exec(message);
	if (unknown) {
		const names = unknown[1]!.split(', ').map(name => (name.length === 1 ? `-${name}` : `--${name}`));
		return `unknown option ${names.join(', ')}`;
	}

	const missing = /^Not enough arguments following: (.+)$/.exec(message);
	if (missing) {
		return `Expected a value after \`--${missing[1]}\``;
	}

	const choices = /Argument: (\S+), Given: "?([^"]*)"?, Choices: (.+)$/m.exec(message);
	if (choices) {
		return `Expected \`--${choices[1]}\` to be one of ${choices[3]!.replaceAll('"', '')}, got \`${choices[2]}\``;
	}

	const conflict = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
	if (conflict) {
		return `Expected only one of \`--${conflict[1]}\` and \`--${conflict[2]}\``;
	}

	return message.replaceAll('\n', ' ');
}

/** The settings every command shares: failing as a usage error, help, version, logging flags. */
export function commonOptions<T>(parser: Argv<T>, version: string) {
	return parser
		.parserConfiguration({'halt-at-non-option': true, 'populate--': true, 'boolean-negation': false})
		.option('log-level', {type: 'string', requiresArg: true, choices: logLevels, describe: 'debug, info, warn, error or silent [default: info]'})
		.option('log-format', {type: 'string', requiresArg: true, choices: ['pretty', 'json'], default: defaults.logFormat, describe: 'Human lines or JSON lines on stderr'})
		.option('quiet', {alias: 'q', type: 'boolean', describe: 'Only warnings and errors (--log-level warn)'})
		.option('verbose', {alias: 'v', type: 'boolean', describe: 'Debug details, and the server\'s output until the client starts'})
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
		throw new UsageError(`Expected one \`--${flag}\`, got ${values.length}`);
	}

	return values[0];
}

export function logLevelOf(parsed: {'log-level'?: unknown; quiet?: unknown; verbose?: unknown}): (typeof logLevels)[number] {
	return (single(parsed['log-level'], 'log-level') as (typeof logLevels)[number] | undefined) ?? (parsed.quiet ? 'warn' : (parsed.verbose ? 'debug' : defaults.logLevel));
}
