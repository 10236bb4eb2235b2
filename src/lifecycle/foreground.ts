import {readProcStat} from './process-group.js';

/**
 * Whether this process belongs to the foreground process group of its controlling
 * terminal. Then a Ctrl-C typed there reached the whole group, the client included, and
 * must not be forwarded a second time. Linux reads /proc; elsewhere a TTY on stdin is the
 * best available hint.
 */
export function inTerminalForeground(): boolean {
	if (process.platform === 'linux') {
		const stat = readProcStat('self');
		if (stat) {
			return stat.tpgid > 0 && stat.tpgid === stat.pgrp;
		}
	}

	return process.stdin.isTTY === true;
}
