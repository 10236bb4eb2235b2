import type {ResolvedOptions, ServerPlan} from '../options.js';
import type {ReadyInfo} from '../readiness/wait-until-ready.js';
import type {ServerLog} from '../server/server-log.js';
import type {ServerProcess, SpawnServerOptions} from '../server/spawn-server.js';
import {freePort} from '../workflow/free-port.js';
import {type PlaceholderServer, placeholderValues} from '../workflow/placeholders.js';
import {serverCommand} from '../workflow/server-command.js';

/**
 * One server of a launch, as it goes through the phases: placed (its port and URL final,
 * its command filled), pre-flight (`reused` when --reuse found it answering), started
 * (`process`), gated (`ready`), torn down. Every phase reads and writes this one record.
 * With the front door (--watch, --restart), each generation of the server is a record of its
 * own, placed on a fresh port, and `frontDoorUrl` is the URL the client gets.
 */
export type ServerRecord = {
	readonly name: string;
	/** How messages name it: `server` alone, or `server "api"` among several. */
	readonly label: string;
	/** '' alone, or `server "api": ` among several: what goes before a message about it. */
	readonly prefix: string;
	/** The server as planned (its command with placeholders unfilled): a generation is placed from it. */
	readonly plan: ServerPlan;
	/** The command for the platform's shell, placeholders filled (as variable references; values in `env`). */
	readonly command: string;
	readonly env: Record<string, string | undefined>;
	/** The endpoint to gate on. */
	readonly url: URL;
	/** mcp-launch chose the port (-p): the server got it as PORT and {port}. */
	readonly portGiven: boolean;
	/** The port was picked free a moment ago (-p auto): no pre-flight needed. */
	readonly autoPort: boolean;
	/** A generation behind the front door: the URL the client is given (the front door's). */
	readonly frontDoorUrl?: URL;
	reused?: {status: number};
	process?: ServerProcess;
	ready?: ReadyInfo;
};

/** The values placeholders stand for: the URL the client gets is the live one once ready. */
export function placeholderServer(record: ServerRecord, url: URL = record.url): PlaceholderServer {
	return placeholderValues(record.name, url);
}

/** The URL the client is given for this server: the front door's, or where the gate found it. */
export function clientUrlOf(record: ServerRecord): string {
	return record.frontDoorUrl?.href ?? record.ready!.url;
}

/** Pick `auto` ports, make each URL final and fill each server's command. */
export async function placeServers(plan: ResolvedOptions): Promise<ServerRecord[]> {
	const several = plan.servers.length > 1;
	const placed = await Promise.all(plan.servers.map(async server => {
		const port = server.port === 'auto' ? await freePort() : server.port;
		const url = new URL(port === undefined ? server.url : server.url.replace('{port}', String(port)));
		return {server, port, url};
	}));
	const values = new Map(placed.map(({server, url}) => [server.name, placeholderValues(server.name, url)]));
	return placed.map(({server, port, url}) => ({
		name: server.name,
		label: several ? `server "${server.name}"` : 'server',
		prefix: several ? `server "${server.name}": ` : '',
		...filled(server, values.get(server.name)!, values, plan, port),
		url,
		portGiven: port !== undefined,
		autoPort: server.port === 'auto',
	}));
}

/**
 * A generation of `record` (placed behind the front door) on `port`: `{port}`, `{url}`, PORT and
 * MCP_SERVER_URL name the generation's own endpoint; `{url:OTHER}` names the other servers as the
 * client knows them.
 */
export function placeGeneration(record: ServerRecord, records: readonly ServerRecord[], plan: ResolvedOptions, port: number): ServerRecord {
	const url = new URL(record.url);
	url.port = String(port);
	const self = placeholderValues(record.name, url);
	const values = new Map(records.map(other => [other.name, other.name === record.name ? self : placeholderServer(other)]));
	return {name: record.name, label: record.label, prefix: record.prefix, ...filled(record.plan, self, values, plan, port), url, portGiven: true, autoPort: true, frontDoorUrl: record.url};
}

/** The command with its placeholders filled, and the environment it runs in (serverCommand: the one way). */
function filled(server: ServerPlan, self: PlaceholderServer, values: Map<string, PlaceholderServer>, plan: ResolvedOptions, port: number | undefined): Pick<ServerRecord, 'plan' | 'command' | 'env'> {
	return {plan: server, ...serverCommand(server.command, {self, byName: values}, plan.env, {os: plan.os, port, cwd: plan.cwd})};
}

/** How a record's server is spawned (the launch and every restart spawn it the same way). */
export function spawnOptionsOf(record: ServerRecord, plan: ResolvedOptions, log: ServerLog | undefined): Omit<SpawnServerOptions, 'tailLines' | 'held'> {
	return {command: record.command, cwd: plan.cwd, env: record.env, log, os: plan.os, secrets: plan.secrets, onLogFailure: message => plan.logger.warn({server: record.name}, message)};
}
