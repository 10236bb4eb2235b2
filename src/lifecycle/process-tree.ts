import {readdirSync, readFileSync} from 'node:fs';

/** A process as it was when looked at: its pid and start time, so a reused pid is never signalled. */
export type ProcessRef = {pid: number; start: string | undefined};

function statFields(pid: number): string[] | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return text.slice(text.lastIndexOf(')') + 2).split(' ');
	} catch {
		return undefined;
	}
}

/** Start time (clock ticks since boot) of a live, non-zombie process; undefined when gone. */
function startOf(pid: number): string | undefined {
	const fields = statFields(pid);
	return fields && fields[0] !== 'Z' && fields[0] !== 'X' ? fields[19] : undefined;
}

/**
 * The process and every descendant it has now, from /proc (Linux). The client runs in
 * mcp-launch's own process group (it owns the terminal, so Ctrl-C reaches it), so its tree
 * cannot be reached as a group: it is looked up by parent pid. Where there is no /proc, the
 * tree is the process alone.
 */
export function processTree(root: number, hasProc = process.platform === 'linux'): ProcessRef[] {
	if (!hasProc) {
		return [{pid: root, start: undefined}];
	}

	const children = new Map<number, number[]>();
	let names: string[] = [];
	try {
		names = readdirSync('/proc');
	} catch {}

	for (const name of names) {
		const pid = Number(name);
		const ppid = Number.isInteger(pid) ? Number(statFields(pid)?.[1]) : Number.NaN;
		if (Number.isInteger(ppid)) {
			children.set(ppid, [...(children.get(ppid) ?? []), pid]);
		}
	}

	const tree: ProcessRef[] = [];
	const queue = [root];
	for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
		tree.push({pid, start: startOf(pid)});
		queue.push(...(children.get(pid) ?? []));
	}

	return tree;
}

/** Whether the process is still the one that was looked at, and not a zombie. */
export function stillRunning(ref: ProcessRef): boolean {
	try {
		process.kill(ref.pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}

	return ref.start === undefined ? true : startOf(ref.pid) === ref.start;
}

export function signalTree(tree: readonly ProcessRef[], signal: NodeJS.Signals): void {
	for (const ref of tree) {
		if (stillRunning(ref)) {
			try {
				process.kill(ref.pid, signal);
			} catch {}
		}
	}
}

/** Poll (1 ms doubling to 20 ms) until none of the tree runs, or `ms` passed; true when gone. */
export async function waitTreeGone(tree: readonly ProcessRef[], ms: number): Promise<boolean> {
	const deadline = performance.now() + ms;
	for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
		if (!tree.some(ref => stillRunning(ref))) {
			return true;
		}

		const left = deadline - performance.now();
		if (left <= 0) {
			return false;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, Math.min(pause, left));
		});
	}
}
