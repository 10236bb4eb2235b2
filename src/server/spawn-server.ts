import type {ChildProcess} from 'node:child_process';
import type {Readable} from 'node:stream';
import {terminateGroup, type TerminateResult, watchGroupGone} from '../lifecycle/process-group.js';
import {spawnHeldShell} from './held-shell.js';
import {OutputTail, type StreamName} from './output-tail.js';
import type {ServerLog} from './server-log.js';
import type {EvidenceSource} from '../platform.js';
import {redactCutText, redactText} from '../redact.js';

/**
 * At most one activity notice per this period while output streams in: a flood costs at most
 * ~100 probes a second, and a line printed right after another one (a banner, then
 * "listening on …") still wakes a probe within the first phase's poll interval.
 */
const activityEveryMs = 10;

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
	/**
	 * Resolves once the process group is known empty (its leader exited and no member is left):
	 * from then on its id may be reused by an unrelated process, and nothing signals it.
	 */
	readonly groupGone: Promise<void>;
	/** Tear the whole process group down: SIGTERM, SIGKILL after killTimeoutMs; nothing when it is known gone. */
	stop(killTimeoutMs: number): Promise<TerminateResult>;
	/** Let the command run: until then its shell waits, and exits if mcp-launch dies first. */
	release(): void;
};

export type SpawnServerOptions = {
	command: string;
	cwd: string;
	env: Record<string, string | undefined>;
	tailLines: number;
	/** An already opened log file to append all output to (shared by every server of a launch). */
	log?: ServerLog | undefined;
	/** Told once if writing to the log fails; the output is still read and kept in the tail. */
	onLogFailure?: (message: string) => void;
	/** Hold the command until release() (to tell a guardian first). Default: it runs at once. */
	held?: boolean;
	/** How teardown tells zombies apart: /proc or lsof. Default from `process.platform`. */
	evidenceSource?: EvidenceSource | undefined;
	/** Hidden in every line kept of the output (header values, URL passwords, query values); URLs are redacted anyway. */
	secrets?: readonly string[];
	/** A held shell already spawned for exactly this command, cwd and env (the CLI's early spawn): use it. */
	adopt?: ChildProcess | undefined;
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
	const subprocess = options.adopt ?? spawnHeldShell(options);
	const secrets = options.secrets ?? [];
	const tail = new OutputTail(options.tailLines, (text, cut) => (cut ? redactCutText(text, secrets) : redactText(text, secrets)));
	const activityListeners = new Set<() => void>();
	const lineListeners = new Set<ServerOutputListener>();
	const activity = throttledActivity(() => {
		for (const listener of activityListeners) {
			listener();
		}
	});
	const streamsEnded: Array<Promise<void>> = [];
	for (const name of ['stdout', 'stderr'] as const) {
		const stream = subprocess[name];
		if (stream) {
			streamsEnded.push(pipeOutput(stream, name, {options, tail, lineListeners, activity}));
		}
	}

	const {exited, exit} = watchExit(subprocess);
	const pid = subprocess.pid;
	if (!options.held) {
		subprocess.stdin?.end('go\n');
	}

	return serverHandle({options, subprocess, pid, tail, exited, exit, activityListeners, lineListeners, streamsEnded});
}

/**
 * Activity is told at once, then at most every activityEveryMs while output keeps coming
 * (and once more after it stops): a flood of output must not become a flood of probes.
 */
function throttledActivity(notify: () => void): () => void {
	let activityTimer: NodeJS.Timeout | undefined;
	let activityMissed = false;
	const activity = () => {
		if (activityTimer) {
			activityMissed = true;
			return;
		}

		notify();
		activityTimer = setTimeout(() => {
			activityTimer = undefined;
			if (activityMissed) {
				activityMissed = false;
				activity();
			}
		}, activityEveryMs);
		activityTimer.unref();
	};

	return activity;
}

/** Where one output pipe goes: the log, the tail, the line listeners, the activity notice. */
type OutputSinks = {
	options: SpawnServerOptions;
	tail: OutputTail;
	lineListeners: Set<ServerOutputListener>;
	activity: () => void;
};

/** Pipe one of the server's output streams into its sinks; resolves when the stream has ended. */
function pipeOutput(stream: Readable, name: StreamName, {options, tail, lineListeners, activity}: OutputSinks): Promise<void> {
	// Read as fast as it comes, whatever happens to it next: a server must never block on a
	// full pipe. Nothing here holds more than a bounded tail (see OutputTail).
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		const failure = options.log?.write(chunk);
		if (failure !== undefined) {
			options.onLogFailure?.(failure);
		}

		for (const line of tail.push(name, chunk, lineListeners.size > 0)) {
			for (const listener of lineListeners) {
				listener(line, name);
			}
		}

		activity();
	});
	return new Promise(resolve => {
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
	});
}

/** The exit of the shell (or why it could not be spawned), as a promise and as a getter. */
function watchExit(subprocess: ChildProcess): {exited: Promise<ServerExit>; exit: () => ServerExit | undefined} {
	let exit: ServerExit | undefined;
	const exited = new Promise<ServerExit>(resolve => {
		subprocess.once('exit', (code, signal) => {
			exit = {code: code ?? undefined, signal: signal ?? undefined};
			resolve(exit);
		});
		subprocess.once('error', error => {
			exit ??= {code: undefined, signal: undefined, spawnError: error.message};
			resolve(exit);
		});
		// An adopted shell may be gone already (its 'exit' was before anyone listened).
		if (subprocess.exitCode !== null || subprocess.signalCode !== null) {
			exit = {code: subprocess.exitCode ?? undefined, signal: subprocess.signalCode ?? undefined};
			resolve(exit);
		}
	});
	return {exited, exit: () => exit};
}

type HandleParts = {
	options: SpawnServerOptions;
	subprocess: ChildProcess;
	pid: number | undefined;
	tail: OutputTail;
	exited: Promise<ServerExit>;
	exit: () => ServerExit | undefined;
	activityListeners: Set<() => void>;
	lineListeners: Set<ServerOutputListener>;
	streamsEnded: Array<Promise<void>>;
};

/** The ServerProcess the caller holds: listeners, drain, release and teardown. */
function serverHandle(parts: HandleParts): ServerProcess {
	const {options, subprocess, pid, tail, exited, exit, activityListeners, lineListeners, streamsEnded} = parts;
	const group = pid === undefined ? undefined : watchGroupGone(pid, exited);
	return {
		pid: pid ?? -1,
		tail,
		exited,
		exit,
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
		release() {
			subprocess.stdin?.end('go\n');
		},
		groupGone: group?.gone ?? Promise.resolve(),
		async stop(killTimeoutMs) {
			group?.stop();
			if (pid === undefined || !group || group.isGone()) {
				return {signal: undefined, durationMs: 0, leftover: false};
			}

			const stopped = await terminateGroup(pid, killTimeoutMs, exited, {source: options.evidenceSource});
			if (!stopped.leftover) {
				group.markGone();
			}

			return stopped;
		},
	};
}
