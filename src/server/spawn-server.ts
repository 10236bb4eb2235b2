import type {ChildProcess} from 'node:child_process';
import type {Readable} from 'node:stream';
import type {Listener, Os, ProcessTree, StopResult, TreeExit} from '../os/types.js';
import {OutputTail, type StreamName} from './output-tail.js';
import type {ServerLog} from './server-log.js';
import {redactCutText, redactText} from '../redact.js';

/**
 * At most one activity notice per this period while output streams in: a flood costs at most
 * ~100 probes a second, and a line printed right after another one (a banner, then
 * "listening on …") still wakes a probe within the first phase's poll interval.
 */
const activityEveryMs = 10;

/** How the server's top process ended: its exit code, or the signal, or why it could not be spawned. */
export type ServerExit = TreeExit;

export type ServerOutputListener = (line: string, stream: StreamName) => void;

export type ServerProcess = {
	/** pid of the shell that runs the command (Unix: also the id of the server's process group; -1 until known). */
	readonly pid: number;
	/** Its tree, as the OS seam runs it. */
	readonly tree: ProcessTree;
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
	/** Whether no process of its tree runs any more. */
	isGone(): Promise<boolean>;
	/** The LISTEN sockets of its tree. */
	listeners(): Promise<Listener[]>;
	/** Tear the whole tree down: graceful stop, the kill after killTimeoutMs; nothing when it is known gone. Then the control channel goes. */
	stop(killTimeoutMs: number): Promise<StopResult>;
	/** Let the command run: until then it waits, and never runs if mcp-launch dies first. */
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
	/** The OS seam that runs its tree. */
	os: Pick<Os, 'spawnTree'>;
	/** Hidden in every line kept of the output (header values, URL passwords, query values); URLs are redacted anyway. */
	secrets?: readonly string[];
	/** A held shell already spawned for exactly this command, cwd and env (the CLI's early spawn): use it. */
	adopt?: ChildProcess | undefined;
};

/**
 * Start the server command in a tree of its own (the OS seam: /bin/sh in its own session and
 * process group, or cmd.exe in a Job Object), so a Ctrl-C on the terminal never reaches it and
 * teardown reaches all of it, with stdin from the null device and its output captured, never
 * drawn on the terminal.
 */
export function spawnServer(options: SpawnServerOptions): ServerProcess {
	const subprocess = options.os.spawnTree({command: options.command, cwd: options.cwd, env: options.env, adopt: options.adopt});
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

	let exit: ServerExit | undefined;
	const exited = subprocess.exited.then(value => {
		exit = value;
		return value;
	});
	if (!options.held) {
		subprocess.release();
	}

	return serverHandle({tree: subprocess, tail, exited, exit: () => exit, activityListeners, lineListeners, streamsEnded});
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

type HandleParts = {
	tree: ProcessTree;
	tail: OutputTail;
	exited: Promise<ServerExit>;
	exit: () => ServerExit | undefined;
	activityListeners: Set<() => void>;
	lineListeners: Set<ServerOutputListener>;
	streamsEnded: Array<Promise<void>>;
};

/** The ServerProcess the caller holds: listeners, drain, release and teardown. */
function serverHandle(parts: HandleParts): ServerProcess {
	const {tree, tail, exited, exit, activityListeners, lineListeners, streamsEnded} = parts;
	return {
		get pid() {
			return tree.pid ?? -1;
		},
		tree,
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
			tree.release();
		},
		isGone: async () => tree.isGone(),
		listeners: async () => tree.listeners(),
		async stop(killTimeoutMs) {
			const stopped = await tree.stop(killTimeoutMs);
			await tree.dispose();
			return stopped;
		},
	};
}
