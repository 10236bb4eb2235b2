import yargs from 'yargs';
import {defaults} from './defaults.js';
import {LaunchError, type LaunchErrorCode} from './errors.js';
import {launch} from './launch.js';
import {createLogger, type LogFormat, type LogLevel, logLevels} from './log.js';
import {signalExitCode} from './client/run-client.js';
import {inTerminalForeground} from './lifecycle/foreground.js';

/** Exit codes, documented in the README. */
export const exitCodes: Record<LaunchErrorCode | 'USAGE' | 'INTERNAL', number> = {
	USAGE: 2,
	INTERNAL: 1,
	READY_TIMEOUT: 124,
	SERVER_EXITED: 125,
	CLIENT_NOT_EXECUTABLE: 126,
	CLIENT_NOT_FOUND: 127,
	ABORTED: 130,
};

class UsageError extends Error {}


function usageFail(message: string): never {
	throw new UsageError(message);
}

function parse(argv: string[], version: string) {
	let shown = false;
	const parser = yargs(argv)
		.scriptName('mcp-launch')
		.usage('Usage: $0 --server "<command>" [options] -- <client command> [args...]\n\nStart an MCP server, wait until its endpoint answers HTTP, then run the client in the foreground.')
		.parserConfiguration({'halt-at-non-option': true, 'populate--': true, 'boolean-negation': false})
		.option('server', {alias: 's', type: 'string', requiresArg: true, describe: 'The server command, run through /bin/sh'})
		.option('url', {alias: 'u', type: 'string', requiresArg: true, default: defaults.url, describe: 'The MCP endpoint to gate on (http or https)'})
		.option('timeout', {type: 'string', requiresArg: true, default: '30s', describe: 'Readiness budget: 500ms, 30s, 2m (a bare number means seconds)'})
		.option('kill-timeout', {type: 'string', requiresArg: true, default: '5s', describe: 'Grace between SIGTERM and SIGKILL at teardown'})
		.option('on-server-exit', {type: 'string', requiresArg: true, choices: ['warn', 'exit'], default: defaults.onServerExit, describe: 'If the server dies while the client runs: warn, or exit (end the client, exit 125)'})
		.option('server-log', {type: 'string', requiresArg: true, describe: 'Also append everything the server prints to this file'})
		.option('log-level', {type: 'string', requiresArg: true, choices: logLevels, describe: 'debug, info, warn, error or silent [default: info]'})
		.option('log-format', {type: 'string', requiresArg: true, choices: ['pretty', 'json'], default: defaults.logFormat, describe: 'Human lines or JSON lines on stderr'})
		.option('quiet', {alias: 'q', type: 'boolean', describe: 'Only warnings and errors (--log-level warn)'})
		.option('verbose', {alias: 'v', type: 'boolean', describe: 'Debug details, and the server\'s output until the client starts'})
		.conflicts('quiet', 'verbose')
		.example('$0 -s "node server.js" -- claude', 'Claude Code starts once :3000/mcp answers')
		.example('$0 -s "npm run dev" -u http://127.0.0.1:8080/mcp -- cursor .', 'Another port')
		.epilogue('Exit codes: the client\'s own (128+N if it died of signal N); 2 usage; 124 not ready in time; 125 server exited before ready; 126/127 client not executable/not found; 129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM.')
		.strictOptions()
		.help('help')
		.alias('help', 'h')
		.version('version', 'Show the version', version)
		.alias('version', 'V')
		.wrap(Math.min(100, process.stdout.columns || 100))
		.exitProcess(false)
		.fail((message, error) => usageFail(error?.message ?? message));
	parser.showHelpOnFail(false);
	const parsed = parser.parseSync();
	if (parsed.help || parsed.version) {
		shown = true;
	}

	return {parsed, shown};
}

function rewordYargsMessage(message: string): string {
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

/** The whole CLI: argv in, exit code out. Only cli.ts exits the process. */
export async function main(argv: string[], version: string): Promise<number> {
	let parsed: ReturnType<typeof parse>['parsed'];
	try {
		const result = parse(argv, version);
		if (result.shown) {
			return 0;
		}

		parsed = result.parsed;
	} catch (error) {
		if (error instanceof UsageError) {
			return usage(rewordYargsMessage(error.message));
		}

		throw error;
	}

	const client = [...parsed._.map(String), ...((parsed['--'] as string[] | undefined) ?? []).map(String)];
	for (const flag of ['server', 'url', 'timeout', 'kill-timeout', 'server-log'] as const) {
		if (Array.isArray(parsed[flag])) {
			return usage(`Expected one \`--${flag}\`, got ${(parsed[flag] as unknown[]).length}`);
		}
	}

	if (parsed.server === undefined) {
		return usage('Expected `--server` with the command that starts the MCP server, like --server "node server.js"');
	}

	const level: LogLevel = (parsed['log-level'] as LogLevel | undefined) ?? (parsed.quiet ? 'warn' : parsed.verbose ? 'debug' : 'info');
	const logger = createLogger({level, format: parsed['log-format'] as LogFormat});

	const controller = new AbortController();
	let clientRunning = false;
	const onSignal = (signal: NodeJS.Signals) => {
		// A Ctrl-C typed on the terminal reached the client too (same foreground group):
		// let the client decide, as a shell would. A SIGINT sent to mcp-launch alone is passed on.
		if (signal === 'SIGINT' && clientRunning && inTerminalForeground()) {
			return;
		}

		if (!controller.signal.aborted) {
			logger.debug({signal}, `received ${signal}`);
			controller.abort(signal);
		}
	};

	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, onSignal);
	}

	try {
		const result = await launch({
			server: parsed.server,
			client,
			url: parsed.url,
			timeout: parsed.timeout,
			killTimeout: parsed['kill-timeout'],
			serverLog: parsed['server-log'],
			onServerExit: parsed['on-server-exit'] as 'warn' | 'exit',
			signal: controller.signal,
			logger,
			echoServerOutput: level === 'debug',
			onClientStart() {
				clientRunning = true;
			},
		});
		return result.exitCode;
	} catch (error) {
		if (error instanceof TypeError) {
			return usage(error.message);
		}

		if (error instanceof LaunchError) {
			logger.error({code: error.code, ...error.details}, error.message);
			if (error.code === 'ABORTED') {
				return signalExitCode(String(error.details.signal));
			}

			return exitCodes[error.code];
		}

		logger.error({err: error}, `internal error: ${(error as Error).stack ?? String(error)}`);
		return exitCodes.INTERNAL;
	}
}

function usage(message: string): number {
	process.stderr.write(`mcp-launch: ${message} (see mcp-launch --help)\n`);
	return exitCodes.USAGE;
}

