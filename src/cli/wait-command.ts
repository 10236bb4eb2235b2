import yargs from 'yargs';
import {defaults} from '../defaults.js';
import {LaunchError} from '../errors.js';
import {createLogger, type LogFormat} from '../log.js';
import {toDurationMs, toEndpointUrl} from '../options.js';
import {signalExitCode} from '../client/run-client.js';
import {describeReady} from '../readiness/describe-ready.js';
import {waitUntilReady} from '../readiness/wait-until-ready.js';
import {parseHeaders} from '../workflow/headers.js';
import {checkSingles, commonOptions, exitCodes, isUsageError, list, logLevelOf, usage, UsageError} from './shared.js';

/**
 * `mcp-launch wait <url...>`: the gate alone, for shell scripts, Compose healthchecks and
 * Kubernetes exec probes. Exit 0 once every URL answered, 124 on timeout, 2 on usage errors.
 */
export async function waitCommand(argv: string[], version: string): Promise<number> {
	let urls: URL[];
	let timeoutMs: number;
	let headers: Record<string, string>;
	let parsed;
	let level: ReturnType<typeof logLevelOf>;
	try {
		parsed = commonOptions(yargs(argv), version)
			.scriptName('mcp-launch wait')
			.usage('Usage: $0 <url...> [--timeout 30s]\n\nWait until every MCP endpoint answers HTTP (any status). Exit 0 when all did, 124 on timeout.')
			.option('timeout', {type: 'string', requiresArg: true, default: '30s', describe: 'Budget for all URLs: 500ms, 30s, 2m (a bare number means seconds)'})
			.option('probe', {type: 'string', requiresArg: true, choices: ['http', 'tcp', 'mcp'], default: defaults.probe, describe: 'Ready on: any HTTP status, a TCP connect, or an MCP handshake'})
			.option('header', {alias: 'H', type: 'string', requiresArg: true, describe: 'A header sent with every probe, "Name: value" (repeatable)'})
			.option('insecure', {type: 'boolean', describe: 'Send --header values to an https endpoint whose certificate cannot be verified'})
			.example('$0 --timeout 2s http://127.0.0.1:3000/mcp', 'A Compose healthcheck')
			.parserConfiguration({'halt-at-non-option': false})
			.parseSync();
		if (parsed.help || parsed.version) {
			return 0;
		}

		checkSingles(parsed, ['timeout', 'probe', 'log-level', 'log-format'], argv);
		level = logLevelOf(parsed);
		const given = [...parsed._.map(String), ...((parsed['--'] as string[] | undefined) ?? [])];
		if (given.length === 0) {
			throw new UsageError('Expected at least one URL, like: mcp-launch wait http://127.0.0.1:3000/mcp');
		}

		urls = given.map(url => toEndpointUrl(url, '<url>'));
		timeoutMs = toDurationMs(String(parsed.timeout), '--timeout');
		headers = parseHeaders(list(parsed.header));
	} catch (error) {
		if (isUsageError(error)) {
			return usage(error.message, 'mcp-launch wait');
		}

		throw error;
	}

	const {logger} = createLogger({level, format: parsed['log-format'] as LogFormat, secrets: Object.values(headers)});
	const controller = new AbortController();
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => controller.abort(signal));
	}

	try {
		await Promise.all(urls.map(async url => {
			const ready = await waitUntilReady(url, {timeout: timeoutMs, signal: controller.signal, headers, insecure: parsed.insecure === true, probe: parsed.probe as 'http' | 'tcp' | 'mcp'});
			logger.info({url: ready.url, status: ready.status, elapsedMs: Math.round(ready.elapsedMs), ...(ready.server ? {mcpServer: ready.server} : {})}, `ready ${ready.url} (${describeReady(ready, String(parsed.probe))})`);
		}));
		return 0;
	} catch (error) {
		if (error instanceof LaunchError) {
			logger.error({code: error.code, ...error.details}, error.message);
			return exitCodes[error.code];
		}

		if (controller.signal.aborted) {
			return signalExitCode(String(controller.signal.reason));
		}

		throw error;
	}
}
