import process from 'node:process';
import yargs from 'yargs';
import {defaults} from '../defaults.js';
import {doctor, formatDoctor} from '../doctor.js';
import {printable, shown} from '../option-error.js';
import {toDurationMs, toEndpointUrl} from '../option-values.js';
import {osFor} from '../os/index.js';
import type {OsName} from '../os/types.js';
import {waitUntilReady} from '../readiness/wait-until-ready.js';
import {redactText, secretsOf} from '../redact.js';
import {startServer} from '../server/start-server.js';
import {parseHeaders} from '../workflow/headers.js';
import {expandServerCommand} from '../workflow/npm-script.js';
import {placeholderValues} from '../workflow/placeholders.js';
import {serverCommand} from '../workflow/server-command.js';
import {type Command, runCommand} from './run-command.js';
import {doctorFlags, type ParsedFlags} from './flags.js';
import {commandParser, list, single, UsageError} from './shared.js';

function parse(argv: string[], version: string): ParsedFlags {
	return commandParser(yargs(argv), version, doctorFlags)
		.scriptName('mcp-launch doctor')
		.usage(`Usage: $0 [url] [--server "<command>"] [--format json]\n\nCheck an MCP endpoint step by step (address, each resolved address, who listens on the port, the answer, path, scheme) and print the verdict and the fix. Exit 0 when healthy, 1 when a problem was found. [url default: ${defaults.url}]`)
		.parserConfiguration({'halt-at-non-option': false})
		.parseSync() as ParsedFlags;
}

type Flags = ParsedFlags;
type DoctorInput = {parsed: Flags; url: URL; probeTimeoutMs: number; bootMs: number; headers: Record<string, string>; server: {command: string; env: Record<string, string | undefined>} | undefined};

/**
 * `mcp-launch doctor [url] [--server <command>]`: the diagnostic order as a checklist, for a
 * setup that is already running, or one it starts. Exit 0 healthy, 1 a problem, 2 usage.
 */
export async function doctorCommand(argv: string[], version: string, source?: OsName): Promise<number> {
	const command: Command<Flags, DoctorInput> = {
		name: 'mcp-launch doctor',
		flags: args => parse(args, version),
		flagTable: doctorFlags,
		input(parsed) {
			const given = parsed._.map(String);
			if (given.length > 1) {
				throw new UsageError(`Expected at most one URL, like: mcp-launch doctor http://127.0.0.1:3000/mcp, got ${given.length}`);
			}

			const command = single(parsed.server);
			if (command !== undefined && (command.trim() === '' || command.includes('\0'))) {
				throw new UsageError(`Expected \`--server\` to be the command that starts the MCP server, like --server "node server.js", got \`${shown(command)}\``);
			}

			const url = toEndpointUrl(given[0] ?? defaults.url, '<url>');
			const values = placeholderValues('server', url);
			return {
				parsed,
				url,
				probeTimeoutMs: toDurationMs(single(parsed['probe-timeout']) ?? defaults.doctorProbeTimeoutMs, '--probe-timeout'),
				bootMs: toDurationMs(single(parsed.timeout) ?? defaults.doctorBootMs, '--timeout'),
				headers: parseHeaders(list(parsed.header)),
				// Its placeholders ({url}, {port}, {host}) are the URL's, filled as the launcher fills them.
				server: command === undefined ? undefined : serverCommand(expandServerCommand(command), {self: values, byName: new Map([['server', values]])}, process.env, {os: osFor(source)}),
			};
		},
		secrets: ({headers, url}) => secretsOf(headers, [url]),
		run: async (input, {signal}) => runDoctor(input, source, signal),
	};
	return runCommand(command, argv);
}

async function runDoctor({parsed, url, probeTimeoutMs, bootMs, headers, server: toStart}: DoctorInput, source: OsName | undefined, signal: AbortSignal): Promise<number> {
	const os = osFor(source);
	const guardian = toStart === undefined ? undefined : os.startGuardian(defaults.killTimeoutMs);
	const server = toStart === undefined || !guardian ? undefined : startServer({...toStart, cwd: process.cwd(), os, secrets: secretsOf(headers, [url])}, guardian);
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
			...(server ? {pgid: server.pid, findGroupListeners: async () => server.listeners(), serverOutput: Object.values(server.tail.kept()).flat()} : {}),
			...(server?.exit() ? {serverExit: server.exit()} : {}),
		});
		// Redacted (URL passwords and query values, header values) and printable (what the server
		// printed or answered cannot drive the terminal).
		process.stdout.write(`${printable(redactText(parsed.format === 'json' ? JSON.stringify(report) : formatDoctor(report), secretsOf(headers, [url])))}\n`);
		return report.exitCode;
	} finally {
		await server?.stop(defaults.killTimeoutMs);
		guardian?.dismiss();
	}
}
