import {defaultEvidenceSource, type EvidenceSource} from '../platform.js';
import {readProcStat} from './process-group.js';

export type ForegroundOptions = {
	/** `procfs` reads /proc/self/stat (Linux); otherwise (macOS) a TTY on stdin is the hint. Default from `process.platform`. */
	source?: EvidenceSource | undefined;
	/** Whether stdin is a terminal; default `process.stdin.isTTY`. */
	stdinIsTty?: boolean;
};

/**
 * Whether this process belongs to the foreground process group of its controlling
 * terminal. Then a Ctrl-C typed there reached the whole group, the client included, and
 * must not be forwarded a second time. Linux reads /proc (tpgid = pgrp); elsewhere a TTY on
 * stdin is the best available hint (wrong only for a job put in the background of an
 * interactive shell and sent SIGINT by hand: that one is then left to the client).
 */
export function inTerminalForeground({source = defaultEvidenceSource(), stdinIsTty}: ForegroundOptions = {}): boolean {
	if (source === 'procfs') {
		const stat = readProcStat('self');
		if (stat) {
			return stat.tpgid > 0 && stat.tpgid === stat.pgrp;
		}
	}

	return stdinIsTty ?? process.stdin.isTTY === true;
}
