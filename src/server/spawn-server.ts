import {spawn} from 'node:child_process';
import type {WriteStream} from 'node:fs';
import {terminateGroup, type TerminateResult} from '../lifecycle/process-group.js';
import {OutputTail, type StreamName} from './output-tail.js';
import type {EvidenceSource} from '../platform.js';

export type ServerExit = {
	/** Exit code, or undefined when it died of a signal. */
	code: number | undefined;
	signal: string | undefined;
	/** Why it could not even be spawned (bad cwd, no /bin/sh). */
	spawnError?: string;
};

export type ServerOutputListener = (line: string, stream: StreamName) => void;

export type ServerProcess = {
	/** pid of the shell that runs the command; also the id of the server's process group. */
	readonly pid: number;
	readonly tail: OutputTail;
	/** Resolves when the command's top process exits (its children may live on). */
	readonly exited: Promise<ServerExit>;
	/** The exit, once it happened. */
	exit(): ServerExit | undefined;
	/** Called on every chunk of output, even a partial line: the server is doing something. */
	onActivity(listener: () => void): () => void;
	/** Called for every complete line of output. */
	onLine(listener: ServerOutputListener): () => void;
	/** Wait (bounded) until the output pipes have drained, so the tail holds the last words. */
	drained(maxMs: number): Promise<void>;
	/** Tear the whole process group down: SIGTERM, SIGKILL after killTimeoutMs. */
	stop(killTimeoutMs: number): Promise<TerminateResult>;
};

export type SpawnServerOptions = {
	command: string;
	cwd: string;
	env: Record<string, string | undefined>;
	tailLines: number;
	/** An already opened log file to append all output to. */
	log?: WriteStream | undefined;
	/** How teardown tells zombies apart: /proc or lsof. Default from `process.platform`. */
	evidenceSource?: EvidenceSource | undefined;
};

/**
 * Start the server command through /bin/sh in a session and process group of its own
 * (so a Ctrl-C on the terminal never reaches it, and teardown reaches all of it), with
 * stdin from /dev/null and its output captured, never drawn on the terminal.
 *
 * node:child_process rather than execa: what the server needs is exactly a raw detached
 * spawn, its exit event and its pipes (see run-client.ts for the measured cost of execa).
 */
export function spawnServer(options: SpawnServerOptions): ServerProcess {
	const subprocess = spawn('/bin/sh', ['-c', options.command], {
		detached: true,
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});

	const tail = new OutputTail(options.tailLines);
	const activityListeners = new Set<() => void>();
	const lineListeners = new Set<ServerOutputListener>();
	let exit: ServerExit | undefined;
	const streamsEnded: Array<Promise<void>> = [];

	for (const name of ['stdout', 'stderr'] as const) {
		const stream = subprocess[name];
		if (!stream) {
			continue;
		}

		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => {
			options.log?.write(chunk);
			for (const line of tail.push(name, chunk)) {
				for (const listener of lineListeners) {
					listener(line, name);
				}
			}

			for (const listener of activityListeners) {
				listener();
			}
		});
		streamsEnded.push(new Promise(resolve => {
			const finish = () => {
				const rest = tail.end(name);
				if (rest !== undefined) {
					for (const listener of lineListeners) {
						listener(rest, name);
					}
				}

				resolve();
			};

			stream.once('end', finish);
			stream.once('close', finish);
			stream.once('error', finish);
		}));
	}

	const exited = new Promise<ServerExit>(resolve => {
		subprocess.once('exit', (code, signal) => {
			exit = {code: code ?? undefined, signal: signal ?? undefined};
			resolve(exit);
		});
		subprocess.once('error', error => {
			exit ??= {code: undefined, signal: undefined, spawnError: error.message};
			resolve(exit);
		});
	});

	const pid = subprocess.pid;
	return {
		pid: pid ?? -1,
		tail,
		exited,
		exit: () => exit,
		onActivity(listener) {
			activityListeners.add(listener);
			return () => activityListeners.delete(listener);
		},
		onLine(listener) {
			lineListeners.add(listener);
			return () => lineListeners.delete(listener);
		},
		async drained(maxMs) {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				Promise.all(streamsEnded),
				new Promise(resolve => {
					timer = setTimeout(resolve, maxMs);
				}),
			]);
			clearTimeout(timer);
		},
		async stop(killTimeoutMs) {
			if (pid === undefined) {
				return {signal: undefined, durationMs: 0, leftover: false};
			}

			return terminateGroup(pid, killTimeoutMs, exited, {source: options.evidenceSource});
		},
	};
}
