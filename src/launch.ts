import {LaunchError} from './errors.js';
import type {DeathWatch, LaunchResult, PreparedClient} from './launch/client-phase.js';
import type {FrontDoors} from './front-door/doors.js';
import {checkClient} from './launch/check-client.js';
import {abortSignalName, messages} from './launch/messages.js';
import {preflight} from './launch/preflight.js';
import {clientUrlOf, placeholderServer, placeServers, type ServerRecord, spawnOptionsOf} from './launch/server-record.js';
import {defaults} from './defaults.js';
import type {Guardian} from './os/types.js';
import {type LaunchOptions, resolveOptions, type ResolvedOptions} from './options.js';
import {openServerLogFile} from './server/server-log.js';
import {spawnServer} from './server/spawn-server.js';
import {McpConfigFile} from './workflow/mcp-config.js';
import type {Prespawned} from './early-spawn.js';
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
 * The second argument is the CLI's (held server shells it spawned before loading: early-spawn.ts); a library
 * caller leaves it out.
 *
 * @example
 * import {launch} from 'mcp-launch';
 * const {exitCode} = await launch({server: 'node server.js --port {port}', port: 'auto', client: ['node', 'client.js', '{url}']});
 */
export async function launch(options: LaunchOptions, {prespawned}: {prespawned?: Prespawned | undefined} = {}): Promise<LaunchResult> {
	// Everything that can fail on the user's input fails here, before any probe or spawn.
	const plan = resolveOptions(options);
	checkClient(plan.client[0], plan);
	plan.signal?.throwIfAborted();
	const wantsConfig = usesPlaceholder(plan.client, '{mcp-config}');
	if (wantsConfig) {
		McpConfigFile.check();
	}

	const log = plan.serverLog === undefined ? undefined : openServerLogFile(plan.serverLog);

	let records: ServerRecord[] = [];
	let running: ServerRecord[] = [];
	let doors: FrontDoors | undefined;
	let guardian: Guardian | undefined;
	let mcpConfig: McpConfigFile | undefined;
	let later: Promise<typeof import('./launch/after-spawn.js')> | undefined;
	let prepared: PreparedClient | undefined;
	try {
		records = await placeServers(plan);
		await preflight(records, plan);
		throwIfAborted(plan.signal);
		// With --watch or --restart the client's URL is the front door's, and each server runs
		// as generations on ports of their own: generation 1 is spawned and gated here, like any server.
		doors = plan.frontDoor ? await (await import('./front-door/doors.js')).openFrontDoors(records, plan, log) : undefined;
		running = doors ? [...doors.first] : records;
		// The servers first, each held until the guardian knows its tree (if mcp-launch
		// dies before, the shell reads EOF and never runs the command); then the guardian, told
		// about every group and the temp directory before anything is released.
		// The CLI may have spawned them already (early-spawn.ts): adopted only when identical.
		const adopted = new Set<ServerRecord>();
		for (const record of running.filter(item => !item.reused)) {
			const adopt = plan.os.shell === 'sh' ? prespawned?.take({command: record.command, cwd: plan.cwd, env: record.env}) : undefined;
			if (adopt) {
				adopted.add(record);
			}

			record.process = spawnServer({...spawnOptionsOf(record, plan, log), tailLines: defaults.tailLines, held: true, adopt});
		}

		const earlyGuardian = prespawned?.takeGuardian();
		earlyGuardian?.setGrace(plan.killTimeoutMs); // Started before the flags were read: with the default grace.
		guardian = earlyGuardian ?? plan.os.startGuardian(plan.killTimeoutMs);
		prespawned?.cancel();
		if (plan.os.degraded) {
			plan.logger.warn({}, plan.os.degraded); // Once per launch: the weaker mode in use (win32 without its job helper).
		}

		mcpConfig = started(running, guardian, wantsConfig);
		for (const record of running.filter(item => item.process)) {
			record.process!.release();
			plan.logger.debug({server: record.name, pid: record.process!.pid, guardian: guardian.pid, command: record.command, spawnedEarly: adopted.has(record)}, messages.started(record, record.process!.pid));
		}

		later = import('./launch/after-spawn.js'); // Loads while the servers boot.
		const {gateAll, prepareClient, runClientPhase} = await later;
		prepared = prepareClient(clientArgv(running, plan, mcpConfig?.path, false), running.map(record => (record.frontDoorUrl ?? record.url).href), plan, guardian);
		await gateAll(running, plan);
		const argv = clientArgv(running, plan, mcpConfig?.path);
		mcpConfig?.write(running.map(record => ({name: record.name, url: clientUrlOf(record), ...(Object.keys(plan.headers).length > 0 ? {headers: plan.headers} : {})})));
		const deaths = doors ? startDoors(doors, guardian) : undefined;
		return await runClientPhase(running, argv, plan, guardian, prepared, deaths);
	} finally {
		prespawned?.cancel(); // Failed before the spawn: what the CLI spawned early never runs.
		if (prepared?.client.waiting()) {
			prepared.client.cancel(); // Never released: its shell reads EOF and exits without running the client.
			await prepared.client.exited;
		}

		if (doors) {
			await doors.close(); // Every generation, then the listening sockets.
		} else if (records.some(record => record.process)) {
			const {stopServer} = await (later ?? import('./launch/after-spawn.js'));
			await Promise.all(records.map(async record => stopServer(record, plan)));
		}

		mcpConfig?.remove();
		guardian?.dismiss();
		log?.close();
	}
}

/** Generation 1 serves behind each front door from now on; a server down for good is a death the client phase reports. */
function startDoors(doors: FrontDoors, guardian: Guardian): DeathWatch {
	return onDeath => doors.start(guardian, onDeath);
}

/** Tell the guardian every server group, then make the {mcp-config} directory and tell it that too. */
function started(records: readonly ServerRecord[], guardian: Guardian, wantsConfig: boolean): McpConfigFile | undefined {
	for (const record of records) {
		if (record.process) {
			guardian.addTree(record.process.tree);
		}
	}

	const mcpConfig = wantsConfig ? new McpConfigFile() : undefined;
	if (mcpConfig) {
		guardian.setTempDir(mcpConfig.directory);
	}

	return mcpConfig;
}

/** The client's argv with the live URLs (an address-family or Host-check fix may change one; the front door's never does), or the planned ones. */
function clientArgv(records: readonly ServerRecord[], plan: ResolvedOptions, mcpConfig: string | undefined, live = true): [string, ...string[]] {
	const values = records.map(record => placeholderServer(record, live ? new URL(clientUrlOf(record)) : (record.frontDoorUrl ?? record.url)));
	return fillArgv(plan.client, {self: values[0]!, byName: new Map(values.map(server => [server.name, server])), mcpConfig}) as [string, ...string[]];
}

/** A signal that came in while nothing was started yet: stop there, as the signal asks. */
function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) {
		const name = abortSignalName(signal.reason);
		throw new LaunchError('ABORTED', `${messages.interrupted(name, 'before starting the server')}; nothing was started`, {details: {signal: name}});
	}
}
