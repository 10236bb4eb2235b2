import {launch as launchServers} from '../launch.js';
import type {Prespawned} from '../early-spawn.js';
import {type LogLevel, silentStatus} from '../log.js';
import type {LaunchOptions, ServerSpec} from '../options.js';
import {osFor} from '../os/index.js';
import type {OsName} from '../os/types.js';
import {urlFromClientConfig} from '../workflow/client-config.js';
import {parseHeaders} from '../workflow/headers.js';
import {secretsOf} from '../redact.js';
import {waitingProgress} from './progress.js';
import {type Command, type CommandContext, runCommand} from './run-command.js';
import {fastParse, launchFlags, type ParsedFlags} from './flags.js';
import {didYouMean} from './did-you-mean.js';
import {commandParser, list, UsageError} from './shared.js';
import {shown} from '../option-error.js';

/**
 * argv → flags. The common run never loads yargs (fastParse: the same parser, configured the
 * same way, on the same table); yargs parses when it has something to say (--help, an error).
 */
async function parse(argv: string[], version: string): Promise<ParsedFlags> {
	const fast = fastParse(argv, launchFlags);
	if (fast) {
		return fast;
	}

	const {default: yargs} = await import('yargs');
	return commandParser(yargs(argv), version, launchFlags)
		.scriptName('mcp-launch')
		.usage('Usage: $0 --server "<command>" [options] -- <client command> [args...]\n       $0 wait <url...> [--timeout 30s]\n       $0 doctor [url] [--server "<command>"]\n\nStart an MCP server, wait until its endpoint answers HTTP, then run the client in the foreground.')
		.example('$0 -s "node server.js" -- claude', 'Claude Code starts once :3000/mcp answers')
		.example('$0 -p auto -s "node server.js --port {port}" -- claude --mcp-config={mcp-config}', 'A free port, and a generated config for Claude Code')
		.example('$0 -s npm:dev -u http://127.0.0.1:8080/mcp -- cursor .', 'An npm script on another port')
		.example('$0 --watch src -p auto -s "node server.js" -- claude', 'Restart the server on every change; Claude Code keeps its session')
		.epilogue('Placeholders in the server command and the client\'s arguments: {port} {url} {host} (also {url:NAME}), and {mcp-config} for the client. Exit codes: the client\'s own (128+N if it died of signal N); 2 usage; 124 not ready in time; 125 server exited before ready; 126/127 client not executable/not found; 129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM.')
		.parseSync() as ParsedFlags;
}

type Parsed = ParsedFlags;
const text = (value: unknown): string | undefined => (value === undefined ? undefined : String(value));

/** A --port value as the library takes it: the library checks it (one validator, in option-values.ts). */
function portOf(text: string): number | 'auto' {
	return (text === 'auto' ? 'auto' : (/^\d+$/.test(text) ? Number(text) : text)) as number | 'auto';
}

/** Pair the repeatable --server/--url/--port/--name/--from flags by position. */
function serverSpecs(parsed: Parsed): ServerSpec[] {
	const servers = list(parsed.server);
	const urls = list(parsed.url);
	const ports = list(parsed.port);
	const names = list(parsed.name);
	const froms = list(parsed.from);
	if (servers.length === 0) {
		// `mcp-launch wiat URL` reads as a launch whose client is `wiat`: say which command it likely meant.
		const first = [...parsed._, ...(parsed['--'] ?? [])].map(String)[0];
		const meant = first === undefined ? undefined : didYouMean(first, ['wait', 'doctor']);
		throw new UsageError(meant ? `unknown command \`${shown(first!)}\`: did you mean \`mcp-launch ${meant}\`?` : 'Expected `--server` with the command that starts the MCP server, like --server "node server.js"');
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
			...(port === undefined ? {} : {port: portOf(port)}),
			...(name === undefined ? {} : {name}),
		};
	});
}

type LaunchInput = Omit<LaunchOptions, 'signal' | 'logger' | 'onEvent'>;

/** What `launch` the command calls: the library's, or (in a spec) one that fails like a bug would. */
export type LaunchFunction = typeof launchServers;

/** `mcp-launch [options] -- <client> [args...]` */
export async function launchCommand(argv: string[], version: string, source?: OsName, launch: LaunchFunction = launchServers, prespawned?: Prespawned): Promise<number> {
	let clientRunning = false;
	const command: Command<Parsed, LaunchInput> = {
		name: 'mcp-launch',
		flags: args => parse(args, version),
		flagTable: launchFlags,
		input: (parsed, level) => launchOptions(parsed, level, source),
		secrets: options => secretsOf(options.headers, (options.servers ?? []).map(server => server.url)),
		// A Ctrl-C typed on the terminal reached the client too (same foreground group): let the
		// client decide, as a shell would. A SIGINT sent to mcp-launch alone is passed on.
		stopsOn: signal => !(signal === 'SIGINT' && clientRunning && osFor(source).inTerminalForeground(process.stdin.isTTY === true)),
		async run(options, {logger, level, status, signal}: CommandContext) {
			const progress = waitingProgress(level === 'info' || level === 'debug' ? status : silentStatus);
			try {
				const result = await launch({...options, signal, logger, onEvent(event) {
					if (event.type === 'waiting') {
						void logger.load(); // The servers are spawned: load pino while they boot.
						progress.waiting(event.urls);
					} else if (event.type === 'ready') {
						progress.ready(event.url);
					} else {
						progress.stop();
						clientRunning = true;
					}
				}}, {prespawned});
				return result.exitCode;
			} finally {
				progress.stop();
			}
		},
	};
	return runCommand(command, argv);
}

/** The flags as launch() options; every value is checked by the library, once. */
function launchOptions(parsed: Parsed, level: LogLevel, source: OsName | undefined): LaunchInput {
	return {
		servers: serverSpecs(parsed),
		client: [...parsed._.map(String), ...((parsed['--'] as string[] | undefined) ?? []).map(String)],
		...(parsed.timeout === undefined ? {} : {timeout: text(parsed.timeout)!}),
		...(parsed['kill-timeout'] === undefined ? {} : {killTimeout: text(parsed['kill-timeout'])!}),
		probe: parsed.probe as 'http' | 'tcp' | 'mcp',
		headers: parseHeaders(list(parsed.header)),
		...(parsed['server-log'] === undefined ? {} : {serverLog: text(parsed['server-log'])!}),
		reuse: parsed.reuse === true,
		strict: parsed.strict === true,
		insecure: parsed.insecure === true,
		onServerExit: parsed['on-server-exit'] as 'warn' | 'exit',
		...(source ? {evidenceSource: source} : {}),
		echoServerOutput: level === 'debug',
		...(parsed.watch === undefined ? {} : {watch: list(parsed.watch)}),
		...(parsed.restart === undefined ? {} : {restart: text(parsed.restart) as LaunchOptions['restart']}),
	};
}
