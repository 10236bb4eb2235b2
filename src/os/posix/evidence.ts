import type {Listener} from '../types.js';

/** A process as it was when looked at: its pid and start time, so a reused pid is never signalled. */
export type ProcessRef = {pid: number; start: string | undefined};

/**
 * What a Unix implementation reads from the system: /proc (procfs) or lsof (macOS), or
 * nothing (an unsupported platform reached through the library). The process groups, signals
 * and the guardian are the same for all of them (posix/).
 */
export type PosixEvidence = {
	/** Live (non-zombie) members of a process group, by pid; undefined when it cannot be told (all count as alive). */
	liveMembers(pgid: number): number[] | undefined;
	/** The least time between two `liveMembers` calls for one group (lsof costs a process spawn). */
	readonly liveMembersEveryMs: number;
	portListeners(port: number): Listener[];
	groupListeners(pgid: number): Listener[];
	/** The process and every descendant it has now; the process alone where that cannot be told. */
	descendants(pid: number): ProcessRef[];
	/** The start time of a live, non-zombie process (undefined: gone, or not known). */
	startOf(pid: number): string | undefined;
	/** Whether this process is in its terminal's foreground process group. */
	inTerminalForeground(stdinIsTty: boolean): boolean;
};
