import {execFileSync} from 'node:child_process';
import type {Listener} from '../types.js';

/**
 * `lsof -nP -iTCP -sTCP:LISTEN -Fpcnt` output, one field per line: p<pid>, c<command>, then
 * per file f<fd>, t<IPv4|IPv6>, n<address:port>. The type tells a dual-stack `*:3000` (IPv6,
 * bound to ::) from an IPv4-only one (0.0.0.0); without it, `*` is taken as IPv4. Pure.
 */
export function parseLsof(text: string): Listener[] {
	const result: Listener[] = [];
	let pid: number | undefined;
	let command: string | undefined;
	let type: string | undefined;
	for (const line of text.split('\n')) {
		const tag = line[0];
		const value = line.slice(1);
		if (tag === 'p') {
			pid = Number(value);
			command = undefined;
			type = undefined;
		} else if (tag === 'c') {
			command = value;
		} else if (tag === 'f') {
			type = undefined;
		} else if (tag === 't') {
			type = value;
		} else if (tag === 'n') {
			const match = /^(?:\[([^\]]+)\]|(.*)):(\d+)$/.exec(value);
			if (!match) {
				continue;
			}

			const raw = match[1] ?? match[2]!;
			const v6 = match[1] !== undefined || raw.includes(':') || (raw === '*' && type === 'IPv6');
			const address = raw === '*' ? (v6 ? '::' : '0.0.0.0') : raw;
			const listener: Listener = {address, port: Number(match[3]), family: v6 ? 6 : 4};
			if (pid !== undefined && Number.isInteger(pid)) {
				listener.pid = pid;
			}

			if (command !== undefined) {
				listener.command = command;
			}

			result.push(listener);
		}
	}

	return result;
}

/** Run a tool; its stdout, or undefined when it could not run at all (not installed, timed out). */
function run(tool: 'lsof' | 'ps', args: string[]): string | undefined {
	try {
		return execFileSync(tool, args, {encoding: 'utf8', timeout: 2_000, stdio: ['ignore', 'pipe', 'ignore']});
	} catch (error) {
		// lsof exits 1 when nothing matched (ps when a pid is gone); the output is still valid.
		const {stdout, status} = error as {stdout?: string; status?: number | null};
		return typeof stdout === 'string' && status === 1 ? stdout : undefined;
	}
}

/** `ps -o pid= -o args=` output: `  4242 node old-server.js --port 3000`, one process a line. Pure. */
export function parsePsArgs(text: string): Map<number, string> {
	const result = new Map<number, string>();
	for (const line of text.split('\n')) {
		const match = /^\s*(\d+)\s+(.*\S)\s*$/.exec(line);
		if (match) {
			result.set(Number(match[1]), match[2]!);
		}
	}

	return result;
}

/**
 * The command lines of some processes, by pid. lsof's command column is only a name, and not
 * even the program's: it is the main thread's name, which Node sets to `MainThread` from
 * Node 24 (`node-MainThread` from 26) on Linux. `ps -o args=` is in POSIX and answers the
 * same on macOS and Linux (`-ww`: never cut to the terminal's width), one call for all pids.
 */
function commandLines(pids: readonly number[]): Map<number, string> {
	const text = pids.length === 0 ? undefined : run('ps', ['-ww', '-o', 'pid=', '-o', 'args=', '-p', pids.join(',')]);
	return text === undefined ? new Map() : parsePsArgs(text);
}

/**
 * Run lsof (macOS; the Debian package prints the same `-F` fields) and parse its answer;
 * empty when lsof is missing or finds nothing. A socket shared after a fork is listed once
 * per holder: keep the lowest pid, as the /proc reader does. Each owner is named by its
 * command line (from ps), as /proc names it; lsof's name stays only when ps cannot tell.
 */
export function lsof(args: string[]): Listener[] {
	const seen = new Set<string>();
	const found = parseLsof(run('lsof', args) ?? '')
		.sort((a, b) => (a.pid ?? Infinity) - (b.pid ?? Infinity))
		.filter(listener => {
			const key = `${listener.address} ${listener.port}`;
			return seen.has(key) ? false : Boolean(seen.add(key));
		});
	const commands = commandLines([...new Set(found.flatMap(listener => (listener.pid === undefined ? [] : [listener.pid])))]);
	return found.map(listener => {
		const command = listener.pid === undefined ? undefined : commands.get(listener.pid);
		return command === undefined ? listener : {...listener, command};
	});
}

/**
 * The members of a process group that still run, by pid: `lsof -t -g PGID` lists the
 * processes that hold any file (a cwd at least), and a zombie holds none. Undefined when
 * lsof cannot tell (not installed): the caller then counts every member as alive.
 */
export function liveGroupMembers(pgid: number): number[] | undefined {
	const text = run('lsof', ['-t', `-g${pgid}`]);
	return text === undefined ? undefined : text.split('\n').filter(line => /^\d+$/.test(line)).map(Number);
}

/** Every LISTEN socket on a port, with owners (named by their command line, from ps). */
export function portListeners(port: number): Listener[] {
	return lsof(['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpcnt']).filter(listener => listener.port === port);
}

/** The LISTEN sockets held by these processes. */
export function listenersOf(pids: readonly number[]): Listener[] {
	return pids.length === 0 ? [] : lsof(['-nP', '-a', `-p${pids.join(',')}`, '-iTCP', '-sTCP:LISTEN', '-Fpcnt']);
}

/** The LISTEN sockets of every live process in a process group. */
export function groupListeners(pgid: number): Listener[] {
	return lsof(['-nP', '-a', `-g${pgid}`, '-iTCP', '-sTCP:LISTEN', '-Fpcnt']);
}
