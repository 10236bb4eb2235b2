import yargs from 'yargs';
import {defaults} from '../defaults.js';
import {LaunchError} from '../errors.js';
import {launch} from '../launch.js';
import {createLogger, type LogFormat} from '../log.js';
import type {ServerSpec} from '../options.js';
import {signalExitCode} from '../client/run-client.js';
import {inTerminalForeground} from '../lifecycle/foreground.js';
import type {EvidenceSource} from '../platform.js';
import {urlFromClientConfig} from '../workflow/client-config.js';
import {parseHeaders} from '../workflow/headers.js';
import {waitingProgress} from './progress.js';
import {OptionError, shown} from '../option-error.js';
import {checkSingles, commonOptions, exitCodes, isUsageError, list, logLevelOf, usage, UsageError} from './shared.js';

function parse(argv: string[], version: string) {
	return commonOptions(yargs(argv), version)
		.scriptName('mcp-launch')
		.usage('Usage: $0 --server "<command>" [options] -- <client command> [args...]\n       $0 wait <url...> [--timeout 30s]\n       $0 doctor [url] [--server "<command>"]\n\nStart an MCP server, wait until its endpoint answers HTTP, then run the client in the foreground.')
		.option('server', {alias: 's', type: 'string', requiresArg: true, describe: 'The server command, run through /bin/sh (npm:<script> runs npm run <script>). Repeat for several servers'})
		.option('url', {alias: 'u', type: 'string', requiresArg: true, describe: `The MCP endpoint to gate on, one per --server [default: ${defaults.url}]`})
		.option('port', {alias: 'p', type: 'string', requiresArg: true, describe: 'A port for the server (PORT and {port}): a number, or auto for a free one. The default URL follows it'})
		.option('name', {type: 'string', requiresArg: true, describe: 'A name for the server: messages, {url:NAME}, {mcp-config}'})
		.option('from', {type: 'string', requiresArg: true, describe: 'Take the URL from a client config: <file>:<name> (.mcp.json, .cursor/mcp.json, .vscode/mcp.json)'})
		.option('timeout', {type: 'string', requiresArg: true, default: '30s', describe: 'Readiness budget: 500ms, 30s, 2m (a bare number means seconds)'})
		.option('kill-timeout', {type: 'string', requiresArg: true, default: '5s', describe: 'Grace between SIGTERM and SIGKILL at teardown'})
		.option('probe', {type: 'string', requiresArg: true, choices: ['http', 'tcp', 'mcp'], default: defaults.probe, describe: 'Ready on: any HTTP status, a TCP connect, or a full MCP initialize handshake'})
		.option('header', {alias: 'H', type: 'string', requiresArg: true, describe: 'A header sent with every probe, "Name: value" (repeatable; never logged)'})
		.option('on-server-exit', {type: 'string', requiresArg: true, choices: ['warn', 'exit'], default: defaults.onServerExit, describe: 'If a server dies while the client runs: warn, or exit (end the client, exit 125)'})
		.option('reuse', {type: 'boolean', describe: 'If the endpoint already answers before the server is started, use it (and leave it running) instead of exiting 125'})
		.option('strict', {type: 'boolean', describe: 'Fail (exit 125) instead of warning when the endpoint answers like a wrong URL (404, 3xx, 401, 403/421, 5xx)'})
		.option('server-log', {type: 'string', requiresArg: true, describe: 'Also append everything the server prints to this file'})
		.option('insecure', {type: 'boolean', describe: 'Send --header values to an https endpoint whose certificate cannot be verified (default: probe it without them)'})
		.example('$0 -s "node server.js" -- claude', 'Claude Code starts once :3000/mcp answers')
		.example('$0 -p auto -s "node server.js --port {port}" -- claude --mcp-config {mcp-config}', 'A free port, and a generated config for Claude Code')
		.example('$0 -s npm:dev -u http://127.0.0.1:8080/mcp -- cursor .', 'An npm script on another port')
		.epilogue('Placeholders in the server command and the client\'s arguments: {port} {url} {host} (also {url:NAME}), and {mcp-config} for the client. Exit codes: the client\'s own (128+N if it died of signal N); 2 usage; 124 not ready in time; 125 server exited before ready; 126/127 client not executable/not found; 129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM.')
		.parseSync();
}

type Parsed = ReturnType<typeof parse>;

function toPort(text: string): number | 'auto' {
	if (text === 'auto') {
		return 'auto';
	}

	const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!(port >= 1 && port <= 65_535)) {
		throw new UsageError(`Expected \`--port\` to be a port number (1-65535) or auto, got \`${shown(text)}\``);
	}

	return port;
}

/** Pair the repeatable --server/--url/--port/--name/--from flags by position. */
function serverSpecs(parsed: Parsed): ServerSpec[] {
	const servers = list(parsed.server);
	const urls = list(parsed.url);
	const ports = list(parsed.port);
	const names = list(parsed.name);
	const froms = list(parsed.from);
	if (servers.length === 0) {
		throw new UsageError('Expected `--server` with the command that starts the MCP server, like --server "node server.js"');
	}

	for (const [flag, values] of [['url', urls], ['port', ports], ['name', names], ['from', froms]] as const) {
		if (values.length > servers.length) {
			throw new UsageError(`Expected at most one \`--${flag}\` per \`--server\`, got ${values.length} for ${servers.length}`);
		}
	}

	return servers.map((command, index) => {
		const url = urls[index];
		const from = froms[index];
		if (url !== undefined && from !== undefined) {
			throw new UsageError('Expected `--url` or `--from` for a server, not both');
		}

		const port = ports[index];
		const name = names[index] ?? (from === undefined ? undefined : from.slice(from.lastIndexOf(':') + 1));
		return {
			command,
			...(url === undefined ? {} : {url}),
			...(from === undefined ? {} : {url: urlFromClientConfig(from)}),
			...(port === undefined ? {} : {port: toPort(port)}),
			...(name === undefined ? {} : {name}),
		};
	});
}

/** `mcp-launch [options] -- <client> [args...]` */
export async function launchCommand(argv: string[], version: string, source?: EvidenceSource): Promise<number> {
	let parsed: Parsed;
	let servers: ServerSpec[];
	let headers: Record<string, string>;
	let level: ReturnType<typeof logLevelOf>;
	try {
		parsed = parse(argv, version);
		if (parsed.help || parsed.version) {
			return 0;
		}

		checkSingles(parsed, ['timeout', 'kill-timeout', 'server-log', 'probe', 'on-server-exit', 'log-level', 'log-format'], argv);
		level = logLevelOf(parsed);
		servers = serverSpecs(parsed);
		headers = parseHeaders(list(parsed.header));
	} catch (error) {
		if (isUsageError(error)) {
			return usage(error.message);
		}

		throw error;
	}

	const client = [...parsed._.map(String), ...((parsed['--'] as string[] | undefined) ?? []).map(String)];
	const format = parsed['log-format'] as LogFormat;
	const {logger, status} = createLogger({level, format, secrets: Object.values(headers)});
	const progress = waitingProgress(level === 'info' || level === 'debug' ? status : {set() {}, clear() {}});

	const controller = new AbortController();
	let clientRunning = false;
	const onSignal = (signal: NodeJS.Signals) => {
		// A Ctrl-C typed on the terminal reached the client too (same foreground group):
		// let the client decide, as a shell would. A SIGINT sent to mcp-launch alone is passed on.
		if (signal === 'SIGINT' && clientRunning && inTerminalForeground({source})) {
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
			servers,
			client,
			timeout: parsed.timeout,
			killTimeout: parsed['kill-timeout'],
			probe: parsed.probe as 'http' | 'tcp' | 'mcp',
			headers,
			serverLog: parsed['server-log'],
			reuse: parsed.reuse === true,
			strict: parsed.strict === true,
			insecure: parsed.insecure === true,
			onServerExit: parsed['on-server-exit'] as 'warn' | 'exit',
			signal: controller.signal,
			...(source ? {evidenceSource: source} : {}),
			logger,
			echoServerOutput: level === 'debug',
			onEvent(event) {
				if (event.type === 'waiting') {
					progress.waiting(event.urls);
				} else if (event.type === 'ready') {
					progress.ready(event.url);
				} else {
					progress.stop();
					clientRunning = true;
				}
			},
		});
		return result.exitCode;
	} catch (error) {
		progress.stop();
		if (error instanceof OptionError) {
			return usage(error.message);
		}

		if (error instanceof LaunchError) {
			logger.error({code: error.code, ...error.details}, error.message);
			return error.code === 'ABORTED' ? signalExitCode(String(error.details.signal)) : exitCodes[error.code];
		}

		logger.error({err: error}, `internal error: ${(error as Error).stack ?? String(error)}`);
		return exitCodes.INTERNAL;
	} finally {
		progress.stop();
	}
}
