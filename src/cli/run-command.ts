import {isLaunchError} from '../errors.js';
import {exitCodeOf, exitCodes, signalExitCode} from '../exit-codes.js';
import type {Logger} from '../log-types.js';
import {createLogger, type LogFormat, type LogLevel, type StatusLine} from '../log.js';
import {isUsageError, usage} from './shared.js';

/** What a command's run gets: its logger, the terminal status line, and the signal that stops it. */
export type CommandContext = {logger: Logger; status: StatusLine; signal: AbortSignal};

/** One subcommand: flags to a typed input, then one library call. */
export type Command<Input> = {
	/** `mcp-launch`, `mcp-launch wait`: names the command in usage messages. */
	name: string;
	/** argv to input; throws a UsageError or OptionError on bad input. undefined: --help or --version was answered. */
	parse(argv: string[]): Input | undefined;
	logging(input: Input): {level: LogLevel; format: LogFormat; secrets: readonly string[]};
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
export async function runCommand<Input>(command: Command<Input>, argv: string[]): Promise<number> {
	let input: Input | undefined;
	try {
		input = command.parse(argv);
	} catch (error) {
		if (isUsageError(error)) {
			return usage(error.message, command.name);
		}

		throw error;
	}

	if (input === undefined) {
		return 0;
	}

	const {logger, status} = createLogger(command.logging(input));
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
		return await command.run(input, {logger, status, signal: controller.signal});
	} catch (error) {
		return failureCode(error, logger, command.name, controller.signal);
	} finally {
		for (const signal of signals) {
			process.off(signal, onSignal);
		}
	}
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
