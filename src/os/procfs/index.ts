// Linux: every fact from /proc.
import {createPosixOs} from '../posix/posix-os.js';
import type {PosixEvidence, ProcessRef} from '../posix/evidence.js';
import type {Os} from '../types.js';
import {listenersOf, portListeners} from './proc-net.js';
import {allStats, groupMembers, isZombie, readProcStat} from './proc-stat.js';

/** The process and every descendant it has now, by parent pid (each stat read once). */
function descendants(root: number): ProcessRef[] {
	const children = new Map<number, number[]>();
	const starts = new Map<number, string | undefined>();
	for (const stat of allStats()) {
		children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat.pid]);
		starts.set(stat.pid, isZombie(stat) ? undefined : stat.startTime);
	}

	const tree: ProcessRef[] = [];
	const queue = [root];
	for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
		tree.push({pid, start: starts.get(pid)});
		queue.push(...(children.get(pid) ?? []));
	}

	return tree;
}

export const procfsEvidence: PosixEvidence = {
	liveMembers: pgid => groupMembers(pgid).map(stat => stat.pid),
	liveMembersEveryMs: 0,
	portListeners,
	groupListeners: pgid => listenersOf(groupMembers(pgid).map(stat => stat.pid)),
	descendants,
	startOf(pid) {
		const stat = readProcStat(pid);
		return stat && !isZombie(stat) ? stat.startTime : undefined;
	},
	inTerminalForeground(stdinIsTty) {
		// tpgid = pgrp: this process's group is its terminal's foreground group.
		const stat = readProcStat('self');
		return stat ? stat.tpgid > 0 && stat.tpgid === stat.pgrp : stdinIsTty;
	},
};

export const createProcfsOs = (): Os => createPosixOs('procfs', procfsEvidence);
