import process from 'node:process';
import yargs from 'yargs';
import {defaults} from '../defaults.js';
import {doctor, formatDoctor} from '../doctor.js';
import {toDurationMs, toEndpointUrl} from '../options.js';
import {waitUntilReady} from '../readiness/wait-until-ready.js';
import {spawnServer} from '../server/spawn-server.js';
import {startGuardian} from '../lifecycle/guardian.js';
import {parseHeaders} from '../workflow/headers.js';
import {expandServerCommand} from '../workflow/npm-script.js';
import {shown} from '../option-error.js';
import {redactText} from '../redact.js';
import {checkSingles, commonOptions, isUsageError, list, logLevelOf, usage, UsageError} from './shared.js';
import type {EvidenceSource} from '../platform.js';

/**
 * `mcp-launch doctor [url] [--server <command>]`: the diagnostic order as a checklist, for a
 * setup that is already running, or one it starts. Exit 0 healthy, 1 a problem, 2 usage.
 */
export async function doctorCommand(argv: string[], version: string, source?: EvidenceSource): Promise<number> {
	let url: URL;
	let timeoutMs: number;
	let waitMs: number;
	let headers: Record<string, string>;
	let parsed;
	try {
		parsed = commonOptions(yargs(argv), version)
			.scriptName('mcp-launch doctor')
			.usage(`Usage: $0 [url] [--server "<command>"] [--format json]\n\nCheck an MCP endpoint step by step (address, each resolved address, who listens on the port, the answer, path, scheme) and print the verdict and the fix. Exit 0 when healthy, 1 when a problem was found. [url default: ${defaults.url}]`)
			.option('server', {alias: 's', type: 'string', requiresArg: true, describe: 'Start this server first (its process tree is inspected too), and stop it afterwards'})
			.option('timeout', {type: 'string', requiresArg: true, default: '10s', describe: 'With --server: how long to let it boot before checking'})
			.option('probe-timeout', {type: 'string', requiresArg: true, default: '2s', describe: 'Bound for each probe'})
			.option('header', {alias: 'H', type: 'string', requiresArg: true, describe: 'A header sent with every probe, "Name: value" (repeatable)'})
			.option('insecure', {type: 'boolean', describe: 'Send --header values to an https endpoint whose certificate cannot be verified'})
			.option('format', {type: 'string', requiresArg: true, choices: ['text', 'json'], default: 'text', describe: 'A checklist for people, or JSON for machines'})
			.parserConfiguration({'halt-at-non-option': false})
			.parseSync();
		if (parsed.help || parsed.version) {
			return 0;
		}

		checkSingles(parsed, ['server', 'timeout', 'probe-timeout', 'format', 'log-level', 'log-format'], argv);
		logLevelOf(parsed);
		const given = parsed._.map(String);
		if (given.length > 1) {
			throw new UsageError(`Expected at most one URL, like: mcp-launch doctor http://127.0.0.1:3000/mcp, got ${given.length}`);
		}

		url = toEndpointUrl(given[0] ?? defaults.url, '<url>');
		timeoutMs = toDurationMs(String(parsed['probe-timeout']), '--probe-timeout');
		waitMs = toDurationMs(String(parsed.timeout), '--timeout');
		headers = parseHeaders(list(parsed.header));
		if (parsed.server !== undefined && (parsed.server.trim() === '' || parsed.server.includes('\0'))) {
			throw new UsageError(`Expected \`--server\` to be the command that starts the MCP server, like --server "node server.js", got \`${shown(parsed.server)}\``);
		}
	} catch (error) {
		if (isUsageError(error)) {
			return usage(error.message, 'mcp-launch doctor');
		}

		throw error;
	}

	const command = parsed.server === undefined ? undefined : expandServerCommand(parsed.server);
	const guardian = command === undefined ? undefined : startGuardian(defaults.killTimeoutMs);
	const server = command === undefined ? undefined : spawnServer({command, cwd: process.cwd(), env: process.env, tailLines: defaults.tailLines, held: true, evidenceSource: source});
	if (server) {
		guardian?.addGroup(server.pid);
		server.release();
	}
	try {
		if (server) {
			const gone = new AbortController();
			void server.exited.then(() => gone.abort());
			await waitUntilReady(url, {timeout: waitMs, headers, signal: gone.signal, wake: listener => server.onActivity(listener)}).catch(() => {
				// Not ready: the checklist says why.
			});
			await server.drained(50);
		}

		const report = await doctor(url, {
			timeoutMs,
			headers,
			insecure: parsed.insecure === true,
			...(source ? {evidenceSource: source} : {}),
			...(server ? {pgid: server.pid, serverOutput: [...server.tail.lines('stderr'), ...server.tail.lines('stdout')]} : {}),
			...(server?.exit() ? {serverExit: server.exit()} : {}),
		});
		// Redacted: URL passwords and query values, and the header values, never reach the output.
		process.stdout.write(`${redactText(parsed.format === 'json' ? JSON.stringify(report) : formatDoctor(report), Object.values(headers))}\n`);
		return report.exitCode;
	} finally {
		await server?.stop(defaults.killTimeoutMs);
		guardian?.dismiss();
	}
}
