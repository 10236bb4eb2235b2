import type {ChildProcess} from 'node:child_process';
import {PassThrough} from 'node:stream';
import {stopTree} from '../stop-tree.js';
import type {ProcessTree, SpawnTreeOptions, TreeExit} from '../types.js';
import type {PosixEvidence} from './evidence.js';
import {spawnHeldShell} from './held-shell.js';

/** Whether `kill(-pgid, 0)` finds any member, zombies included. Cheap: one syscall. */
export function groupSignalable(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// ESRCH: already gone.
	}
}

/**
 * For this long after a signal, while the leader runs, `kill(-pgid, 0)` alone answers "is it
 * gone": only after it, or once the leader is gone, can members it still finds be orphans that
 * died and wait, as zombies, for a PID 1 that is slow to reap (or never does).
 */
const zombieSuspicionMs = 20;

/** How often an emptying group is looked at after its leader exited (one kill(-pgid, 0) each). */
const goneEveryMs = 100;

/**
 * A command run by /bin/sh in a session and process group of its own (`detached`: setsid), so a
 * Ctrl-C on the terminal never reaches it and a signal to the group reaches all of it, with
 * stdin from /dev/null. Held: the shell reads a line before it runs the command, so if
 * mcp-launch dies before release() the read sees EOF and nothing ran.
 *
 * "Gone" is `kill(-pgid, 0)` failing (ESRCH); when it succeeds late in a wait, zombies are told
 * apart by the evidence (/proc, or lsof, which lists no zombie). Once the group is known empty
 * (`gone`), its id may be reused by anyone: it is never signalled again.
 */
export function spawnGroupTree(options: SpawnTreeOptions, evidence: PosixEvidence, adopt?: ChildProcess): ProcessTree {
	const child = adopt ?? spawnHeldShell(options);
	const pgid = child.pid;
	let leaderExited = false;
	const exited = new Promise<TreeExit>(resolve => {
		child.once('exit', (code, signal) => {
			leaderExited = true;
			resolve({code: code ?? undefined, signal: signal ?? undefined});
		});
		child.once('error', error => {
			leaderExited = true;
			resolve({code: undefined, signal: undefined, spawnError: error.message});
		});
		if (child.exitCode !== null || child.signalCode !== null) { // An adopted shell may be gone already.
			leaderExited = true;
			resolve({code: child.exitCode ?? undefined, signal: child.signalCode ?? undefined});
		}
	});

	let known = false; // Known empty: never signalled again.
	let resolveGone: () => void = () => {};
	const gone = new Promise<void>(resolve => {
		resolveGone = resolve;
	});
	const markGone = () => {
		clearInterval(watch);
		if (!known) {
			known = true;
			resolveGone();
		}
	};

	// The group watched from the leader's exit on (while the client runs, a server may end by itself).
	let watching = true;
	let watch: NodeJS.Timeout | undefined;
	const look = () => {
		if (watching && !known && (pgid === undefined || !groupSignalable(pgid))) {
			markGone();
		}
	};

	void exited.then(() => {
		look();
		if (!known && watching) {
			watch = setInterval(look, goneEveryMs);
			watch.unref();
		}
	});

	const group = processGroup(pgid, evidence, () => leaderExited || known);
	const tree: ProcessTree = {
		pid: pgid,
		started: Promise.resolve(),
		stdout: child.stdout ?? new PassThrough().end(),
		stderr: child.stderr ?? new PassThrough().end(),
		exited,
		gone,
		release() {
			child.stdin?.end('go\n');
		},
		stopGracefully: () => !known && group.stopGracefully(),
		killTree: () => !known && group.killTree(),
		isGone: async () => known || group.isGone(),
		async listeners() {
			return pgid === undefined || known ? [] : evidence.groupListeners(pgid);
		},
		async stop(graceMs) {
			watching = false;
			clearInterval(watch);
			if (pgid === undefined || pgid <= 1 || known) {
				return {step: undefined, durationMs: 0, leftover: false};
			}

			const stopped = await group.stop(graceMs, exited);
			if (!stopped.leftover) {
				markGone();
			}

			return stopped;
		},
		removeOnOrphan() {}, // The guardian removes it (it is told the directory itself).
		async dispose() {
			child.stdin?.end();
		},
	};
	return tree;
}

/** A process group as stop-tree.ts drives it; `settled()`: its leader has exited (zombies may be all that is left). */
export type ProcessGroup = Pick<ProcessTree, 'stopGracefully' | 'killTree'> & {
	isGone(): boolean;
	stop(graceMs: number, wake?: Promise<unknown>): ReturnType<ProcessTree['stop']>;
};

/**
 * Signals to a process group and the "is it gone" rule: `kill(-pgid, 0)` failing (ESRCH);
 * when it succeeds late in a wait (20 ms after a signal, or once the leader is gone), zombies
 * are told apart by the evidence, asked at most every `liveMembersEveryMs`.
 */
export function processGroup(pgid: number | undefined, evidence: PosixEvidence, settled: () => boolean = () => false): ProcessGroup {
	let stepAt = -Infinity;
	let askedAt = -Infinity;
	const isGone = (): boolean => {
		if (pgid === undefined || !groupSignalable(pgid)) {
			return true;
		}

		const now = performance.now();
		if ((now - stepAt < zombieSuspicionMs && !settled()) || now - askedAt < evidence.liveMembersEveryMs) {
			return false;
		}

		askedAt = now;
		return (evidence.liveMembers(pgid)?.length ?? 1) === 0;
	};

	const signal = (name: NodeJS.Signals) => {
		if (pgid !== undefined && pgid > 1) {
			stepAt = performance.now();
			askedAt = -Infinity;
			signalGroup(pgid, name);
		}
	};

	const group: ProcessGroup = {
		isGone,
		stopGracefully: () => signal('SIGTERM'),
		killTree: () => signal('SIGKILL'),
		async stop(graceMs, wake) {
			stepAt = performance.now(); // The first look is the cheap one while the leader runs.
			return stopTree({isGone: async () => isGone(), stopGracefully: group.stopGracefully, killTree: group.killTree}, graceMs, wake);
		},
	};
	return group;
}
