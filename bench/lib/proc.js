// Process bookkeeping for the bench: spawn in own process groups, kill them on any way out,
// read /proc for state and CPU, stamp files.
import {spawn, spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, rmSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {now, root, workDir} from './config.js';

export const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;

export function safeReaddir(dir) {
	try {
		return readdirSync(dir);
	} catch {
		return [];
	}
}

export function readStat(pid) {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const close = text.lastIndexOf(')');
		const fields = text.slice(close + 2).split(' ');
		// fields[0] is field 3 (state) of proc(5).
		return {state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]), utime: Number(fields[11]), stime: Number(fields[12])};
	} catch {
		return undefined;
	}
}

const selfPgrp = readStat('self')?.pgrp;

export function alive(pid) {
	const stat = readStat(pid);
	return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

export function cmdline(pid) {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
	} catch {
		return '';
	}
}

/** Process groups we started and have not yet seen gone: killed on any way out. */
const liveGroups = new Set();

export function killGroup(pgid, signal = 'SIGKILL') {
	if (!pgid || pgid <= 1 || pgid === selfPgrp) {
		return;
	}

	try {
		process.kill(-pgid, signal);
	} catch {}
}

/** Kill a bench fixture server (by the pid it wrote) and its group, checking it is ours first. */
export function killServerByPidfile(pidfile) {
	let pid;
	try {
		pid = Number(readFileSync(pidfile, 'utf8'));
	} catch {
		return;
	}

	if (!pid || !cmdline(pid).includes('bench/fixtures/')) {
		return;
	}

	const stat = readStat(pid);
	if (stat && stat.pgrp !== selfPgrp) {
		killGroup(stat.pgrp);
	}

	try {
		process.kill(pid, 'SIGKILL');
	} catch {}
}

export function cleanupAll() {
	for (const pgid of liveGroups) {
		killGroup(pgid);
	}

	liveGroups.clear();
	for (const name of safeReaddir(workDir)) {
		if (name.endsWith('.pid')) {
			killServerByPidfile(path.join(workDir, name));
		}
	}
}

/**
 * Spawn a command in a process group of its own and wait for it to exit (bounded).
 * Resolves with the high-res epoch times of spawn() (taken just before the call) and of the 'exit' event.
 */
export function run(file, args, {timeoutMs = 60_000, onSpawn, env} = {}) {
	return new Promise(resolve => {
		const startedAt = now();
		let child;
		try {
			child = spawn(file, args, {cwd: root, detached: true, stdio: ['ignore', 'ignore', 'pipe'], ...(env ? {env} : {})});
		} catch (error) {
			resolve({startedAt, exitedAt: now(), code: null, signal: null, error: error.message, stderr: '', pid: undefined});
			return;
		}

		liveGroups.add(child.pid);
		onSpawn?.(child.pid);
		let stderr = '';
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', chunk => {
			stderr = (stderr + chunk).slice(-4000);
		});
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid);
		}, timeoutMs);
		const finish = (code, signal, error) => {
			const exitedAt = now();
			clearTimeout(timer);
			resolve({startedAt, exitedAt, code, signal, error: timedOut ? `timed out after ${timeoutMs} ms` : error, stderr, pid: child.pid, child});
		};

		child.once('exit', (code, signal) => finish(code, signal, undefined));
		child.once('error', error => finish(null, null, error.message));
	});
}

/** After a run: kill what is left of its group, then forget it. */
export function reap(result) {
	if (result?.pid) {
		killGroup(result.pid);
		liveGroups.delete(result.pid);
		result.child?.stderr?.destroy();
	}
}

export async function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

/** The last number in a stamp file, in ms: `date +%s%N` (client.sh) writes ns, node fixtures ms. */
export function readNumber(file) {
	try {
		const words = readFileSync(file, 'utf8').trim().split(/\s+/);
		let value = Number(words.at(-1));
		if (value > 1e15) {
			value /= 1e6;
		}

		return Number.isFinite(value) && value > 0 ? value : undefined;
	} catch {
		return undefined;
	}
}

let runCounter = 0;
/** Fresh stamp/pid file names for one run, and a function that removes them all. */
export function runFiles() {
	const id = ++runCounter;
	const base = path.join(workDir, String(id));
	const files = {serverStamp: `${base}.server`, clientStamp: `${base}.client`, clientExit: `${base}.exit`, pidfile: `${base}.pid`};
	const remove = () => {
		killServerByPidfile(files.pidfile);
		for (const f of [...Object.values(files), `${files.serverStamp}.answer`, `${files.serverStamp}.start`]) {
			rmSync(f, {force: true});
		}
	};

	return {files, remove};
}

/** CPU of one process, all its threads: schedstat (ns, precise) and stat utime+stime (ticks). */
export function processCpu(pid) {
	let schedNs = 0;
	let threads = 0;
	for (const tid of safeReaddir(`/proc/${pid}/task`)) {
		try {
			schedNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
			threads++;
		} catch {}
	}

	const stat = readStat(pid);
	return {
		schedMs: threads > 0 ? schedNs / 1e6 : null,
		statMs: stat ? ((stat.utime + stat.stime) * 1000) / clockTicks : null,
		threads,
	};
}

export function childrenOf(pid) {
	const kids = [];
	for (const tid of safeReaddir(`/proc/${pid}/task`)) {
		try {
			kids.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
		} catch {}
	}

	return kids;
}
