import path from 'node:path';
import {isLaunchError, LaunchError} from '../errors.js';
import {gateOne} from '../launch/gate-all.js';
import {frontDoorTexts, messages} from '../launch/messages.js';
import {placeGeneration, type ServerRecord, spawnOptionsOf} from '../launch/server-record.js';
import {stopServer} from '../launch/teardown.js';
import type {Guardian} from '../os/types.js';
import type {ResolvedOptions} from '../options.js';
import {redactText} from '../redact.js';
import type {ServerLog} from '../server/server-log.js';
import type {ServerExit} from '../server/spawn-server.js';
import {startServer} from '../server/start-server.js';
import {freePort} from '../workflow/free-port.js';
import {FrontDoor} from './front-door.js';
import {type Booted, Generations} from './generations.js';
import type {Failure} from './json-rpc.js';
import {type Watcher, watchPaths} from './watch.js';

/** The front doors of a launch (--watch, --restart): one per server, on the client's URL. */
export type FrontDoors = {
	/** Generation 1 of each server, placed on a fresh port: the launch spawns and gates these. */
	readonly first: ServerRecord[];
	/** The client is about to run: generation 1 serves, watching starts; `onGiveUp` when a server is down for good. */
	start(guardian: Guardian, onGiveUp: (record: ServerRecord, exit: ServerExit) => void): void;
	/** Every generation stopped, every door closed. */
	close(): Promise<void>;
};

/**
 * Listen on each server's URL (before anything is spawned: the port is the client's from now
 * on) and place each server's first generation on a port of its own.
 */
export async function openFrontDoors(records: readonly ServerRecord[], plan: ResolvedOptions, log: ServerLog | undefined): Promise<FrontDoors> {
	const doors: FrontDoor[] = [];
	try {
		for (const record of records) {
			// eslint-disable-next-line no-await-in-loop
			doors.push(await FrontDoor.open(record.url, plan.timeoutMs).catch((error: unknown) => {
				throw new LaunchError('PORT_IN_USE', `${record.prefix}${frontDoorTexts.cannotListen(record.url, error)}`, {details: {server: record.name, port: Number(record.url.port), occupants: []}});
			}));
		}
	} catch (error) {
		await Promise.all(doors.map(async door => door.close()));
		throw error;
	}

	const first = await Promise.all(records.map(async record => placeGeneration(record, records, plan, await freePort())));
	const generations: Generations[] = [];
	let watcher: Watcher | undefined;
	const watching = plan.watch.length > 0 ? plan.watch.map(file => shownPath(file, plan.cwd)) : undefined;
	return {
		first,
		start(guardian, onGiveUp) {
			for (const [index, record] of records.entries()) {
				const door = doors[index]!;
				const serving = new Generations({
					server: record,
					policy: plan.restart,
					watching,
					timeoutMs: plan.timeoutMs,
					boot: async (_n, signal) => bootGeneration(record, records, {plan, guardian, log, signal}),
					stop: async generation => stopServer(generation, plan),
					prepare: async (gen, signal) => door.prepare(gen, signal),
					swapped: (gen, isFirst) => door.swapped(gen, isFirst),
					onGiveUp: exit => onGiveUp(record, exit),
					logger: plan.logger,
					redact: text => redactText(text, Object.values(plan.headers)),
				});
				door.use(serving);
				serving.adopt(first[index]!);
				generations.push(serving);
			}

			if (plan.watch.length > 0) {
				watcher = watchPaths(plan.watch, {
					...(plan.serverLog === undefined ? {} : {ignoreFiles: [path.resolve(plan.cwd, plan.serverLog)]}),
					onChange(files) {
						const why = frontDoorTexts.changed(files.map(file => shownPath(file, plan.cwd)));
						for (const serving of generations) {
							serving.change(why);
						}
					},
				});
			}
		},
		async close() {
			watcher?.close();
			await Promise.all(generations.map(async serving => serving.close()));
			if (generations.length === 0) {
				await Promise.all(first.map(async record => stopServer(record, plan))); // Never adopted: the launch failed before the client.
			}

			await Promise.all(doors.map(async door => door.close()));
		},
	};
}

type BootContext = {plan: ResolvedOptions; guardian: Guardian; log: ServerLog | undefined; signal: AbortSignal};

/** The next generation: placed on a fresh port, started as every server is (held until the guardian knows it), gated. */
async function bootGeneration(record: ServerRecord, records: readonly ServerRecord[], {plan, guardian, log, signal}: BootContext): Promise<Booted> {
	const generation = placeGeneration(record, records, plan, await freePort());
	const server = startServer(spawnOptionsOf(generation, plan, log), guardian);
	generation.process = server;
	plan.logger.debug({server: record.name, pid: server.pid, command: generation.command}, messages.started(generation, server.pid));
	try {
		generation.ready = await gateOne(generation, {...plan, echoServerOutput: false}, signal, {quiet: true});
		return {record: generation};
	} catch (error) {
		if (!isLaunchError(error)) {
			throw error;
		}

		return {record: generation, failure: failureOf(error, Object.values(plan.headers)), exit: server.exit(), report: error.message};
	}
}

/** A failed boot as the client's requests read it: the report, and its evidence (the last lines); generations.ts says what caused it and what comes next. */
function failureOf(error: LaunchError, secrets: readonly string[]): Failure {
	const details = error.details as Record<string, unknown>;
	const last = (name: string) => (Array.isArray(details[name]) ? (details[name] as string[]).slice(-15).map(line => redactText(line, secrets)) : undefined);
	return {
		message: redactText(error.message, secrets),
		data: {code: error.code, exitCode: details.exitCode, signal: details.signal, crashCause: details.crashCause, stderr: last('stderr'), stdout: last('stdout')},
	};
}

function shownPath(file: string, cwd: string): string {
	const relative = path.relative(cwd, file);
	return relative === '' ? '.' : (relative.startsWith('..') ? file : relative);
}
