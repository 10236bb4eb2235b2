// Section: gate latency (server listen() → client start) and teardown, with the plain
// node:http fixture server (bench/fixtures/server.js), announcing and silent.
import {readFileSync} from 'node:fs';
import {setTimeout as sleep} from 'node:timers/promises';
import {cli, config, shq} from '../lib/config.js';
import {alive, freePort, readNumber, reap, run, runFiles} from '../lib/proc.js';
import {summarize} from '../lib/stats.js';

export const contenders = ['mcp-launch', 'floor', 'wait-on-tuned', 'wait-on-defaults', 'start-server-and-test'];
export const contenderLabel = {
	'mcp-launch': 'mcp-launch',
	floor: 'floor',
	'wait-on-tuned': 'wait-on -i 10 -w 0',
	'wait-on-defaults': 'wait-on (defaults)',
	'start-server-and-test': 'start-server-and-test',
};
export const modes = ['announcing', 'silent'];

export function gateCommand(contender, {port, delay, mode, files}) {
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

async function gateRun(job) {
	const {files, remove} = runFiles();
	const port = await freePort();
	const [file, args] = gateCommand(job.contender, {port, delay: job.delay, mode: job.mode, files});
	let result;
	try {
		result = await run(file, args, {timeoutMs: job.delay + 20_000});
		const serverPid = readNumber(files.pidfile);
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
		remove();
	}
}

/** Rough busy windows of a run, in ms after its start, for the staggered schedule of 5 s boots. */
function busyWindows(job) {
	const startW = 700; // launcher + server node start-up (start-server-and-test loads ~300 ms)
	const detect = {'start-server-and-test': 1500, 'wait-on-defaults': 300}[job.contender] ?? 50;
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
		if (mine.some(([a, b]) => theirs.some(([c, d]) => a < d + margin && c < b + margin))) {
			return false;
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

export async function gateLatency(results) {
	results.gate = {};
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
		process.stdout.write(`gate latency, boot ${delay} ms: ${jobs.length} runs `);
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

	results.teardown = {};
	results.teardownServerLeft = {};
	for (const c of contenders) {
		const all = Object.values(results.gate).flatMap(byContender => byContender[c]?.samples ?? []);
		results.teardown[c] = summarize(all.map(s => s.teardownMs));
		results.teardownServerLeft[c] = all.filter(s => s.ok && s.serverAliveAtExit).length;
	}
}
