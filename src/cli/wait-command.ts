import yargs from 'yargs';
import {defaults} from '../defaults.js';
import {formatDuration} from '../duration.js';
import {toDurationMs, toEndpointUrl} from '../option-values.js';
import {describeReady} from '../readiness/describe-ready.js';
import {waitUntilReady} from '../readiness/wait-until-ready.js';
import {parseHeaders} from '../workflow/headers.js';
import {waitingProgress} from './progress.js';
import {type Command, runCommand} from './run-command.js';
import {commonOptions, list, loggingLast, UsageError} from './shared.js';

function parse(argv: string[], version: string) {
	return loggingLast(commonOptions(yargs(argv), version), ['timeout', 'probe', 'header', 'insecure'])
		.scriptName('mcp-launch wait')
		.usage('Usage: $0 <url...> [--timeout 30s]\n\nWait until every MCP endpoint answers HTTP (any status). Exit 0 when all did, 124 on timeout.')
		.option('timeout', {type: 'string', requiresArg: true, describe: `Budget for all URLs: 500ms, 30s, 2m (a bare number means seconds) [default: ${formatDuration(defaults.timeoutMs)}]`})
		.option('probe', {type: 'string', requiresArg: true, choices: ['http', 'tcp', 'mcp'], default: defaults.probe, describe: 'Ready on: any HTTP status, a TCP connect, or an MCP handshake'})
		.option('header', {alias: 'H', type: 'string', requiresArg: true, describe: 'A header sent with every probe, "Name: value" (repeatable)'})
		.option('insecure', {type: 'boolean', describe: 'Send --header values to an https endpoint whose certificate cannot be verified'})
		.describe('verbose', 'Debug details')
		.example('$0 --timeout 2s http://127.0.0.1:3000/mcp', 'A Compose healthcheck')
		.parserConfiguration({'halt-at-non-option': false})
		.parseSync();
}

type Flags = ReturnType<typeof parse>;
type WaitInput = {parsed: Flags; urls: URL[]; timeoutMs: number; headers: Record<string, string>};

/**
 * `mcp-launch wait <url...>`: the gate alone, for shell scripts, Compose healthchecks and
 * Kubernetes exec probes. Exit 0 once every URL answered, 124 on timeout, 2 on usage errors.
 */
export async function waitCommand(argv: string[], version: string): Promise<number> {
	const command: Command<Flags, WaitInput> = {
		name: 'mcp-launch wait',
		flags: args => parse(args, version),
		singles: ['timeout', 'probe'],
		input(parsed) {
			const given = [...parsed._.map(String), ...((parsed['--'] as string[] | undefined) ?? [])];
			if (given.length === 0) {
				throw new UsageError('Expected at least one URL, like: mcp-launch wait http://127.0.0.1:3000/mcp');
			}

			return {
				parsed,
				urls: given.map(url => toEndpointUrl(url, '<url>')),
				timeoutMs: toDurationMs(parsed.timeout ?? defaults.timeoutMs, '--timeout'),
				headers: parseHeaders(list(parsed.header)),
			};
		},
		secrets: ({headers}) => Object.values(headers),
		async run({parsed, urls, timeoutMs, headers}, {logger, level, status, signal}) {
			const progress = waitingProgress(level === 'info' || level === 'debug' ? status : {set() {}, clear() {}});
			progress.waiting(urls.map(url => url.href));
			try {
				await Promise.all(urls.map(async url => {
					const ready = await waitUntilReady(url, {timeout: timeoutMs, signal, headers, insecure: parsed.insecure === true, probe: parsed.probe as 'http' | 'tcp' | 'mcp'});
					progress.ready(ready.url);
					logger.info({url: ready.url, status: ready.status, elapsedMs: Math.round(ready.elapsedMs), ...(ready.server ? {mcpServer: ready.server} : {})}, `ready ${ready.url} (${describeReady(ready, String(parsed.probe))})`);
				}));
			} finally {
				progress.stop();
			}

			return 0;
		},
	};
	return runCommand(command, argv);
}
