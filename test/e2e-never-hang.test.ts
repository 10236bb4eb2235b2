// End-to-end: a listener that accepts TCP and never answers HTTP (a blocked event loop, a
// stuck or suspended server) can never hold mcp-launch past its bounds: not the gate, not
// `wait`, not `doctor`, not the pre-flight, and a signal during such a wait ends it at once.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import path from 'node:path';
import {FIXTURES, SERVER_FIXTURE, shellJoin, show} from './helpers/cli.js';
import {isAlive, killHard, waitGone} from './helpers/proc.js';
import {readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {waitFor} from './helpers/wait.js';

const T = {timeout: 30_000};
const BLACK_HOLE = path.join(FIXTURES, 'black-hole.js');
/** What a launcher's own start (node, the bundle) may add on top of a bound, on a loaded 2-core CI machine. */
const startSlackMs = 1_000;

/** Start a process the test owns and wait (bounded) for its READY / listening line. */
async function startOwned(box: Sandbox, argv: string[], ready: RegExp): Promise<ChildProcess> {
	const child = spawn(argv[0]!, argv.slice(1), {stdio: ['ignore', 'pipe', 'inherit']});
	box.extraPids.push(child.pid!);
	let out = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
	await waitFor(() => ready.test(out), {timeoutMs: 10_000, what: `${argv.join(' ')} to print ${String(ready)} (got ${JSON.stringify(out)})`});
	return child;
}

const blackHoleCommand = (box: Sandbox) => shellJoin(['node', BLACK_HOLE, '--port', String(box.port), '--report', box.path('hole.jsonl')]);

test('a managed server that accepts and never answers: exit 124 within --timeout + 1 s, named as "no HTTP answer"', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['-s', blackHoleCommand(box), '-u', box.url, '--timeout', '3s', '--kill-timeout', '1s', '--', 'true']).exited;
	assert.equal(result.code, 124, show(result));
	assert.ok(result.durationMs < 3_000 + 1_000 + startSlackMs, `took ${Math.round(result.durationMs)} ms\n${show(result)}`);
	assert.match(result.stderr, /did not answer within 3 s/);
	assert.match(result.stderr, /the connection was accepted, but no HTTP answer/);
	assert.match(result.stderr, /no HTTP answer/);
	const pids = readJsonLines(box.path('hole.jsonl')).map((event) => event.pid);
	await waitGone(pids, 2_000);
});

test('--probe mcp against a server that accepts and never answers: exit 124 within --timeout + 1 s', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--probe', 'mcp', '-s', blackHoleCommand(box), '-u', box.url, '--timeout', '2s', '--', 'true']).exited;
	assert.equal(result.code, 124, show(result));
	assert.ok(result.durationMs < 2_000 + 1_000 + startSlackMs, `took ${Math.round(result.durationMs)} ms\n${show(result)}`);
});

test('a real SDK server that blocks its event loop for 10 s after listen(): not ready at --timeout 3s (exit 124), not at 10 s', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const server = shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port), '--report', box.serverReport, '--block-after-listen', '10000']);
	const result = await box.start(['-s', server, '-u', box.url, '--timeout', '3s', '--kill-timeout', '500ms', '--', 'true']).exited;
	assert.equal(result.code, 124, show(result));
	assert.ok(result.durationMs < 3_000 + 1_000 + startSlackMs + 500, `took ${Math.round(result.durationMs)} ms\n${show(result)}`);
});

for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
	test(`${signal} while a probe hangs on a silent listener: exit ${code} within 1 s, server gone`, T, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const run = box.start(['-s', blackHoleCommand(box), '-u', box.url, '--timeout', '20s', '--kill-timeout', '1s', '--', 'true']);
		// The launcher's probe is connected and waiting for an answer that never comes.
		await waitFor(() => readJsonLines(box.path('hole.jsonl')).some((event) => event.event === 'connection'), {timeoutMs: 10_000, what: 'a probe connection'});
		const sentAt = performance.now();
		process.kill(run.pid, signal);
		const result = await run.exited;
		const tookMs = performance.now() - sentAt;
		assert.equal(result.code, code, show(result));
		assert.ok(tookMs < 1_000, `exited ${Math.round(tookMs)} ms after ${signal}\n${show(result)}`);
		assert.match(result.stderr, new RegExp(`interrupted by ${signal}`));
		await waitGone(readJsonLines(box.path('hole.jsonl')).map((event) => event.pid), 2_000);
	});
}

test('--reuse against an occupant that accepts and never answers: port in use (exit 125) within the pre-flight bound', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const hole = await startOwned(box, ['node', BLACK_HOLE, '--port', String(box.port)], /READY/);
	const result = await box.start(['-s', 'true', '-p', String(box.port), '--reuse', '--timeout', '3s', '--', 'true']).exited;
	assert.equal(result.code, 125, show(result));
	assert.ok(result.durationMs < 500 + startSlackMs + 500, `took ${Math.round(result.durationMs)} ms\n${show(result)}`);
	assert.match(result.stderr, new RegExp(`port ${box.port} is already in use by pid ${hole.pid}`));
	assert.ok(isAlive(hole.pid!), 'the occupant is not ours to stop');
});

test('a suspended (SIGSTOPped) stale server holds the port: the launcher and doctor name it, promptly', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => {
		try {
			process.kill(stale.pid!, 'SIGCONT');
		} catch {}

		killHard(stale.pid);
		return box.cleanup();
	});
	const stale = await startOwned(box, ['node', SERVER_FIXTURE, '--port', String(box.port)], /listening on/);
	process.kill(stale.pid!, 'SIGSTOP');
	const marker = box.path('server-started');
	const launched = await box.start(['-s', `touch ${marker}`, '-p', String(box.port), '--timeout', '5s', '--', 'true']).exited;
	assert.equal(launched.code, 125, show(launched));
	assert.ok(launched.durationMs < 500 + startSlackMs + 500, `took ${Math.round(launched.durationMs)} ms\n${show(launched)}`);
	assert.match(launched.stderr, new RegExp(`port ${box.port} is already in use by pid ${stale.pid}`));
	assert.equal(isAlive(stale.pid!), true);

	const doctor = await box.start(['doctor', '--probe-timeout', '1s', box.url]).exited;
	assert.equal(doctor.code, 1, show(doctor));
	assert.ok(doctor.durationMs < 1_000 + startSlackMs + 1_000, `doctor took ${Math.round(doctor.durationMs)} ms\n${show(doctor)}`);
	assert.match(doctor.stdout, new RegExp(`pid ${stale.pid}`));
	assert.doesNotMatch(doctor.stdout, /nothing listens/);
	assert.match(doctor.stdout, /accepts connections .* but gives no HTTP answer/);
});

test('wait --timeout 2s against a listener that never answers: exit 124 within the bound', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	await startOwned(box, ['node', BLACK_HOLE, '--port', String(box.port)], /READY/);
	const result = await box.start(['wait', '--timeout', '2s', box.url]).exited;
	assert.equal(result.code, 124, show(result));
	assert.ok(result.durationMs < 2_000 + 1_000 + startSlackMs, `took ${Math.round(result.durationMs)} ms\n${show(result)}`);
	assert.match(result.stderr, /no HTTP answer/);
});
