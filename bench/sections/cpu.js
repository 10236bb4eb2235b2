// Section: CPU while waiting 10 s for a silent server, mcp-launch beside the wait-on shell line
// (defaults and tuned), measured in the same run. CPU is summed over every thread of the
// waiting process from /proc/PID/task/*/schedstat (ns) at the start and end of the window.
//   mcp-launch: the window opens when it has spawned its first child (the wait begins then).
//   wait-on:    the `node` process running wait-on (a child of the `sh -c` line); the window opens
//               cpuWaitOnSettleMs after Enter, past wait-on's start-up, since its poll is uniform.
import {execFileSync} from 'node:child_process';
import {setTimeout as sleep} from 'node:timers/promises';
import {config} from '../lib/config.js';
import {childrenOf, cmdline, freePort, killGroup, processCpu, readNumber, reap, run, runFiles} from '../lib/proc.js';
import {summarize} from '../lib/stats.js';
import {gateCommand} from './gate.js';

export const cpuContenders = ['mcp-launch', 'wait-on-defaults', 'wait-on-tuned'];

async function poll(what, check, boundMs) {
	const until = performance.now() + boundMs;
	while (performance.now() < until) {
		const value = check();
		if (value !== undefined) {
			return value;
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(2);
	}

	throw new Error(`cpu: ${what} within ${boundMs} ms`);
}

/**
 * The node process running wait-on: its script is argv[1]. Not a forked subshell of the `sh -c` line,
 * whose argv (the whole line, wait-on included) is the shell's until it execs the server.
 */
const isWaitOn = text => /^\S*node \S*wait-on /.test(text);

async function cpuRun(contender) {
	const {files, remove} = runFiles();
	const port = await freePort();
	const [file, args] = gateCommand(contender, {port, delay: config.cpuBootMs, mode: 'silent', files});
	let leader;
	const pending = run(file, args, {timeoutMs: config.cpuBootMs + 30_000, onSpawn(pid) {
		leader = pid;
	}});
	try {
		const enter = performance.now();
		let waiter;
		let first;
		if (contender === 'mcp-launch') {
			waiter = leader;
			first = await poll('mcp-launch spawned nothing', () => (childrenOf(leader).length > 0 ? {t: performance.now(), cpu: processCpu(leader)} : undefined), 10_000);
		} else {
			waiter = await poll('no wait-on process appeared', () => childrenOf(leader).find(pid => isWaitOn(cmdline(pid))), 10_000);
			await sleep(Math.max(0, enter + config.cpuWaitOnSettleMs - performance.now()));
			first = {t: performance.now(), cpu: processCpu(waiter)};
		}

		await sleep(Math.max(0, first.t + config.cpuWindowMs - performance.now()));
		const second = {t: performance.now(), cpu: processCpu(waiter)};
		const listenedEarly = readNumber(files.serverStamp) !== undefined;
		const ok = !listenedEarly && first.cpu.schedMs !== null && second.cpu.schedMs !== null;
		return {
			contender,
			ok,
			windowMs: second.t - first.t,
			windowStartAfterEnterMs: first.t - enter,
			waitCpuMs: ok ? second.cpu.schedMs - first.cpu.schedMs : null,
			waitCpuStatMs: ok ? second.cpu.statMs - first.cpu.statMs : null,
			cpuBeforeWindowMs: first.cpu.schedMs,
			threads: second.cpu.threads,
			...(listenedEarly ? {error: 'the server listened before the window ended'} : {}),
		};
	} finally {
		killGroup(leader);
		reap(await pending);
		remove();
	}
}

export async function cpuWhileWaiting(results) {
	process.stdout.write(`CPU while waiting: ${config.runsCpu} rounds of ${cpuContenders.length} waiters side by side, ${config.cpuWindowMs / 1000} s window `);
	const samples = [];
	for (let round = 0; round < config.runsCpu; round++) {
		// Side by side: CPU time is per process, so running them together only saves wall time.
		// eslint-disable-next-line no-await-in-loop
		const settled = await Promise.allSettled(cpuContenders.map(async (contender, i) => {
			await sleep(i * 150);
			return cpuRun(contender);
		}));
		for (const entry of settled) {
			if (entry.status === 'rejected') {
				throw entry.reason;
			}

			samples.push(entry.value);
		}

		process.stdout.write('.');
	}

	process.stdout.write('\n');
	// What the cheapest poll costs here, for scale: a bare net.connect every 15 ms.
	const baseline = JSON.parse(execFileSync(process.execPath, ['bench/connect-baseline.js', '15', '3'], {encoding: 'utf8'}));
	results.cpu = {bootMs: config.cpuBootMs, windowMs: config.cpuWindowMs, connectBaseline: baseline, samples, byContender: {}};
	for (const contender of cpuContenders) {
		const mine = samples.filter(s => s.contender === contender);
		results.cpu.byContender[contender] = {
			waitCpu: summarize(mine.filter(s => s.ok).map(s => s.waitCpuMs)),
			waitCpuStat: summarize(mine.filter(s => s.ok).map(s => s.waitCpuStatMs)),
			cpuBeforeWindow: summarize(mine.map(s => s.cpuBeforeWindowMs)),
			windowStartAfterEnter: summarize(mine.map(s => s.windowStartAfterEnterMs)),
			failures: mine.filter(s => !s.ok).length,
		};
	}
}
