import type {ResolvedOptions} from '../options.js';
import {hostOf, portOf} from '../readiness/connect.js';
import type {ReadyInfo} from '../readiness/wait-until-ready.js';
import type {ServerProcess} from '../server/spawn-server.js';
import {freePort} from '../workflow/free-port.js';
import {fillShellCommand, type PlaceholderServer} from '../workflow/placeholders.js';

/**
 * One server of a launch, as it goes through the phases: placed (its port and URL final,
 * its command filled), pre-flight (`reused` when --reuse found it answering), started
 * (`process`), gated (`ready`), torn down. Every phase reads and writes this one record.
 */
export type ServerRecord = {
	readonly name: string;
	/** How messages name it: `server` alone, or `server "api"` among several. */
	readonly label: string;
	/** '' alone, or `server "api": ` among several: what goes before a message about it. */
	readonly prefix: string;
	/** The shell command, placeholders filled (as variable references; values in `env`). */
	readonly command: string;
	readonly env: Record<string, string | undefined>;
	/** The endpoint to gate on. */
	readonly url: URL;
	/** mcp-launch chose the port (-p): the server got it as PORT and {port}. */
	readonly portGiven: boolean;
	/** The port was picked free a moment ago (-p auto): no pre-flight needed. */
	readonly autoPort: boolean;
	reused?: {status: number};
	process?: ServerProcess;
	ready?: ReadyInfo;
};

/** The values placeholders stand for: the URL the client gets is the live one once ready. */
export function placeholderServer(record: ServerRecord, url: URL = record.url): PlaceholderServer {
	return {name: record.name, port: String(portOf(url)), url: url.href, host: hostOf(url)};
}

/** Pick `auto` ports, make each URL final and fill each server's command. */
export async function placeServers(plan: ResolvedOptions): Promise<ServerRecord[]> {
	const several = plan.servers.length > 1;
	const placed = await Promise.all(plan.servers.map(async server => {
		const port = server.port === 'auto' ? await freePort() : server.port;
		const url = new URL(port === undefined ? server.url : server.url.replaceAll('{port}', String(port)));
		return {server, port, url};
	}));
	const values = new Map(placed.map(({server, url}) => [server.name, {name: server.name, port: String(portOf(url)), url: url.href, host: hostOf(url)}]));
	return placed.map(({server, port, url}) => {
		const filled = fillShellCommand(server.command, {self: values.get(server.name)!, byName: values});
		return {
			name: server.name,
			label: several ? `server "${server.name}"` : 'server',
			prefix: several ? `server "${server.name}": ` : '',
			command: filled.command,
			env: {...plan.env, ...filled.env, ...(port === undefined ? {} : {PORT: String(port)})},
			url,
			portGiven: port !== undefined,
			autoPort: server.port === 'auto',
		};
	});
}
