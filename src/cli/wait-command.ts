import yargs from 'yargs';
import {defaults} from '../defaults.js';
import {toDurationMs, toEndpointUrl} from '../option-values.js';
import {describeReady} from '../readiness/describe-ready.js';
import {waitUntilReady} from '../readiness/wait-until-ready.js';
import {parseHeaders} from '../workflow/headers.js';
import {secretsOf} from '../redact.js';
import {silentStatus} from '../log.js';
import {waitingProgress} from './progress.js';
import {type Command, runCommand} from './run-command.js';
import {type ParsedFlags, waitFlags} from './flags.js';
import {commandParser, list, single, UsageError} from './shared.js';

function parse(argv: string[], version: string): ParsedFlags {
	return commandParser(yargs(argv), version, waitFlags)
		.scriptName('mcp-launch wait')
		.usage('Usage: $0 <url...> [--timeout 30s]\n\nWait until every MCP endpoint answers HTTP (any status). Exit 0 when all did, 124 on timeout.')
		.example('$0 --timeout 2s http://127.0.0.1:3000/mcp', 'A Compose healthcheck')
		.parserConfiguration({'halt-at-non-option': false})
		.parseSync() as ParsedFlags;
}

type Flags = ParsedFlags;
type WaitInput = {parsed: Flags; urls: URL[]; timeoutMs: number; headers: Record<string, string>};

/**
 * `mcp-launch wait <url...>`: the gate alone, for shell scripts, Compose healthchecks and
 * Kubernetes exec probes. Exit 0 once every URL answered, 124 on timeout, 2 on usage errors.
 */
export async function waitCommand(argv: string[], version: string): Promise<number> {
	const command: Command<Flags, WaitInput> = {
		name: 'mcp-launch wait',
		flags: args => parse(args, version),
		flagTable: waitFlags,
		input(parsed) {
			const given = [...parsed._.map(String), ...((parsed['--'] as string[] | undefined) ?? [])];
			if (given.length === 0) {
				throw new UsageError('Expected at least one URL, like: mcp-launch wait http://127.0.0.1:3000/mcp');
			}

			return {
				parsed,
				urls: given.map(url => toEndpointUrl(url, '<url>')),
				timeoutMs: toDurationMs(single(parsed.timeout) ?? defaults.timeoutMs, '--timeout'),
				headers: parseHeaders(list(parsed.header)),
			};
		},
		secrets: ({headers, urls}) => secretsOf(headers, urls),
		async run({parsed, urls, timeoutMs, headers}, {logger, level, status, signal}) {
			const progress = waitingProgress(level === 'info' || level === 'debug' ? status : silentStatus);
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
