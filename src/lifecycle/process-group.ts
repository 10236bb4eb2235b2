import {readdirSync, readFileSync} from 'node:fs';
import {liveGroupMembers} from '../diagnose/lsof.js';
import {defaultEvidenceSource, type EvidenceSource} from '../platform.js';

/** Fields of /proc/PID/stat after the `(comm)` field, which may itself hold spaces and parens. */
export type ProcStat = {pid: number; state: string; ppid: number; pgrp: number; session: number; ttyNr: number; tpgid: number};

export function parseProcStat(text: string): ProcStat | undefined {
	const open = text.indexOf('(');
	const close = text.lastIndexOf(')');
	if (open < 0 || close < 0) {
		return undefined;
	}

	const [state, ppid, pgrp, session, ttyNr, tpgid] = text.slice(close + 2).split(' ');
	return {
		pid: Number(text.slice(0, open).trim()),
		state: state ?? '?',
		ppid: Number(ppid),
		pgrp: Number(pgrp),
		session: Number(session),
		ttyNr: Number(ttyNr),
		tpgid: Number(tpgid),
	};
}

export function readProcStat(pid: number | 'self'): ProcStat | undefined {
	try {
		return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Live (non-zombie) members of a process group, from /proc. Linux only. */
export function groupMembers(pgid: number): ProcStat[] {
	const members: ProcStat[] = [];
	for (const name of readdirSync('/proc')) {
		if (name.charCodeAt(0) > 57) {
			continue; // Not a pid directory.
		}

		const stat = readProcStat(Number(name));
		if (stat?.pgrp === pgid && (stat.state !== 'Z' && stat.state !== 'X' || stillExiting(stat.pid))) {
			members.push(stat);
		}
	}

	return members;
}

/**
 * A zombie leader whose other threads still run: the process is still exiting (a
 * multithreaded Node exits thread by thread) and still holds its files, its listening socket
 * among them. It is gone once its last thread is.
 */
function stillExiting(pid: number): boolean {
	try {
		return readdirSync(`/proc/${pid}/task`).length > 1;
	} catch {
		return false;
	}
}

/** Whether `kill(-pgid, 0)` finds any member, zombies included. Cheap: one syscall. */
function groupSignalable(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Where zombies are told apart: /proc (Linux) or `lsof` (macOS). */
export type GroupOptions = {source?: EvidenceSource | undefined};

/**
 * Whether any process of the group is still running. `kill(-pgid, 0)` also counts
 * zombies, which never go away where PID 1 does not reap orphans (some containers):
 * /proc tells them apart on Linux, `lsof -g` (which lists no zombie) on macOS. When
 * neither can answer, every member counts as alive.
 */
export function groupAlive(pgid: number, {source = defaultEvidenceSource()}: GroupOptions = {}): boolean {
	if (!groupSignalable(pgid)) {
		return false;
	}

	if (source === 'procfs') {
		return groupMembers(pgid).length > 0;
	}

	if (source === 'lsof') {
		return (liveGroupMembers(pgid)?.length ?? 1) > 0;
	}

	return true;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pgid, signal);
	} catch {
		// ESRCH: already gone.
	}
}

/**
 * After this long, or once the leader is gone, members that `kill(-pgid, 0)` still finds may
 * be orphans that died and wait, as zombies, for a PID 1 that is slow to reap (or never does):
 * then /proc (or lsof) is asked to tell them apart.
 */
const zombieSuspicionMs = 20;

/** lsof costs a process spawn (tens of ms): ask it at most this often, not on every poll. */
const lsofEveryMs = 100;

/**
 * Poll until the group is gone or `ms` have passed; true when gone. Polls with the cheap
 * signal check (1 ms, doubling to 20 ms); `wake` (e.g. the leader's exit) checks at once.
 */
export async function waitGroupGone(pgid: number, ms: number, wake?: Promise<unknown>, {source = defaultEvidenceSource()}: GroupOptions = {}): Promise<boolean> {
	const start = performance.now();
	let lastZombieCheck = -Infinity;
	const zombieCheck = (now: number) => {
		if (source === 'lsof' && now - lastZombieCheck < lsofEveryMs) {
			return groupSignalable(pgid);
		}

		lastZombieCheck = now;
		return groupAlive(pgid, {source});
	};

	const deadline = start + ms;
	let pause = 1;
	let woken = false;
	void wake?.then(() => {
		woken = true;
	});
	for (;;) {
		const now = performance.now();
		const alive = now - start < zombieSuspicionMs && !woken ? groupSignalable(pgid) : zombieCheck(now);
		if (!alive) {
			return true;
		}

		const left = deadline - now;
		if (left <= 0) {
			return false;
		}

		let timer: NodeJS.Timeout | undefined;
		// eslint-disable-next-line no-await-in-loop
		await Promise.race([
			new Promise(resolve => {
				timer = setTimeout(resolve, Math.min(pause, left));
			}),
			...(wake && !woken ? [wake] : []),
		]);
		clearTimeout(timer);
		pause = Math.min(pause * 2, 20);
	}
}

/** A group watched for the moment it is empty; see {@link watchGroupGone}. */
export type GroupWatch = {
	/** Resolves once the group is known empty. */
	readonly gone: Promise<void>;
	isGone(): boolean;
	/** Stop looking (teardown takes over); `gone` then resolves only if `markGone` is called. */
	stop(): void;
	/** Teardown saw it empty. */
	markGone(): void;
};

/** How often an emptying group is looked at after its leader exited (one kill(-pgid, 0) each). */
const goneEveryMs = 100;

/**
 * Watch a group for the moment it is empty (`kill(-pgid, 0)` fails with ESRCH; zombies still
 * count, as they still hold the id): looked at as soon as the leader exits, then every 100 ms
 * while members are left. Only an empty group's id can be handed to a new process, so once it
 * is gone nothing may signal it again: the id may belong to an unrelated process by then.
 */
export function watchGroupGone(pgid: number, leaderExited: Promise<unknown>): GroupWatch {
	let gone = false;
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	let resolveGone: () => void = () => {};
	const promise = new Promise<void>(resolve => {
		resolveGone = resolve;
	});
	const markGone = () => {
		clearInterval(timer);
		if (!gone) {
			gone = true;
			resolveGone();
		}
	};

	const look = () => {
		if (!stopped && !gone && !groupSignalable(pgid)) {
			markGone();
		}
	};

	void leaderExited.then(() => {
		look();
		if (!gone && !stopped) {
			timer = setInterval(look, goneEveryMs);
			timer.unref();
		}
	});
	return {
		gone: promise,
		isGone: () => gone,
		stop() {
			stopped = true;
			clearInterval(timer);
		},
		markGone,
	};
}

export type TerminateResult = {
	/** The last signal that had to be sent, or undefined when the group was already gone. */
	signal: 'SIGTERM' | 'SIGKILL' | undefined;
	durationMs: number;
	/** True when members survived even SIGKILL (uninterruptible sleep, or a different owner). */
	leftover: boolean;
};

/** How long to wait for SIGKILL to take effect before reporting a leftover. */
const killSettleMs = 2_000;

/**
 * Terminate a whole process group: SIGTERM, then SIGKILL after `killTimeoutMs`, and resolve
 * only once no member is left (bounded: it never hangs).
 */
export async function terminateGroup(pgid: number, killTimeoutMs: number, leaderExited?: Promise<unknown>, options: GroupOptions = {}): Promise<TerminateResult> {
	const start = performance.now();
	if (!Number.isInteger(pgid) || pgid <= 1 || !groupSignalable(pgid)) {
		return {signal: undefined, durationMs: 0, leftover: false};
	}

	if (killTimeoutMs > 0) {
		signalGroup(pgid, 'SIGTERM');
		if (await waitGroupGone(pgid, killTimeoutMs, leaderExited, options)) {
			return {signal: 'SIGTERM', durationMs: performance.now() - start, leftover: false};
		}
	}

	signalGroup(pgid, 'SIGKILL');
	const gone = await waitGroupGone(pgid, killSettleMs, undefined, options);
	return {signal: 'SIGKILL', durationMs: performance.now() - start, leftover: !gone};
}
