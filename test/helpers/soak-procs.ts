// Leftover detection for the orphan specs and the fault soak: which processes of a run are still
// alive, found four ways (a process can escape one of them, not all four):
//   * by pid: every pid the fixtures reported (wrapper, its child, server, client) and the launcher;
//   * by process group: the server's group (teardown signals -pgid) and, for a detached launcher,
//     the launcher's own group (the client runs in it);
//   * by command line: every fixture gets `--report <run dir>/...`, so any process whose argv
//     mentions the run's private directory belongs to the run (also catches unreported layers);
//   * the guardian of a launcher: `/bin/sh -c <script> mcp-launch-guardian <grace in seconds> <launcher pid>`.
// Zombies do not count: they have exited (here PID 1 does not reap orphans, so a SIGKILLed
// launcher's children stay zombies forever).
import {readdirSync, readFileSync} from 'node:fs';
import {setTimeout as delay} from 'node:timers/promises';
import {portIsFree} from './net.js';

export interface ProcInfo {
	pid: number;
	ppid: number;
	pgrp: number;
	state: string;
	argv: string[];
}

function readProc(pid: number): ProcInfo | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		let argv: string[] = [];
		try {
			argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((word) => word !== '');
		} catch {
			// exiting right now
		}
		return {pid, ppid: Number(ppid), pgrp: Number(pgrp), state: state ?? '?', argv};
	} catch {
		return undefined;
	}
}

/** Every live (not zombie, not dead) process except this one. */
export function liveProcesses(): ProcInfo[] {
	const out: ProcInfo[] = [];
	for (const name of readdirSync('/proc')) {
		const code = name.charCodeAt(0);
		if (code < 48 || code > 57) continue;
		const pid = Number(name);
		if (pid === process.pid) continue;
		const info = readProc(pid);
		if (info && info.state !== 'Z' && info.state !== 'X') out.push(info);
	}
	return out;
}

/** What belongs to one run. */
export interface RunFootprint {
	/** Reported pids (server tree, client, launcher). */
	pids?: Iterable<number>;
	/** Process groups that must be empty (never the test runner's own group). */
	groups?: Iterable<number>;
	/** A string that appears in the argv of every process of the run (its private directory). */
	marker?: string;
	/** Launcher pids whose guardian must be gone too. */
	guardianOf?: Iterable<number>;
}

export type LeftoverKind = 'pid' | 'group' | 'marker' | 'guardian';

export interface Leftover extends ProcInfo {
	why: LeftoverKind[];
}

export function isGuardian(info: ProcInfo, launcherPid?: number): boolean {
	const at = info.argv.indexOf('mcp-launch-guardian');
	return at > 0 && (launcherPid === undefined || info.argv[at + 2] === String(launcherPid));
}

/** Live processes of the run, each with the reasons it was matched. */
export function findLeftovers(footprint: RunFootprint): Leftover[] {
	const pids = new Set(footprint.pids ?? []);
	const groups = new Set([...(footprint.groups ?? [])].filter((g) => Number.isInteger(g) && g > 1));
	const guarded = new Set([...(footprint.guardianOf ?? [])].map(String));
	const out: Leftover[] = [];
	for (const info of liveProcesses()) {
		const why: LeftoverKind[] = [];
		if (pids.has(info.pid)) why.push('pid');
		if (groups.has(info.pgrp)) why.push('group');
		if (footprint.marker && info.argv.some((word) => word.includes(footprint.marker!))) why.push('marker');
		const at = info.argv.indexOf('mcp-launch-guardian');
		if (at > 0 && guarded.has(info.argv[at + 2] ?? '')) why.push('guardian');
		if (why.length > 0) out.push({...info, why});
	}
	return out;
}

export const describeLeftover = (p: Leftover): string =>
	`pid ${p.pid} (ppid ${p.ppid}, pgrp ${p.pgrp}, ${p.state}, via ${p.why.join('+')}): ${p.argv.join(' ').slice(0, 160)}`;

/**
 * Polls (bounded) until nothing of the run is alive; resolves with what is still alive at the
 * deadline (empty: all gone) and how long it took.
 */
export async function waitNothingLeft(footprint: RunFootprint, timeoutMs: number): Promise<{left: Leftover[]; ms: number}> {
	const start = performance.now();
	let pause = 2;
	for (;;) {
		const left = findLeftovers(footprint);
		const ms = performance.now() - start;
		if (left.length === 0 || ms >= timeoutMs) return {left, ms};
		await delay(Math.min(pause, Math.max(1, timeoutMs - ms)));
		pause = Math.min(pause * 2, 25);
	}
}

/** Polls (bounded) until 127.0.0.1:port can be bound; true when it is free. */
export async function waitPortFree(port: number, timeoutMs: number): Promise<boolean> {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		if (await portIsFree(port)) return true;
		if (performance.now() >= deadline) return false;
		await delay(10);
	}
}

/** SIGKILLs every listed process; never throws. */
export function killAll(processes: Iterable<{pid: number}>): void {
	for (const {pid} of processes) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// gone already
		}
	}
}

/** Live children of `ppid` (argv read only for those: cheap enough to poll). */
export function childrenOf(ppid: number): ProcInfo[] {
	const out: ProcInfo[] = [];
	for (const name of readdirSync('/proc')) {
		const code = name.charCodeAt(0);
		if (code < 48 || code > 57) continue;
		let stat: string;
		try {
			stat = readFileSync(`/proc/${name}/stat`, 'utf8');
		} catch {
			continue;
		}
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[1]) !== ppid || fields[0] === 'Z') continue;
		const info = readProc(Number(name));
		if (info) out.push(info);
	}
	return out;
}
