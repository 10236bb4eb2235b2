import {readFileSync} from 'node:fs';
import {waitFor} from './wait.js';

/** Process state letter from /proc/PID/stat (Linux), undefined when there is no such process. */
function procState(pid: number): string | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
	} catch {
		return undefined;
	}
}

/** True when the process exists and is not a zombie (a zombie has already exited). */
export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EPERM') return true;
		return false;
	}
	if (process.platform === 'linux') {
		const state = procState(pid);
		if (state === undefined || state === 'Z' || state === 'X') return false;
	}
	return true;
}

/** Waits (bounded) until every pid is gone; fails listing the survivors. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<void> {
	try {
		await waitFor(() => pids.every((pid) => !isAlive(pid)), {timeoutMs, what: `pids ${pids.join(', ')} to be gone`});
	} catch {
		const alive = pids.filter((pid) => isAlive(pid));
		throw new Error(`still alive after ${timeoutMs} ms: ${alive.map((pid) => `${pid} (${describe(pid)})`).join(', ')}`);
	}
}

function describe(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
	} catch {
		return '?';
	}
}

/** SIGKILLs a pid if it is still alive; never throws. */
export function killHard(pid: number | undefined): void {
	if (pid === undefined || !isAlive(pid)) return;
	try {
		process.kill(pid, 'SIGKILL');
	} catch {
		// gone in between
	}
}
