import {isLaunchError} from '../errors.js';
import {exitCodeOf, exitCodes, signalExitCode} from '../exit-codes.js';
import type {Logger} from '../log-types.js';
import {createLogger, type DeferredLogger, type LogFormat, type LogLevel, type StatusLine} from '../log.js';
import type {FlagTable} from './flags.js';
import {checkFlags, isUsageError, logLevelOf, usage} from './shared.js';

/** What a command's run gets: its logger and level, the terminal status line, and the signal that stops it. */
export type CommandContext = {logger: DeferredLogger; level: LogLevel; status: StatusLine; signal: AbortSignal};

/** The flags every command has (commonFlags in flags.ts). */
type CommonFlags = Record<string, unknown>;

/** One subcommand: flags to a typed input, then one library call. */
export type Command<Flags extends CommonFlags, Input> = {
	/** `mcp-launch`, `mcp-launch wait`: names the command in usage messages. */
	name: string;
	/** argv to flags (yargs); throws a UsageError on an unknown flag or a bad choice. */
	flags(argv: string[]): Flags | Promise<Flags>;
	/** Every flag the command takes (flags.ts): the once-only and switch rules are checked from it. */
	flagTable: FlagTable;
	/** Flags to the checked input of the library call; throws a UsageError or OptionError on bad input. */
	input(flags: Flags, level: LogLevel): Input;
	/** Values that must never be written (--header values). */
	secrets(input: Input): readonly string[];
	run(input: Input, context: CommandContext): Promise<number>;
	/** Decide whether a signal stops the command (default: yes). */
	stopsOn?(signal: NodeJS.Signals): boolean;
};

/**
 * The opening and closing steps every command shares: parse (a usage error is one line and
 * exit 2, before anything starts), the logger, the signal handlers (SIGINT, SIGTERM, SIGHUP
 * abort the command's signal), and the outcome as an exit code: the command's own, a
 * LaunchError's through the one exit-code table, 128+N for a signal, 1 for anything else (a bug).
 */
export async function runCommand<Flags extends CommonFlags, Input>(command: Command<Flags, Input>, argv: string[]): Promise<number> {
	let opened: {input: Input; level: LogLevel; format: LogFormat} | undefined;
	try {
		opened = await open(command, argv);
	} catch (error) {
		if (isUsageError(error)) {
			return usage(error.message, command.name);
		}

		throw error;
	}

	if (opened === undefined) {
		return 0; // --help or --version was answered.
	}

	const {input, level, format} = opened;
	const {logger, status} = createLogger({level, format, secrets: command.secrets(input)});
	const controller = new AbortController();
	const onSignal = (signal: NodeJS.Signals) => {
		if (!controller.signal.aborted && (command.stopsOn?.(signal) ?? true)) {
			logger.debug({signal}, `received ${signal}`);
			controller.abort(signal);
		}
	};

	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of signals) {
		process.on(signal, onSignal);
	}

	try {
		return await command.run(input, {logger, level, status, signal: controller.signal});
	} catch (error) {
		return failureCode(error, logger, command.name, controller.signal);
	} finally {
		await logger.flush();
		for (const signal of signals) {
			process.off(signal, onSignal);
		}
	}
}

/** Parse, check the once-only flags, read the log level, build the input: all before anything starts. */
async function open<Flags extends CommonFlags, Input>(command: Command<Flags, Input>, argv: string[]): Promise<{input: Input; level: LogLevel; format: LogFormat} | undefined> {
	const flags = await command.flags(argv);
	if (flags.help || flags.version) {
		return undefined;
	}

	checkFlags(flags as Record<string, unknown>, command.flagTable, argv);
	const level = logLevelOf(flags);
	return {input: command.input(flags, level), level, format: flags['log-format'] as LogFormat};
}

function failureCode(error: unknown, logger: Logger, name: string, signal: AbortSignal): number {
	if (isUsageError(error)) {
		return usage(error.message, name); // The library's own option check (OptionError).
	}

	if (isLaunchError(error)) {
		logger.error({code: error.code, ...error.details}, error.message);
		return exitCodeOf(error);
	}

	if (signal.aborted && error === signal.reason) {
		return signalExitCode(String(signal.reason)); // A wait stopped by a signal.
	}

	logger.error({err: error}, `internal error: ${(error as Error).stack ?? String(error)}`);
	return exitCodes.internal;
}
