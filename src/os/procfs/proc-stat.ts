// /proc/PID/stat, parsed in this one place (the group's members, zombies, the client's tree,
// the foreground rule all read it).
import {readdirSync, readFileSync} from 'node:fs';

/** Fields of /proc/PID/stat; those after the `(comm)` field, which may itself hold spaces and parens. */
export type ProcStat = {pid: number; state: string; ppid: number; pgrp: number; session: number; ttyNr: number; tpgid: number; startTime: string | undefined};

export function parseProcStat(text: string): ProcStat | undefined {
	const open = text.indexOf('(');
	const close = text.lastIndexOf(')');
	if (open < 0 || close < 0) {
		return undefined;
	}

	const fields = text.slice(close + 2).split(' ');
	const [state, ppid, pgrp, session, ttyNr, tpgid] = fields;
	return {
		pid: Number(text.slice(0, open).trim()),
		state: state ?? '?',
		ppid: Number(ppid),
		pgrp: Number(pgrp),
		session: Number(session),
		ttyNr: Number(ttyNr),
		tpgid: Number(tpgid),
		startTime: fields[19], // Clock ticks since boot: with the pid, one process for ever.
	};
}

export function readProcStat(pid: number | 'self'): ProcStat | undefined {
	try {
		return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch {
		return undefined;
	}
}

/** Whether a stat is of a process that has exited (a zombie, or dead). */
export const isZombie = (stat: ProcStat): boolean => stat.state === 'Z' || stat.state === 'X';

/** Every process /proc shows, each stat read once (empty when /proc cannot be read). */
export function allStats(): ProcStat[] {
	let names: string[];
	try {
		names = readdirSync('/proc');
	} catch {
		return [];
	}

	const stats: ProcStat[] = [];
	for (const name of names) {
		if (name.charCodeAt(0) <= 57) { // A pid directory.
			const stat = readProcStat(Number(name));
			if (stat) {
				stats.push(stat);
			}
		}
	}

	return stats;
}

/**
 * A zombie leader whose other threads still run: the process is still exiting (a
 * multithreaded Node exits thread by thread) and still holds its files, its listening socket
 * among them. It is gone once its last thread is.
 */
export function stillExiting(pid: number): boolean {
	try {
		return readdirSync(`/proc/${pid}/task`).length > 1;
	} catch {
		return false;
	}
}

/** Live members of a process group (a zombie leader still exiting counts). */
export function groupMembers(pgid: number): ProcStat[] {
	return allStats().filter(stat => stat.pgrp === pgid && (!isZombie(stat) || stillExiting(stat.pid)));
}
