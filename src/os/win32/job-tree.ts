import {spawn} from 'node:child_process';
import {PassThrough, type Readable} from 'node:stream';
import {stopTree} from '../stop-tree.js';
import type {Listener, ProcessTree, SpawnTreeOptions, TreeExit} from '../types.js';

/**
 * A command run by the job helper (job-helper.c): cmd.exe in a Job Object that only the helper
 * holds, so the kernel ends the whole tree when the helper ends, on every path. The helper is
 * started detached: libuv puts its other children in a job of its own that dies with
 * mcp-launch, and the helper must outlive mcp-launch long enough to end the tree and remove the
 * temp directory (it attaches to mcp-launch's console itself, for CTRL_BREAK); its stdin carries our commands (`go`, `break`, `kill`, `count`, `pids`, `tmp`), its
 * fd 3 the answers (`pid`, `exit`, `count`, `pids`, `error`), its stdout/stderr are the command's.
 */
/** A tree in a job: its members can be listed (the job's process ids). */
export type JobTree = ProcessTree & {members(): Promise<number[]>};

export function spawnJobTree(helper: string, options: SpawnTreeOptions, listenersOf: (pids: readonly number[]) => Listener[]): JobTree {
	const child = spawn(helper, [options.command], {cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], windowsHide: true, detached: true});
	const control = child.stdin!;
	control.on('error', () => {}); // EPIPE: the helper is gone, and with it the tree.
	const send = (line: string) => {
		if (control.writable) {
			control.write(`${line}\n`);
		}
	};

	const waiting: Record<'count' | 'pids', Array<(words: string[]) => void>> = {count: [], pids: []};
	let pid: number | undefined;
	let helperGone = false;
	let helperExited: () => void = () => {};
	const helperDone = new Promise<void>(resolve => {
		helperExited = resolve;
	});
	let released = false;
	let settleStart: () => void = () => {};
	let settleExit: (exit: TreeExit) => void = () => {};
	const started = new Promise<void>(resolve => {
		settleStart = resolve;
	});
	const exited = new Promise<TreeExit>(resolve => {
		settleExit = exit => {
			settleStart();
			resolve(exit);
		};
	});

	const answer = (line: string) => {
		const [verb = '', ...words] = line.trim().split(' ');
		if (verb === 'pid') {
			pid = Number(words[0]);
			settleStart();
		} else if (verb === 'exit') {
			settleExit({code: Number(words[0]), signal: undefined});
		} else if (verb === 'error') {
			settleExit({code: undefined, signal: undefined, spawnError: `the job helper could not ${words[0] ?? 'start'} the command (Windows error ${words[1] ?? '?'})`});
		} else if (verb === 'count' || verb === 'pids') {
			waiting[verb].shift()?.(words);
		}
	};

	readLines(child.stdio[3] as Readable | null, answer);
	const ended = () => {
		helperGone = true; // Its job handle closed: the kernel has ended the tree.
		helperExited();
		for (const queue of Object.values(waiting)) {
			for (const resolve of queue.splice(0)) {
				resolve(['0']);
			}
		}
	};

	child.once('error', error => {
		ended();
		settleExit({code: undefined, signal: undefined, spawnError: error.message});
	});
	child.once('exit', ended);
	// After its answers are read, so the command's own `exit` line wins. Only a helper killed
	// before the command ended gets here: the kernel ended the command with it, as by a kill.
	child.once('close', () => settleExit({code: undefined, signal: 'SIGKILL'}));

	const ask = async (verb: 'count' | 'pids'): Promise<string[]> => {
		if (helperGone) {
			return verb === 'count' ? ['0'] : [];
		}

		return new Promise(resolve => {
			waiting[verb].push(resolve);
			send(verb);
		});
	};

	const members = async () => (await ask('pids')).map(Number).filter(Number.isInteger);
	const tree: JobTree = {
		members,
		get pid() {
			return pid;
		},
		started,
		stdout: child.stdout ?? new PassThrough().end(),
		stderr: child.stderr ?? new PassThrough().end(),
		exited,
		gone: helperDone, // Job handles are not ids anyone can reuse: nothing to forget before that.
		release() {
			released = true;
			send('go');
		},
		stopGracefully() {
			send(released ? 'break' : 'kill'); // A held command has run nothing: there is nothing to ask.
		},
		killTree() {
			send('kill');
		},
		async isGone() {
			return Number((await ask('count'))[0]) === 0;
		},
		async listeners() {
			const pids = await members();
			return pids.length === 0 ? [] : listenersOf(pids);
		},
		async stop(graceMs) {
			return stopTree(tree, released ? graceMs : 0, exited);
		},
		removeOnOrphan(directory) {
			send(`tmp ${directory}`);
		},
		async dispose() {
			control.end();
			return helperDone;
		},
	};
	return tree;
}

/** Call `onLine` for every line of a stream (the helper's answers). */
export function readLines(stream: Readable | null, onLine: (line: string) => void): void {
	if (!stream) {
		return;
	}

	let rest = '';
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		const lines = (rest + chunk).split('\n');
		rest = lines.pop()!;
		for (const line of lines) {
			onLine(line);
		}
	});
	stream.on('error', () => {});
}
