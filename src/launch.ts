import {LaunchError} from './errors.js';
import {type LaunchResult, runClientPhase} from './launch/client-phase.js';
import {checkClient} from './launch/check-client.js';
import {gateAll} from './launch/gate-all.js';
import {abortSignalName, messages} from './launch/messages.js';
import {preflight} from './launch/preflight.js';
import {placeholderServer, placeServers, type ServerRecord} from './launch/server-record.js';
import {stopServer} from './launch/teardown.js';
import {startGuardian} from './lifecycle/guardian.js';
import {type LaunchOptions, resolveOptions, type ResolvedOptions} from './options.js';
import {openServerLogFile} from './server/server-log.js';
import {startServer} from './server/start-server.js';
import {McpConfigFile} from './workflow/mcp-config.js';
import {fillArgv, usesPlaceholder} from './workflow/placeholders.js';

export type {LaunchResult} from './launch/client-phase.js';

/**
 * Start one or more MCP servers, wait until their endpoints answer, run the client in the
 * foreground and tear every server's whole process group down when the client exits, on
 * every path.
 *
 * Resolves once the client has exited and the servers are gone. Rejects with a
 * {@link LaunchError} when the client never ran (server crashed, timeout, client not
 * found, aborted), and with an {@link OptionError} (a TypeError), before starting anything, on bad options.
 *
 * @example
 * import {launch} from 'mcp-launch';
 * const {exitCode} = await launch({server: 'node server.js --port {port}', port: 'auto', client: ['node', 'client.js', '{url}']});
 */
export async function launch(options: LaunchOptions): Promise<LaunchResult> {
	// Everything that can fail on the user's input fails here, before any probe or spawn.
	const plan = resolveOptions(options);
	checkClient(plan.client[0], plan);
	plan.signal?.throwIfAborted();
	const log = plan.serverLog === undefined ? undefined : openServerLogFile(plan.serverLog);
	// One guardian for the whole launch, started before anything it guards, and told about
	// each thing (temp dir, server groups, the client) before that thing can outlive us.
	const guardian = startGuardian(plan.killTimeoutMs);
	let records: ServerRecord[] = [];
	let mcpConfig: McpConfigFile | undefined;
	try {
		mcpConfig = usesPlaceholder(plan.client, '{mcp-config}') ? new McpConfigFile() : undefined;
		if (mcpConfig) {
			guardian.setTempDir(mcpConfig.directory);
		}

		records = await placeServers(plan);
		await preflight(records, plan);
		throwIfAborted(plan.signal);
		for (const record of records.filter(item => !item.reused)) {
			record.process = startServer({command: record.command, cwd: plan.cwd, env: record.env, log, evidenceSource: plan.evidenceSource, onLogFailure: message => plan.logger.warn({server: record.name}, message)}, guardian);
			plan.logger.debug({server: record.name, pid: record.process.pid, guardian: guardian.pid, command: record.command}, messages.started(record, record.process.pid));
		}

		await gateAll(records, plan);
		const argv = clientArgv(records, plan, mcpConfig?.path);
		mcpConfig?.write(records.map(record => ({name: record.name, url: record.ready!.url, ...(Object.keys(plan.headers).length > 0 ? {headers: plan.headers} : {})})));
		return await runClientPhase(records, argv, plan, guardian);
	} finally {
		await Promise.all(records.map(async record => stopServer(record, plan)));
		mcpConfig?.remove();
		guardian.dismiss();
		log?.close();
	}
}

/** The client's argv with the live URLs: an address-family or Host-check fix may have changed one. */
function clientArgv(records: readonly ServerRecord[], plan: ResolvedOptions, mcpConfig: string | undefined): [string, ...string[]] {
	const live = records.map(record => placeholderServer(record, new URL(record.ready!.url)));
	return fillArgv(plan.client, {self: live[0]!, byName: new Map(live.map(server => [server.name, server])), mcpConfig}) as [string, ...string[]];
}

/** A signal that came in while nothing was started yet: stop there, as the signal asks. */
function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) {
		const name = abortSignalName(signal.reason);
		throw new LaunchError('ABORTED', `${messages.interrupted(name, 'before starting the server')}; nothing was started`, {details: {signal: name}});
	}
}
