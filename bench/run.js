// mcp-launch benchmark: gate latency, start-up, CPU while waiting, teardown.
// Run with `npm run bench` (builds first) or `node bench/run.js` against the current dist/cli.js.
//
//   BENCH_RUNS=N     runs per cell for every measure except CPU (default: 7 gate, 11 start-up, 7 RSS, 3 CPU)
//   BENCH_QUICK=1    skip the 5 s boot cells
//   BENCH_OVERLAP=0  run the 5 s boot cells strictly one after another (default: staggered, see BENCHMARKS.md)
//
// Writes bench/results.json (raw samples, summaries, machine) and BENCHMARKS.md, prints a
// summary and the targets. Exits 0 whether targets are met or not; non-zero only when the
// harness itself fails.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {setTimeout as sleep} from 'node:timers/promises';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

// ---------------------------------------------------------------- configuration
const envRuns = process.env.BENCH_RUNS ? Number.parseInt(process.env.BENCH_RUNS, 10) : undefined;
if (envRuns !== undefined && !(envRuns >= 1 && envRuns <= 1000)) {
	console.error(`bench: BENCH_RUNS must be a whole number from 1 to 1000, got ${process.env.BENCH_RUNS}`);
	process.exit(2);
}

const quick = process.env.BENCH_QUICK === '1';
const overlapLong = process.env.BENCH_OVERLAP !== '0';
const config = {
	runsShort: envRuns ?? 7, // boot 0 ms and 500 ms cells
	runsLong: envRuns ?? 7, // boot 5 s cells
	runsStartup: envRuns ?? 11,
	runsRss: Math.min(envRuns ?? 7, 7), // peak RSS varies little: the first rounds only
	runsCpu: Math.min(envRuns ?? 3, 3),
	delays: quick ? [0, 500] : [0, 500, 5000],
	cpuBootMs: 10_000,
	cpuWindowMs: 10_000,
	quick,
	overlapLong,
};

const contenders = ['mcp-launch', 'floor', 'wait-on-tuned', 'wait-on-defaults', 'start-server-and-test'];
const contenderLabel = {
	'mcp-launch': 'mcp-launch',
	floor: 'floor',
	'wait-on-tuned': 'wait-on -i 10 -w 0',
	'wait-on-defaults': 'wait-on (defaults)',
	'start-server-and-test': 'start-server-and-test',
};
const modes = ['announcing', 'silent'];

const now = () => performance.timeOrigin + performance.now();
/**
 * The CLI under test: a byte-for-byte copy of dist/ (and package.json beside it, as in the
 * package) taken when the bench starts, so a rebuild while the bench runs cannot break or
 * change it. It keeps dist/ at the same depth, so relative lookups resolve the same way, and
 * node_modules is still found by walking up to the project.
 */
const snapshotRoot = 'bench/.work/snapshot';
const cli = `${snapshotRoot}/dist/cli.js`;
const workDir = mkdtempSync(path.join(os.tmpdir(), 'mcp-launch-bench-'));
const selfPgrp = readStat('self')?.pgrp;

// ---------------------------------------------------------------- process bookkeeping
/** Process groups we started and have not yet seen gone: killed on any way out. */
const liveGroups = new Set();

function killGroup(pgid, signal = 'SIGKILL') {
	if (!pgid || pgid <= 1 || pgid === selfPgrp) {
		return;
	}

	try {
		process.kill(-pgid, signal);
	} catch {}
}

function readStat(pid) {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const close = text.lastIndexOf(')');
		const fields = text.slice(close + 2).split(' ');
		// fields[0] is field 3 (state) of proc(5).
		return {
			state: fields[0],
			ppid: Number(fields[1]),
			pgrp: Number(fields[2]),
			utime: Number(fields[11]),
			stime: Number(fields[12]),
			comm: text.slice(text.indexOf('(') + 1, close),
		};
	} catch {
		return undefined;
	}
}

function alive(pid) {
	const stat = readStat(pid);
	return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

function cmdline(pid) {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
	} catch {
		return '';
	}
}

/** Kill a bench fixture server (by the pid it wrote) and its group, checking it is ours first. */
function killServerByPidfile(pidfile) {
	let pid;
	try {
		pid = Number(readFileSync(pidfile, 'utf8'));
	} catch {
		return;
	}

	if (!pid || !cmdline(pid).includes('bench/fixtures/server.js')) {
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

function cleanupAll() {
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

function safeReaddir(dir) {
	try {
		return readdirSync(dir);
	} catch {
		return [];
	}
}

process.on('exit', () => {
	cleanupAll();
	rmSync(workDir, {recursive: true, force: true});
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		console.error(`\nbench: ${signal}, cleaning up`);
		cleanupAll();
		process.exit(130);
	});
}

/**
 * Spawn a command in a process group of its own and wait for it to exit (bounded).
 * Resolves with the high-res epoch times of spawn and of the 'exit' event.
 */
function run(file, args, {timeoutMs, stdout = 'ignore', env = process.env, onSpawn} = {}) {
	return new Promise(resolve => {
		const startedAt = now();
		let child;
		try {
			child = spawn(file, args, {cwd: root, detached: true, stdio: ['ignore', stdout, 'pipe'], env});
		} catch (error) {
			resolve({startedAt, exitedAt: now(), code: null, signal: null, error: error.message, stderr: '', pid: undefined});
			return;
		}

		liveGroups.add(child.pid);
		onSpawn?.(child.pid);
		let stderr = '';
		let out = '';
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', chunk => {
			stderr = (stderr + chunk).slice(-4000);
		});
		if (stdout === 'pipe') {
			child.stdout.setEncoding('utf8');
			child.stdout.on('data', chunk => {
				out = (out + chunk).slice(-4000);
			});
		}

		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child.pid);
		}, timeoutMs ?? 60_000);
		const finish = (code, signal, error) => {
			const exitedAt = now();
			clearTimeout(timer);
			resolve({startedAt, exitedAt, code, signal, error: timedOut ? `timed out after ${timeoutMs} ms` : error, stderr, stdout: out, pid: child.pid, child});
		};

		child.once('exit', (code, signal) => finish(code, signal, undefined));
		child.once('error', error => finish(null, null, error.message));
	});
}

/** After a run: kill what is left of its group, then forget it. */
function reap(result) {
	if (result?.pid) {
		killGroup(result.pid);
		liveGroups.delete(result.pid);
		result.child?.stderr?.destroy();
		result.child?.stdout?.destroy();
	}
}

async function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address();
			server.close(() => resolve(port));
		});
	});
}

// ---------------------------------------------------------------- statistics
function summarize(values) {
	const v = values.filter(x => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) {
		return {n: 0, median: null, min: null, max: null};
	}

	const mid = Math.floor(v.length / 2);
	const median = v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
	return {n: v.length, median, min: v[0], max: v.at(-1)};
}

const fmt = (x, digits = 1) => (x === null || x === undefined ? '–' : x.toFixed(digits));
const cell = (s, digits = 1, unit = '') => (s.n === 0 ? 'n/a' : `${fmt(s.median, digits)}${unit} [${fmt(s.min, digits)}–${fmt(s.max, digits)}]`);

// ---------------------------------------------------------------- 1. gate latency (+ teardown)
const shq = s => `'${String(s).replaceAll('\'', '\'\\\'\'')}'`;

function gateCommand(contender, {port, delay, mode, files}) {
	const serverArgs = ['bench/fixtures/server.js', '--port', String(port), '--boot-delay', String(delay), ...(mode === 'silent' ? ['--silent'] : []), '--stamp', files.serverStamp, '--pidfile', files.pidfile];
	// The client is a shell script (see bench/fixtures/client.sh): its own start-up is ~1-2 ms.
	const clientArgs = [files.clientStamp, files.clientExit];
	const serverCmd = ['node', ...serverArgs].map((a, i) => (i < 2 ? a : shq(a))).join(' ');
	const clientCmd = ['bench/fixtures/client.sh', ...clientArgs].map((a, i) => (i < 1 ? a : shq(a))).join(' ');
	const url = `http://127.0.0.1:${port}/mcp`;
	const tcp = `tcp:127.0.0.1:${port}`;
	switch (contender) {
		case 'mcp-launch':
			return ['node', [cli, '-s', serverCmd, '-u', url, '--', 'bench/fixtures/client.sh', ...clientArgs]];
		case 'floor':
			return ['node', ['bench/floor.js', '--mode', mode === 'silent' ? 'silent' : 'announce', '--port', String(port), '--server-json', JSON.stringify(['node', ...serverArgs]), '--', 'bench/fixtures/client.sh', ...clientArgs]];
		case 'wait-on-defaults':
			return ['sh', ['-c', `${serverCmd} & node_modules/.bin/wait-on ${tcp} && ${clientCmd}; kill $!`]];
		case 'wait-on-tuned':
			return ['sh', ['-c', `${serverCmd} & node_modules/.bin/wait-on -i 10 -w 0 ${tcp} && ${clientCmd}; kill $!`]];
		case 'start-server-and-test':
			return ['node_modules/.bin/start-server-and-test', [serverCmd, tcp, clientCmd]];
		default:
			throw new Error(`unknown contender ${contender}`);
	}
}

const readNumber = file => {
	try {
		let value = Number(readFileSync(file, 'utf8'));
		if (value > 1e15) {
			value /= 1e6; // `date +%s%N` (client.sh) writes nanoseconds; the rest are milliseconds.
		}

		return Number.isFinite(value) && value > 0 ? value : undefined;
	} catch {
		return undefined;
	}
};

let runCounter = 0;
async function gateRun(job) {
	const id = ++runCounter;
	const files = {
		serverStamp: path.join(workDir, `${id}.server`),
		clientStamp: path.join(workDir, `${id}.client`),
		clientExit: path.join(workDir, `${id}.exit`),
		pidfile: path.join(workDir, `${id}.pid`),
	};
	const port = await freePort();
	const [file, args] = gateCommand(job.contender, {port, delay: job.delay, mode: job.mode, files});
	let result;
	try {
		result = await run(file, args, {timeoutMs: job.delay + 20_000});
		let serverPid;
		try {
			serverPid = Number(readFileSync(files.pidfile, 'utf8'));
		} catch {}

		const serverAliveAtExit = serverPid ? alive(serverPid) : undefined;
		const listenedAt = readNumber(files.serverStamp);
		const clientAt = readNumber(files.clientStamp);
		const clientExitAt = readNumber(files.clientExit);
		let serverAnswerMs = null;
		try {
			const [receivedAt, answeredAt] = readFileSync(`${files.serverStamp}.answer`, 'utf8').split(' ').map(Number);
			serverAnswerMs = answeredAt - receivedAt;
		} catch {}

		const ok = result.code === 0 && listenedAt !== undefined && clientAt !== undefined && clientExitAt !== undefined;
		return {
			contender: job.contender,
			mode: job.mode,
			delay: job.delay,
			ok,
			gateMs: ok ? clientAt - listenedAt : null,
			teardownMs: ok ? result.exitedAt - clientExitAt : null,
			serverAnswerMs,
			wallMs: result.exitedAt - result.startedAt,
			exitCode: result.code,
			serverAliveAtExit,
			...(ok ? {} : {error: result.error ?? `exit ${result.code ?? result.signal}; stamps: listen=${Boolean(listenedAt)} client=${Boolean(clientAt)}; stderr: ${result.stderr.trim().slice(-400)}`}),
		};
	} finally {
		reap(result);
		killServerByPidfile(files.pidfile);
		for (const f of Object.values(files)) {
			rmSync(f, {force: true});
		}

		rmSync(`${files.serverStamp}.answer`, {force: true});
	}
}

/** Rough busy windows of a run, in ms after its start, for the staggered schedule. */
function busyWindows(job) {
	const startW = 700; // launcher + server node start-up (start-server-and-test loads ~300 ms)
	const detect = {
		// Polls every 2 s from ~0.3–0.7 s after its start: at a 5 s boot it sees the server at ~6.3–6.7 s.
		'start-server-and-test': 1500,
		'wait-on-defaults': 300, // polls every 250 ms
	}[job.contender] ?? 50;
	const end = 900; // client start-up, client, teardown
	return [[0, startW], [job.delay, job.delay + startW + detect + end]];
}

/** Whether `job` may start at `t` beside the runs in flight: no window of one may meet a window of another. */
function fits(job, t, inflight, maxInFlight, margin = 250) {
	if (inflight.size === 0) {
		return true;
	}

	if (job.exclusive || inflight.size >= maxInFlight) {
		return false;
	}

	const mine = busyWindows(job).map(([a, b]) => [t + a, t + b]);
	const tNow = performance.now();
	for (const other of inflight) {
		if (other.job.exclusive) {
			return false;
		}

		const theirs = busyWindows(other.job).map(([a, b]) => [other.t + a, other.t + b]);
		// A run past its expected end is still busy somewhere: assume it is busy from now on for a while.
		const last = theirs.at(-1);
		last[1] = Math.max(last[1], tNow + 600);
		for (const [a, b] of mine) {
			for (const [c, d] of theirs) {
				if (a < d + margin && c < b + margin) {
					return false;
				}
			}
		}
	}

	return true;
}

async function runJobs(jobs, {overlap, onDone}) {
	if (!overlap) {
		for (const job of jobs) {
			// eslint-disable-next-line no-await-in-loop
			onDone(await gateRun(job));
		}

		return;
	}

	const inflight = new Set();
	for (const job of jobs) {
		const deadline = performance.now() + job.delay + 120_000;
		while (!fits(job, performance.now(), inflight, 3)) {
			if (performance.now() > deadline) {
				throw new Error('scheduler: no slot for a run within 2 minutes');
			}

			// eslint-disable-next-line no-await-in-loop
			await Promise.race([sleep(20), ...[...inflight].map(entry => entry.promise)]);
		}

		const entry = {job, t: performance.now()};
		entry.promise = gateRun(job).then(sample => {
			inflight.delete(entry);
			onDone(sample);
		});
		inflight.add(entry);
	}

	await Promise.all([...inflight].map(entry => entry.promise));
}

async function gateLatency(results) {
	for (const delay of config.delays) {
		const runs = delay >= 5000 ? config.runsLong : config.runsShort;
		const jobs = [];
		for (let round = 0; round < runs; round++) {
			// Interleaved, and rotated each round so no contender always goes first.
			const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
			for (const mode of modes) {
				for (const contender of order) {
					jobs.push({contender, mode, delay, exclusive: contender === 'floor' && mode === 'silent'});
				}
			}
		}

		const overlap = delay >= 5000 && config.overlapLong;
		if (overlap) {
			// A run that must be alone drains the pipeline before it: keep those for the end of the block.
			jobs.sort((a, b) => Number(a.exclusive) - Number(b.exclusive));
		}

		const started = performance.now();
		let done = 0;
		process.stdout.write(`gate latency, boot ${delay} ms: ${jobs.length} runs${overlap ? ' (staggered)' : ''} `);
		// eslint-disable-next-line no-await-in-loop
		await runJobs(jobs, {
			overlap,
			onDone(sample) {
				const key = `${sample.mode}/${sample.delay}`;
				results.gate[key] ??= {};
				results.gate[key][sample.contender] ??= {samples: []};
				results.gate[key][sample.contender].samples.push(sample);
				if (++done % 10 === 0) {
					process.stdout.write('.');
				}

				if (!sample.ok) {
					process.stdout.write(`\n  ! ${sample.contender} ${key}: ${sample.error}\n`);
				}
			},
		});
		process.stdout.write(` ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
	}

	for (const byContender of Object.values(results.gate)) {
		for (const entry of Object.values(byContender)) {
			entry.gate = summarize(entry.samples.map(s => s.gateMs));
			entry.teardown = summarize(entry.samples.map(s => s.teardownMs));
			entry.serverAnswer = summarize(entry.samples.map(s => s.serverAnswerMs));
			entry.failures = entry.samples.filter(s => !s.ok).length;
		}
	}
}

// ---------------------------------------------------------------- 2. start-up
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

async function startup(results) {
	const commands = {
		'mcp-launch --version': ['node', [cli, '--version']],
		'node -e 0': ['node', ['-e', '0']],
		'wait-on --version': ['node_modules/.bin/wait-on', ['--version']],
		'mcp-launch --help': ['node', [cli, '--help']],
	};
	const names = Object.keys(commands);
	const samples = Object.fromEntries(names.map(name => [name, {wallMs: [], rssKiB: []}]));
	if (!timeBin) {
		console.log('start-up: /usr/bin/time not found: peak RSS is not measured. Install it: apt-get install -y time');
	}

	process.stdout.write(`start-up: ${config.runsStartup} runs x ${names.length} commands `);
	const rssFile = path.join(workDir, 'rss');
	for (let round = 0; round < config.runsStartup; round++) {
		for (let i = 0; i < names.length; i++) {
			const name = names[(i + round) % names.length];
			const [file, args] = commands[name];
			// Wall time: a plain spawn, measured from spawn() to the 'exit' event.
			// eslint-disable-next-line no-await-in-loop
			const timed = await run(file, args, {timeoutMs: 20_000});
			reap(timed);
			if (timed.code !== 0) {
				throw new Error(`start-up: ${name} exited ${timed.code ?? timed.signal}: ${timed.error ?? timed.stderr}`);
			}

			samples[name].wallMs.push(timed.exitedAt - timed.startedAt);
			if (timeBin && round < config.runsRss) {
				// Peak RSS: a separate run under GNU time (its own overhead stays out of the wall times).
				// eslint-disable-next-line no-await-in-loop
				const measured = await run(timeBin, ['-f', '%M', '-o', rssFile, file, ...args], {timeoutMs: 20_000});
				reap(measured);
				const kib = readNumber(rssFile);
				rmSync(rssFile, {force: true});
				if (kib !== undefined) {
					samples[name].rssKiB.push(kib);
				}
			}
		}

		process.stdout.write('.');
	}

	process.stdout.write('\n');
	results.startup = {timeAvailable: Boolean(timeBin), commands: {}};
	for (const name of names) {
		results.startup.commands[name] = {
			command: [commands[name][0], ...commands[name][1]].join(' '),
			samples: samples[name],
			wall: summarize(samples[name].wallMs),
			rssMiB: summarize(samples[name].rssKiB.map(k => k / 1024)),
		};
	}
}

// ---------------------------------------------------------------- 3. CPU while waiting
const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;

/** CPU of one process, all its threads: schedstat (ns, precise) and stat utime+stime (ticks). */
function processCpu(pid) {
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
		userMs: stat ? (stat.utime * 1000) / clockTicks : null,
		sysMs: stat ? (stat.stime * 1000) / clockTicks : null,
		threads,
	};
}

function childrenOf(pid) {
	const kids = [];
	for (const tid of safeReaddir(`/proc/${pid}/task`)) {
		try {
			kids.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
		} catch {}
	}

	return kids;
}

async function cpuRun() {
	const id = ++runCounter;
	const files = {
		serverStamp: path.join(workDir, `${id}.server`),
		clientStamp: path.join(workDir, `${id}.client`),
		clientExit: path.join(workDir, `${id}.exit`),
		pidfile: path.join(workDir, `${id}.pid`),
	};
	const port = await freePort();
	const [file, args] = gateCommand('mcp-launch', {port, delay: config.cpuBootMs, mode: 'silent', files});
	let pid;
	const pending = run(file, args, {timeoutMs: config.cpuBootMs + 30_000, onSpawn(spawned) {
		pid = spawned;
	}});
	let result;
	try {
		if (!pid) {
			throw new Error('cpu: could not spawn the launcher');
		}

		const spawnedAt = performance.now();
		// The wait begins when the launcher has spawned the server (its first child).
		let first;
		while (performance.now() - spawnedAt < 10_000) {
			if (childrenOf(pid).length > 0) {
				first = {t: performance.now(), cpu: processCpu(pid)};
				break;
			}

			// eslint-disable-next-line no-await-in-loop
			await sleep(2);
		}

		if (!first) {
			throw new Error('cpu: the launcher never spawned the server');
		}

		const children = childrenOf(pid).map(child => ({pid: child, cmd: cmdline(child)}));
		await sleep(Math.max(0, first.t + config.cpuWindowMs - performance.now()));
		const listenedEarly = readNumber(files.serverStamp) !== undefined;
		const second = {t: performance.now(), cpu: processCpu(pid)};
		const guardian = childrenOf(pid).find(child => cmdline(child).includes('mcp-launch-guardian'));
		const guardianCpu = guardian ? processCpu(guardian) : undefined;
		result = await pending;
		const windowMs = second.t - first.t;
		const schedMs = second.cpu.schedMs !== null && first.cpu.schedMs !== null ? second.cpu.schedMs - first.cpu.schedMs : null;
		return {
			ok: result.code === 0 && !listenedEarly,
			exitCode: result.code,
			windowMs,
			waitCpuMs: schedMs,
			waitCpuStatMs: second.cpu.statMs - first.cpu.statMs,
			waitUserMs: second.cpu.userMs - first.cpu.userMs,
			waitSysMs: second.cpu.sysMs - first.cpu.sysMs,
			startupCpuMs: first.cpu.schedMs,
			totalCpuAtEndOfWindowMs: second.cpu.schedMs,
			threads: second.cpu.threads,
			guardianCpuMs: guardianCpu?.schedMs ?? null,
			children,
			...(listenedEarly ? {error: 'the server listened before the window ended'} : {}),
			...(result.code === 0 ? {} : {error: `exit ${result.code}: ${result.error ?? result.stderr.slice(-400)}`}),
		};
	} finally {
		result ??= await Promise.race([pending, sleep(100)]);
		reap(result);
		killServerByPidfile(files.pidfile);
		for (const f of Object.values(files)) {
			rmSync(f, {force: true});
		}
	}
}

async function cpuWhileWaiting(results) {
	process.stdout.write(`CPU while waiting: ${config.runsCpu} launchers side by side, ${config.cpuBootMs / 1000} s silent boot `);
	const samples = [];
	// Side by side: CPU time is per process, so running them together only saves wall time.
	const settled = await Promise.allSettled(Array.from({length: config.runsCpu}, async (_, i) => {
		await sleep(i * 150);
		return cpuRun();
	}));
	for (const entry of settled) {
		if (entry.status === 'rejected') {
			throw entry.reason;
		}

		samples.push(entry.value);
	}

	process.stdout.write('\n');
	// What the cheapest poll costs here, for scale: a bare net.connect every 15 ms (mcp-launch's cap).
	const baseline = JSON.parse(execFileSync(process.execPath, ['bench/connect-baseline.js', '15', '3'], {encoding: 'utf8'}));
	results.cpu = {
		bootMs: config.cpuBootMs,
		connectBaseline: baseline,
		samples,
		waitCpu: summarize(samples.filter(s => s.ok).map(s => s.waitCpuMs)),
		waitCpuStat: summarize(samples.filter(s => s.ok).map(s => s.waitCpuStatMs)),
		waitUser: summarize(samples.filter(s => s.ok).map(s => s.waitUserMs)),
		waitSys: summarize(samples.filter(s => s.ok).map(s => s.waitSysMs)),
		startupCpu: summarize(samples.map(s => s.startupCpuMs)),
		window: summarize(samples.map(s => s.windowMs)),
		guardianCpu: summarize(samples.map(s => s.guardianCpuMs)),
		failures: samples.filter(s => !s.ok).length,
	};
}

// ---------------------------------------------------------------- other load on the machine
/** Machine-wide busy CPU and this bench's own (self + reaped children), both in ms. */
function cpuCounters() {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	const [user, nice, system, , , irq, softirq, steal] = line;
	const text = readFileSync('/proc/self/stat', 'utf8');
	const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
	const ours = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
	return {busyMs: ((user + nice + system + irq + softirq + steal) * 1000) / clockTicks, oursMs: (ours * 1000) / clockTicks, t: performance.now()};
}

/**
 * Run a block and record how busy the machine was with work that is not the bench's: total
 * busy CPU minus the bench's own and its reaped children's. Processes the bench started that
 * were reparented (a mcp-launch server after teardown) count as foreign, so small values are noise.
 */
async function watched(results, name, block) {
	const before = cpuCounters();
	await block();
	const after = cpuCounters();
	const foreign = Math.max(0, (after.busyMs - before.busyMs) - (after.oursMs - before.oursMs));
	const share = foreign / (after.t - before.t);
	results.load[name] = {foreignCores: Number(share.toFixed(3)), wallS: Number(((after.t - before.t) / 1000).toFixed(1)), loadavg: os.loadavg()};
	if (share > 0.15) {
		console.log(`  ! other work used ${(share * 100).toFixed(0)}% of a core on average during "${name}": figures may be inflated`);
	}
}

// ---------------------------------------------------------------- machine
function machine() {
	const cpuinfo = (() => {
		try {
			return readFileSync('/proc/cpuinfo', 'utf8');
		} catch {
			return '';
		}
	})();
	const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
	const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1];
	const pkg = name => {
		try {
			return JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
		} catch {
			return undefined;
		}
	};

	const git = args => spawnSync('git', args, {encoding: 'utf8'}).stdout?.trim() || undefined;
	return {
		cpuModel: model,
		virtualMachine: /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo),
		cpuMHz: mhz ? Number(mhz) : undefined,
		cores: os.availableParallelism?.() ?? os.cpus().length,
		memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
		kernel: `${os.type()} ${os.release()}`,
		node: process.version,
		date: new Date().toISOString(),
		mcpLaunch: JSON.parse(readFileSync('package.json', 'utf8')).version,
		commit: git(['rev-parse', '--short', 'HEAD']),
		dirtyTree: git(['status', '--porcelain']) ? true : undefined,
		waitOn: pkg('wait-on'),
		startServerAndTest: pkg('start-server-and-test'),
		gnuTime: Boolean(timeBin),
	};
}

// ---------------------------------------------------------------- targets and report
function targets(results) {
	const list = [];
	const g = (mode, delay, contender) => results.gate[`${mode}/${delay}`]?.[contender]?.gate;
	const add = (name, value, limit, detail) => {
		const met = value !== null && value !== undefined && limit !== null && limit !== undefined && value <= limit;
		list.push({name, value, limit, met, detail});
	};

	for (const delay of config.delays) {
		const ml = g('announcing', delay, 'mcp-launch');
		const floor = g('announcing', delay, 'floor');
		const tuned = g('announcing', delay, 'wait-on-tuned');
		if (!ml) {
			continue;
		}

		add(`announcing ${delay} ms: gate <= floor + 3 ms`, ml.median, floor?.median === null || !floor ? null : floor.median + 3, `mcp-launch ${fmt(ml.median)} ms, floor ${fmt(floor?.median)} ms`);
		add(`announcing ${delay} ms: gate <= 0.5 x tuned wait-on`, ml.median, tuned?.median === null || !tuned ? null : tuned.median * 0.5, `mcp-launch ${fmt(ml.median)} ms, tuned wait-on ${fmt(tuned?.median)} ms`);
	}

	for (const delay of config.delays.filter(d => d >= 500)) {
		const ml = g('silent', delay, 'mcp-launch');
		const tuned = g('silent', delay, 'wait-on-tuned');
		if (!ml) {
			continue;
		}

		add(`silent ${delay} ms: gate <= 0.7 x tuned wait-on`, ml.median, tuned?.median === null || !tuned ? null : tuned.median * 0.7, `mcp-launch ${fmt(ml.median)} ms, tuned wait-on ${fmt(tuned?.median)} ms`);
	}

	const s = results.startup?.commands;
	if (s) {
		const ml = s['mcp-launch --version'];
		const node = s['node -e 0'];
		add('start-up: --version wall <= 1.3 x node -e 0', ml.wall.median, node.wall.median * 1.3, `mcp-launch ${fmt(ml.wall.median)} ms, node -e 0 ${fmt(node.wall.median)} ms (ratio ${fmt(ml.wall.median / node.wall.median, 2)})`);
		add('start-up: --version peak RSS <= 60 MiB', ml.rssMiB.median, results.startup.timeAvailable ? 60 : null, results.startup.timeAvailable ? `${fmt(ml.rssMiB.median)} MiB (node -e 0: ${fmt(node.rssMiB.median)} MiB)` : 'not measured: /usr/bin/time missing');
	}

	if (results.cpu) {
		add('CPU while waiting 10 s <= 100 ms', results.cpu.waitCpu.median, 100, `median ${fmt(results.cpu.waitCpu.median)} ms over ${fmt((results.cpu.window.median ?? 0) / 1000, 2)} s`);
	}

	const teardown = results.teardown?.['mcp-launch'];
	if (teardown) {
		add('teardown <= 50 ms after the client exits', teardown.median, 50, `median ${fmt(teardown.median)} ms over ${teardown.n} runs`);
	}

	return list;
}

/** Context for the ratio targets: how much of every gate figure is the client's own start-up. */
function notes(results) {
	const lines = [];
	for (const delay of config.delays) {
		for (const mode of modes) {
			const byContender = results.gate[`${mode}/${delay}`] ?? {};
			const floor = byContender.floor?.gate?.median;
			const ml = byContender['mcp-launch']?.gate?.median;
			const tuned = byContender['wait-on-tuned']?.gate?.median;
			if ([floor, ml, tuned].some(x => x === null || x === undefined)) {
				continue;
			}

			const answer = byContender['mcp-launch']?.serverAnswer?.median;
			const answerText = answer === null || answer === undefined ? '' : ` (of which the server's answer to mcp-launch's first HTTP probe: ${fmt(answer)} ms)`;
			lines.push(`${mode}, boot ${delay} ms: floor ${fmt(floor)} ms; over the floor mcp-launch adds ${fmt(ml - floor)} ms${answerText}, tuned wait-on ${fmt(tuned - floor)} ms`);
		}
	}

	return lines;
}

function gateTable(results, markdown) {
	const lines = [];
	const header = ['case', ...contenders.map(c => contenderLabel[c])];
	if (markdown) {
		lines.push(`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
	}

	const rows = [];
	for (const delay of config.delays) {
		for (const mode of modes) {
			const byContender = results.gate[`${mode}/${delay}`] ?? {};
			rows.push([`${mode}, boot ${delay} ms`, ...contenders.map(c => {
				const entry = byContender[c];
				if (!entry) {
					return 'n/a';
				}

				return cell(entry.gate) + (entry.failures ? ` (${entry.failures} failed)` : '');
			})]);
		}
	}

	if (markdown) {
		for (const row of rows) {
			lines.push(`| ${row.join(' | ')} |`);
		}
	} else {
		const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
		const line = r => r.map((c, i) => c.padEnd(widths[i])).join('  ');
		lines.push(line(header), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line));
	}

	return lines.join('\n');
}

/** Median gate latency minus the floor's median in the same case: what the launcher itself adds. */
function excessRows(results) {
	const rows = [];
	for (const delay of config.delays) {
		for (const mode of modes) {
			const byContender = results.gate[`${mode}/${delay}`] ?? {};
			const floor = byContender.floor?.gate?.median;
			rows.push([`${mode}, boot ${delay} ms`, ...contenders.filter(c => c !== 'floor').map(c => {
				const median = byContender[c]?.gate?.median;
				return median === null || median === undefined || floor === null || floor === undefined ? 'n/a' : `${median - floor >= 0 ? '+' : ''}${fmt(median - floor)}`;
			})]);
		}
	}

	return rows;
}

const excessHeader = ['case', ...contenders.filter(c => c !== 'floor').map(c => contenderLabel[c])];

function simpleTable(header, rows, markdown) {
	if (markdown) {
		return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(r => `| ${r.join(' | ')} |`)].join('\n');
	}

	const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)));
	const line = r => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
	return [line(header), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function startupRows(results) {
	return Object.entries(results.startup.commands).map(([name, entry]) => [name, cell(entry.wall), results.startup.timeAvailable ? cell(entry.rssMiB) : 'not measured', String(entry.wall.n)]);
}

function teardownRows(results) {
	return contenders.map(c => [contenderLabel[c], cell(results.teardown[c]), String(results.teardown[c].n), results.teardownServerLeft[c] ? `${results.teardownServerLeft[c]} of ${results.teardown[c].n}` : '0']);
}

function cpuRows(results) {
	const c = results.cpu;
	return [
		['launcher CPU during the wait (schedstat, ns resolution)', cell(c.waitCpu), String(c.waitCpu.n)],
		['same, from /proc/PID/stat utime+stime (10 ms ticks)', cell(c.waitCpuStat), String(c.waitCpuStat.n)],
		['  of which user', cell(c.waitUser), String(c.waitUser.n)],
		['  of which sys', cell(c.waitSys), String(c.waitSys.n)],
		['launcher CPU before the wait (start-up, spawn)', cell(c.startupCpu), String(c.startupCpu.n)],
		['guardian (/bin/sh) CPU, whole life up to window end', cell(c.guardianCpu, 2), String(c.guardianCpu.n)],
		['measured window (ms)', cell(c.window, 0), String(c.window.n)],
		...(c.connectBaseline ? [[`for scale: a bare net.connect every ${c.connectBaseline.intervalMs} ms, CPU per probe (µs)`, fmt(c.connectBaseline.perProbeUs, 0), `${c.connectBaseline.probes} probes`]] : []),
	];
}

function printSummary(results, list) {
	console.log('\n== Gate latency (ms): client start − server listen(); median [min–max] ==');
	console.log(gateTable(results, false));
	console.log('\n== Gate latency over the floor (ms): median − floor median, same case ==');
	console.log(simpleTable(excessHeader, excessRows(results), false));
	console.log('\n== Start-up: wall ms, peak RSS MiB; median [min–max] ==');
	console.log(simpleTable(['command', 'wall ms', 'peak RSS MiB', 'runs'], startupRows(results), false));
	if (results.cpu) {
		console.log(`\n== CPU while waiting for a silent server (${results.cpu.bootMs / 1000} s boot), ms ==`);
		console.log(simpleTable(['what', 'ms median [min–max]', 'runs'], cpuRows(results), false));
	}

	console.log('\n== Teardown: launcher exit − client exit (ms), all gate runs pooled ==');
	console.log(simpleTable(['contender', 'ms median [min–max]', 'runs', 'server alive when launcher exited'], teardownRows(results), false));
	console.log('\n== Targets ==');
	for (const t of list) {
		console.log(`${t.met ? 'MET   ' : 'MISSED'}  ${t.name}: ${fmt(t.value)} vs limit ${fmt(t.limit)}  (${t.detail})`);
	}

	console.log('\nOver the floor (the floor starts the client on the "listening" line or on a bare TCP connect, with no HTTP exchange):');
	for (const line of notes(results)) {
		console.log(`  ${line}`);
	}
}

function markdownReport(results, list) {
	const m = results.machine;
	const runsText = `${config.runsShort} runs per cell at 0 ms and 500 ms boots, ${config.runsLong} at 5 s boots${config.quick ? ' (5 s boots skipped: BENCH_QUICK=1)' : ''}, ${config.runsStartup} start-up runs per command, ${config.runsCpu} CPU runs`;
	return `# Benchmarks

Generated by \`npm run bench\` (bench/run.js) on ${m.date}; raw samples in [bench/results.json](bench/results.json).
Every figure is **median [min–max]** over the runs stated.

## Machine

| | |
| --- | --- |
| CPU | ${m.cpuModel}${m.cpuMHz ? ` (${Math.round(m.cpuMHz)} MHz)` : ''}, ${m.cores} cores${m.virtualMachine ? ' (virtual machine: hypervisor flag set)' : ''} |
| Memory | ${m.memoryGiB} GiB |
| OS | ${m.kernel} |
| Node | ${m.node} |
| mcp-launch | ${m.mcpLaunch}${m.commit ? ` at ${m.commit}${m.dirtyTree ? ' (uncommitted changes)' : ''}` : ''}, \`dist/cli.js\` as built by \`npm run build\` |
| wait-on | ${m.waitOn} |
| start-server-and-test | ${m.startServerAndTest} (it bundles its own wait-on) |
| runs | ${runsText} |
| other load during the run | ${Object.entries(results.load).map(([name, l]) => `${name}: ${Math.round(l.foreignCores * 100)}% of a core`).join('; ')} (CPU busy outside the bench's process tree; above ~15% the figures are suspect) |

## How to run

\`\`\`sh
npm run bench                 # build, then everything (7–8 minutes on 2 idle cores)
BENCH_QUICK=1 npm run bench   # skip the 5 s boot cells (about 4 minutes)
BENCH_RUNS=3 npm run bench    # 3 runs per cell (CPU: at most 3)
BENCH_OVERLAP=0 npm run bench # 5 s boot cells strictly one at a time (slower)
\`\`\`

The CLI is run from a copy of \`dist/\` taken when the bench starts (bench/.work/snapshot, checked to answer \`--version\` like
\`dist/cli.js\`), so a rebuild during the run cannot break it. Run the bench on an otherwise idle machine: it reports how much
CPU other work took during each part.

Peak RSS needs GNU time at \`/usr/bin/time\` (Debian package \`time\`); without it the bench says so and skips RSS.
Only loopback traffic; every run gets a fresh free port; every process group the bench starts is killed after its run.

## Targets

| target | value | limit | result |
| --- | --- | --- | --- |
${list.map(t => `| ${t.name} | ${fmt(t.value)} | ${fmt(t.limit)} | **${t.met ? 'MET' : 'MISSED'}** (${t.detail}) |`).join('\n')}

The client is a shell script (\`date +%s%N\`), so its own start-up is a millisecond or two and the figures are the launchers'
own delays. The floor starts the client the moment the server prints its line (or a bare TCP connect succeeds), with no
HTTP exchange; an HTTP gate also pays the server's answer to its first request (measured in the server, below). Over the floor
(median − floor median):

${notes(results).map(line => `- ${line}`).join('\n')}

## 1. Gate latency (ms)

Client start time − server \`listen()\` time. The fixture server (bench/fixtures/server.js, plain \`node:http\`, 406 to any POST)
takes the high-res epoch time (\`performance.timeOrigin + performance.now()\`) in its listen callback; the fixture client
(bench/fixtures/client.sh: \`date +%s%N\`, a millisecond or two after exec) writes its own. Both are written to files and subtracted.
An *announcing* server prints \`listening on http://127.0.0.1:PORT/mcp\` right after listen; a *silent* one prints nothing.
The boot delay is a \`setTimeout\` before \`listen()\`.

Every figure includes the client's own Node start-up (the same for every contender), so the floor is not zero.

${gateTable(results, true)}

What each launcher adds on top of the floor (median − floor median in the same case, ms); the floor itself is mostly the
client's Node start-up:

${simpleTable(excessHeader, excessRows(results), true)}

Contenders:

- **mcp-launch**: \`node dist/cli.js -s "node bench/fixtures/server.js …" -u http://127.0.0.1:P/mcp -- node bench/fixtures/client.js …\`
- **floor** (bench/floor.js): spawns the server without a shell and starts the client the moment its stdout says \`listening on\`
  (announcing), or the moment a TCP connect succeeds, retried in a \`setImmediate\` loop that burns a core (silent): the best a launcher could do.
- **wait-on -i 10 -w 0**: \`sh -c 'node server.js … & wait-on -i 10 -w 0 tcp:127.0.0.1:P && node client.js …; kill $!'\`
- **wait-on (defaults)**: the same with plain \`wait-on tcp:127.0.0.1:P\` (polls every 250 ms).
- **start-server-and-test**: \`start-server-and-test "node server.js …" tcp:127.0.0.1:P "node client.js …"\` (it polls every 2 s;
  an \`http\` URL would need a 2xx, which an MCP endpoint does not give to a bare request, so \`tcp:\` is used).

Runs are interleaved (every contender and mode once per round, the order rotated each round), one at a time for the 0 ms and 500 ms boots.
${config.overlapLong ? `The 5 s boot cells are *staggered* to fit the time budget: up to 3 runs are in flight, but a run only starts when
neither its start-up (first 0.7 s) nor its ready → client → teardown window (from the boot delay on, widened by the
contender's poll interval) can meet any such window of a run in flight, with 250 ms to spare; the busy-polling floor (silent)
always runs alone, so its 5 s runs come last in that block, one after another. While one run is in its critical window the others are idle-waiting (a timer in the server, a poll every
10–250 ms in the launcher). \`BENCH_OVERLAP=0\` turns this off.` : 'The 5 s boot cells ran strictly one at a time (BENCH_OVERLAP=0).'}

## 2. Start-up

Wall time: \`spawn()\` to the child's \`exit\` event in the bench driver. Peak RSS: a separate, interleaved run under
\`/usr/bin/time -f %M\` (so GNU time's own cost is not in the wall time). \`wait-on --version\` prints wait-on's help
(it has no version flag) and exits 0: it still measures loading wait-on; it goes through \`node_modules/.bin/wait-on\`
(\`#!/usr/bin/env node\`, one extra exec). \`mcp-launch --help\` is for information: it loads the whole CLI (argument parser).

${simpleTable(['command', 'wall ms', 'peak RSS MiB', 'runs'], startupRows(results), true)}

${results.cpu ? `## 3. CPU while waiting

mcp-launch gates on a *silent* server that boots in ${results.cpu.bootMs / 1000} s (${config.runsCpu} launchers side by side: CPU time is per process, so
that only saves wall time). The bench finds the launcher's pid (the leader of the group it spawned), polls
\`/proc/PID/task/*/children\` until the launcher has spawned the server, the start of the wait, and sums
\`/proc/PID/task/*/schedstat\` (time on CPU, ns, every thread of the launcher: main thread, libuv pool, V8 workers) there and
again ${config.cpuWindowMs / 1000} s later, before the server listens. The difference is the launcher's own CPU while waiting: children (server,
guardian, client) are separate processes and are not in it. \`/proc/PID/stat\` utime+stime (${clockTicks} Hz ticks) is a cross-check.

${simpleTable(['what', 'ms median [min–max]', 'runs'], cpuRows(results), true)}
${results.cpu.connectBaseline ? `
**Why the CPU target is missed.** On this machine a bare \`net.connect\` to a closed port, polled every
${results.cpu.connectBaseline.intervalMs} ms, costs ${fmt(results.cpu.connectBaseline.perProbeUs, 0)} µs of CPU per probe (measured in the same run,
bench/connect-baseline.js: the wake-up, the socket and the refusal, nothing of mcp-launch). 100 ms over 10 s therefore buys about
${Math.floor(100_000 / results.cpu.connectBaseline.perProbeUs)} probes, one every ${fmt(10_000 / Math.floor(100_000 / results.cpu.connectBaseline.perProbeUs), 0)} ms, and a silent server would then be
noticed ~${fmt(10_000 / Math.floor(100_000 / results.cpu.connectBaseline.perProbeUs) / 2, 0)} ms late on average, against the
silent-server latency targets above. mcp-launch polls at most every 15 ms for the first 6 s (so a silent server listening at
500 ms or 5 s is noticed within 15 ms) and at most every 100 ms after that; every probe costs about 1.4 times the bare connect (p-retry's
timer and promise, the probe's bookkeeping). The schedule favours noticing the server (the tool's purpose); an announcing server
is noticed through its output at any point, at no polling cost. Servers that print something when they listen (most do) need
no fast polling at all.
` : ''}` : ''}
### Where the gate latency goes

Traced with timestamps from the server's listen callback (an announcing server, 500 ms boot, idle machine): the server's line
reaches mcp-launch ~2 ms after \`listen()\`; the HTTP probe returns ~9 ms later, of which the server's own answer to its
first request (a cold code path in *its* process) is the figure in the "over the floor" lines above; then ~1 ms of checks on the
answer and the log line; then \`child_process.spawn\` of the client, ~7-8 ms, because \`fork()\` of a Node process copies a
~50 MB address space. The floor pays the spawn too but no HTTP exchange; tuned wait-on's client is forked by \`sh\` (a
1 MB process, ~1 ms), which is why it does well at 500 ms and 5 s boots. Earlier versions paid two more costs that are gone: the
first HTTP exchange of the process compiling its code (~15 ms, now warmed up during the boot) and execa's first call (19-23 ms
against 7-8 ms).

## 4. Teardown

From the client's exit (the fixture client writes a stamp just before it exits) to the bench driver seeing the
launcher's \`exit\` event, with a server that exits on SIGTERM, pooled over all gate runs of each contender. The last column counts
runs in which the server process was still alive (not a zombie) at that moment: mcp-launch and the floor wait for the server
to be gone; the wait-on shell line sends \`kill $!\` and exits without waiting; start-server-and-test signals the server and exits.

${simpleTable(['contender', 'ms median [min–max]', 'runs', 'server alive when launcher exited'], teardownRows(results), true)}
`;
}

// ---------------------------------------------------------------- main
async function main() {
	if (!existsSync('dist/cli.js')) {
		throw new Error('dist/cli.js is missing: run `npm run build` (or `npm run bench`, which builds first)');
	}

	for (const bin of ['wait-on', 'start-server-and-test']) {
		if (!existsSync(`node_modules/.bin/${bin}`)) {
			throw new Error(`node_modules/.bin/${bin} is missing: run npm ci`);
		}
	}

	rmSync(snapshotRoot, {recursive: true, force: true});
	cpSync('dist', `${snapshotRoot}/dist`, {recursive: true});
	cpSync('package.json', `${snapshotRoot}/package.json`);
	const check = spawnSync('node', [cli, '--version'], {encoding: 'utf8'});
	const direct = spawnSync('node', ['dist/cli.js', '--version'], {encoding: 'utf8'});
	if (check.status !== 0 || check.stdout !== direct.stdout) {
		throw new Error(`the snapshot of dist/ does not answer --version like dist/cli.js: ${check.stdout}${check.stderr}`);
	}

	const started = performance.now();
	const results = {config, machine: machine(), gate: {}, load: {}};
	console.log(`mcp-launch bench on ${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}`);
	await watched(results, 'start-up', () => startup(results));
	await watched(results, 'cpu', () => cpuWhileWaiting(results));
	await watched(results, 'gate latency and teardown', () => gateLatency(results));

	results.teardown = {};
	results.teardownServerLeft = {};
	for (const c of contenders) {
		const all = Object.values(results.gate).flatMap(byContender => byContender[c]?.samples ?? []);
		results.teardown[c] = summarize(all.map(s => s.teardownMs));
		results.teardownServerLeft[c] = all.filter(s => s.ok && s.serverAliveAtExit).length;
	}

	results.durationS = Math.round((performance.now() - started) / 1000);
	const list = targets(results);
	results.targets = list;
	writeFileSync('bench/results.json', `${JSON.stringify(results, null, '\t')}\n`);
	writeFileSync('BENCHMARKS.md', markdownReport(results, list));
	printSummary(results, list);
	console.log(`\nbench: done in ${results.durationS} s; wrote bench/results.json and BENCHMARKS.md`);
}

try {
	await main();
	process.exitCode = 0;
} catch (error) {
	console.error(`\nbench: harness failure: ${error.stack ?? error}`);
	process.exitCode = 1;
}
