// Loaded into every spec file's process by `npm test` (`node --import ./test/helpers/file-bound.ts
// --test --test-timeout=N`): a spec file ends within its bound, and leaves no process behind.
//
// node's runner passes --test-timeout to each file's process, where it bounds every test that sets
// no timeout of its own; node 20 also bounds the file as a whole with it, from the runner's side,
// by a SIGTERM to the file's process. That alone would leave behind whatever the file started:
// servers in process groups and sessions of their own, mcp-launch and its guardian. So here:
//   * the file ends itself a little before the runner would (95 % of N): the failure names the file;
//   * on SIGTERM/SIGINT/SIGHUP (the runner's bound, a Ctrl-C) it ends the same way;
//   * either way, and at a normal exit too, every process the file started is killed: its
//     descendants (by parent pid) and every process that carries this file's marker in its
//     environment (children inherit it, even after their parent died and they were re-parented).
// Only processes this file started are touched: the marker holds its pid and start time.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';

const MARKER = 'MCP_LAUNCH_TEST_OWNER';

type Proc = {pid: number; ppid: number; state: string; argv: string};

function readProc(pid: number): Proc | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const [state = '?', ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		let argv = '';
		try {
			argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/[\0-\x1f\x7f]+/g, ' ').trim();
		} catch {}
		return {pid, ppid: Number(ppid), state, argv};
	} catch {
		return undefined;
	}
}

function marked(pid: number, mark: string): boolean {
	try {
		return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(mark);
	} catch {
		return false;
	}
}

/** Live processes this file started: descendants of this process, and every marked process. */
export function ownedProcesses(mark: string): Proc[] {
	const all: Proc[] = [];
	for (const name of readdirSync('/proc')) {
		const code = name.charCodeAt(0);
		if (code < 48 || code > 57 || Number(name) === process.pid) continue;
		const proc = readProc(Number(name));
		// tsx's own esbuild service is the loader's, not the spec's: it ends with this process.
		if (proc && proc.state !== 'Z' && proc.state !== 'X' && !/\/esbuild --service=/.test(proc.argv)) all.push(proc);
	}
	const owned = new Set<number>();
	let grew = true;
	while (grew) {
		grew = false;
		for (const proc of all) {
			if (!owned.has(proc.pid) && (proc.ppid === process.pid || owned.has(proc.ppid))) {
				owned.add(proc.pid);
				grew = true;
			}
		}
	}
	return all.filter((proc) => owned.has(proc.pid) || marked(proc.pid, mark));
}

/** Stop everything owned (so nothing forks or reacts any more), then SIGKILL it. */
function sweep(mark: string): Proc[] {
	const found = new Map<number, Proc>();
	for (let round = 0; round < 5; round++) {
		const fresh = ownedProcesses(mark).filter((proc) => !found.has(proc.pid));
		if (fresh.length === 0) break;
		for (const proc of fresh) {
			found.set(proc.pid, proc);
			signal(proc.pid, 'SIGSTOP');
		}
	}
	for (const pid of found.keys()) signal(pid, 'SIGKILL');
	return [...found.values()];
}

const describe = (procs: readonly Proc[]): string => procs.map((proc) => `${proc.pid} (${proc.argv.slice(0, 120)})`).join(', ');

function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {
		// gone in between
	}
}

function startTime(): string {
	const stat = readFileSync('/proc/self/stat', 'utf8');
	return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
}

/** The bound for the whole file: a little under the runner's --test-timeout, so this side acts first. */
function fileBoundMs(): number | undefined {
	const flag = process.execArgv.find((arg) => arg.startsWith('--test-timeout='));
	const ms = flag ? Number(flag.slice('--test-timeout='.length)) : Number.NaN;
	return Number.isFinite(ms) && ms > 0 ? Math.floor(ms * 0.95) : undefined;
}

function install(): void {
	const mark = `${MARKER}=${process.pid}:${startTime()}`;
	process.env[MARKER] = mark.slice(MARKER.length + 1);
	const file = path.relative(process.cwd(), process.argv[1] ?? '?');
	let ending = false;
	const end = (why: string, code: number) => {
		if (ending) return;
		ending = true;
		const killed = sweep(mark);
		process.stderr.write(`spec file ${file} ${why}: it failed; killed ${killed.length} process(es) it started${killed.length > 0 ? `: ${describe(killed)}` : ''}\n`);
		process.exit(code);
	};
	const bound = fileBoundMs();
	if (bound !== undefined) setTimeout(() => end(`still running after its bound (${bound} ms, 95% of --test-timeout)`, 1), bound).unref();
	for (const [name, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
		process.once(name, () => end(`was ended by ${name} (the runner's --test-timeout, or an interrupt)`, code));
	}
	process.once('exit', () => {
		if (ending) return;
		// A spec that left a process running is a bug of that spec: say so, and leave nothing.
		const killed = sweep(mark);
		if (killed.length > 0) {
			process.stderr.write(`spec file ${file} left ${killed.length} process(es) running at its end (killed now): ${describe(killed)}\n`);
		}
	});
}

// Only in a spec file's own process (the runner's children), never in the runner itself.
if (process.platform === 'linux' && process.env.NODE_TEST_CONTEXT?.startsWith('child')) install();
