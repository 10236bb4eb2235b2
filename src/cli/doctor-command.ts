import process from 'node:process';
import yargs from 'yargs';
import {defaults} from '../defaults.js';
import {doctor, formatDoctor} from '../doctor.js';
import {formatDuration} from '../duration.js';
import {startGuardian} from '../lifecycle/guardian.js';
import {shown} from '../option-error.js';
import {toDurationMs, toEndpointUrl} from '../option-values.js';
import type {EvidenceSource} from '../platform.js';
import {waitUntilReady} from '../readiness/wait-until-ready.js';
import {redactText} from '../redact.js';
import {startServer} from '../server/start-server.js';
import {parseHeaders} from '../workflow/headers.js';
import {expandServerCommand} from '../workflow/npm-script.js';
import {type Command, runCommand} from './run-command.js';
import {commonOptions, list, loggingLast, UsageError} from './shared.js';

function parse(argv: string[], version: string) {
	return loggingLast(commonOptions(yargs(argv), version), ['server', 'timeout', 'probe-timeout', 'header', 'insecure', 'format'])
		.scriptName('mcp-launch doctor')
		.usage(`Usage: $0 [url] [--server "<command>"] [--format json]\n\nCheck an MCP endpoint step by step (address, each resolved address, who listens on the port, the answer, path, scheme) and print the verdict and the fix. Exit 0 when healthy, 1 when a problem was found. [url default: ${defaults.url}]`)
		.option('server', {alias: 's', type: 'string', requiresArg: true, describe: 'Start this server first (its process tree is inspected too), and stop it afterwards'})
		.option('timeout', {type: 'string', requiresArg: true, describe: `With --server: how long to let it boot before checking [default: ${formatDuration(defaults.doctorBootMs)}]`})
		.option('probe-timeout', {type: 'string', requiresArg: true, describe: `Bound for each probe [default: ${formatDuration(defaults.doctorProbeTimeoutMs)}]`})
		.option('header', {alias: 'H', type: 'string', requiresArg: true, describe: 'A header sent with every probe, "Name: value" (repeatable)'})
		.option('insecure', {type: 'boolean', describe: 'Send --header values to an https endpoint whose certificate cannot be verified'})
		.option('format', {type: 'string', requiresArg: true, choices: ['text', 'json'], default: 'text', describe: 'A checklist for people, or JSON for machines'})
		.describe('verbose', 'Debug details')
		.parserConfiguration({'halt-at-non-option': false})
		.parseSync();
}

type Flags = ReturnType<typeof parse>;
type DoctorInput = {parsed: Flags; url: URL; probeTimeoutMs: number; bootMs: number; headers: Record<string, string>; server: string | undefined};

/**
 * `mcp-launch doctor [url] [--server <command>]`: the diagnostic order as a checklist, for a
 * setup that is already running, or one it starts. Exit 0 healthy, 1 a problem, 2 usage.
 */
export async function doctorCommand(argv: string[], version: string, source?: EvidenceSource): Promise<number> {
	const command: Command<Flags, DoctorInput> = {
		name: 'mcp-launch doctor',
		flags: args => parse(args, version),
		singles: ['server', 'timeout', 'probe-timeout', 'format'],
		input(parsed) {
			const given = parsed._.map(String);
			if (given.length > 1) {
				throw new UsageError(`Expected at most one URL, like: mcp-launch doctor http://127.0.0.1:3000/mcp, got ${given.length}`);
			}

			if (parsed.server !== undefined && (parsed.server.trim() === '' || parsed.server.includes('\0'))) {
				throw new UsageError(`Expected \`--server\` to be the command that starts the MCP server, like --server "node server.js", got \`${shown(parsed.server)}\``);
			}

			return {
				parsed,
				url: toEndpointUrl(given[0] ?? defaults.url, '<url>'),
				probeTimeoutMs: toDurationMs(parsed['probe-timeout'] ?? defaults.doctorProbeTimeoutMs, '--probe-timeout'),
				bootMs: toDurationMs(parsed.timeout ?? defaults.doctorBootMs, '--timeout'),
				headers: parseHeaders(list(parsed.header)),
				server: parsed.server === undefined ? undefined : expandServerCommand(parsed.server),
			};
		},
		secrets: ({headers}) => Object.values(headers),
		run: async (input, {signal}) => runDoctor(input, source, signal),
	};
	return runCommand(command, argv);
}

async function runDoctor({parsed, url, probeTimeoutMs, bootMs, headers, server: serverCommand}: DoctorInput, source: EvidenceSource | undefined, signal: AbortSignal): Promise<number> {
	const guardian = serverCommand === undefined ? undefined : startGuardian(defaults.killTimeoutMs);
	const server = serverCommand === undefined || !guardian ? undefined : startServer({command: serverCommand, cwd: process.cwd(), env: process.env, evidenceSource: source}, guardian);
	try {
		if (server) {
			const gone = new AbortController();
			void server.exited.then(() => gone.abort());
			await waitUntilReady(url, {timeout: bootMs, headers, signal: AbortSignal.any([gone.signal, signal]), wake: listener => server.onActivity(listener)}).catch(() => {
				// Not ready: the checklist says why.
			});
			signal.throwIfAborted(); // Stopped by a signal: the server goes, the exit code says which.
			await server.drained(50);
		}

		const report = await doctor(url, {
			timeoutMs: probeTimeoutMs,
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
