// End-to-end: teardown escalates to SIGKILL, and a server that dies under a running client is
// reported without touching the client. Each runs with both evidence sources: /proc (Linux)
// and lsof (the macOS path, forced through the CLI's MCP_LAUNCH_PLATFORM knob).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {lsofEvidence} from '../src/os/lsof/index.js';
import {processGroup} from '../src/os/posix/group-tree.js';
import {procfsEvidence} from '../src/os/procfs/index.js';
import {lines, show} from './helpers/cli.js';
import {isAlive, killHard, waitGone} from './helpers/proc.js';
import {readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {cliEnv, evidenceSources, skipUnless} from './helpers/sources.js';
import {waitFor} from './helpers/wait.js';

const T = {timeout: 30_000};

for (const source of evidenceSources) {
const TS = {...T, skip: skipUnless(source)};
const env = cliEnv(source);

test(`[${source}] server ignores SIGTERM: SIGKILL after --kill-timeout 500ms, gone before the launcher exits`, TS, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(
		['--server', box.server(['--ignore-sigterm']), '--url', box.url, '--timeout', '20s', '--kill-timeout', '500ms', '--', ...box.client()],
		{env},
	).exited;
	assert.equal(result.code, 0, show(result));
	const events = readJsonLines(box.serverReport);
	assert.ok(events.some((e) => e.event === 'signal' && e.name === 'SIGTERM'), `server got SIGTERM: ${JSON.stringify(events)}`);
	assert.ok(!events.some((e) => e.event === 'exit'), 'the server did not exit by itself');
	const pid = box.serverPid();
	assert.ok(pid);
	await waitGone([pid], 500); // the launcher exits only once the group is gone
	const client = readClientReport(box.clientReport);
	assert.ok(client?.exitAt, 'client recorded its exit time');
	const teardown = result.endedAt - client.exitAt;
	assert.ok(teardown >= 400, `teardown took ${Math.round(teardown)} ms (>= ~500 ms kill timeout)`);
	assert.ok(teardown < 5_000, `teardown took ${Math.round(teardown)} ms, not the 5 s default`);
});

test(`[${source}] --kill-timeout 0: SIGKILL at once, and no "ignored SIGTERM" warning (nothing was given time to)`, TS, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--server', box.server(['--ignore-sigterm']), '--url', box.url, '--timeout', '20s', '--kill-timeout', '0', '--', ...box.client()], {env}).exited;
	assert.equal(result.code, 0, show(result));
	assert.ok(!readJsonLines(box.serverReport).some((e) => e.event === 'exit'), 'the server was killed, it did not exit');
	assert.doesNotMatch(result.stderr, /ignored SIGTERM|warning/, show(result));
});

test(`[${source}] server dies while the client runs: one line with code 4 and its stderr; client unaffected; exit is the client's`, TS, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const gate = box.path('client-may-exit');
	const run = box.start([
		'--server', box.server(['--exit-after-ready', '300']),
		'--url', box.url, '--timeout', '20s',
		'--', ...box.client(['--no-connect', '--until-file', gate]),
	], {env});
	await waitFor(() => /fixture: dying now/.test(run.stderr()) && lines(run.stderr()).some((line) => /exit/i.test(line) && /\b4\b/.test(line)), {
		timeoutMs: 15_000,
		what: `the server's death (code 4, "fixture: dying now") on the launcher stderr; stderr so far: ${JSON.stringify(run.stderr())}`,
	}).catch((error: unknown) => {
		throw new Error(`${String(error)}\nstderr: ${run.stderr()}`);
	});
	assert.equal(run.done(), false, 'the launcher is still running');
	const client = await waitFor(() => readClientReport(box.clientReport), {timeoutMs: 5_000, what: 'client report'});
	assert.ok(isAlive(client.pid), 'the client is still running');
	assert.deepEqual(client.signals, []);
	writeFileSync(gate, '');
	const result = await run.exited;
	assert.equal(result.code, 0, show(result));
	assert.equal(readClientReport(box.clientReport)?.exitCode, 0);
	assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
	const pid = box.serverPid();
	assert.ok(pid);
	await waitGone([pid], 500);
});
}

// Teardown where zombies linger: kill(-pgid, 0) still finds the group after its last live
// member died, because the zombies' parent never reaps them (here a perl that forks and sleeps;
// in a container, a PID 1 that does not reap). /proc (Linux) and lsof (macOS, which lists no
// zombie) must both tell "only zombies left" from "still running", so that teardown ends at
// SIGTERM instead of waiting out the grace, escalating, and reporting a false leftover.
const zombieTree = String.raw`$| = 1;
my $a = fork();
if ($a == 0) {
	setpgrp(0, 0);
	my $b = fork();
	if ($b == 0) { exec 'sleep', '30'; }
	print "LIVE $b\n";
	exit 0;
}
print "ZOMBIE $a\n";
sleep 60;`;

for (const source of evidenceSources) {
	test(`[${source}] teardown of a group whose leader is a zombie nobody reaps: done at SIGTERM, within the kill timeout, nothing left`, {...T, skip: skipUnless(source)}, async (t) => {
		const perl = spawn('perl', ['-e', zombieTree], {stdio: ['ignore', 'pipe', 'inherit']});
		t.after(() => killHard(perl.pid));
		let out = '';
		perl.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
		const [zombie, live] = await waitFor(() => {
			const z = /ZOMBIE (\d+)/.exec(out);
			const l = /LIVE (\d+)/.exec(out);
			return z && l ? [Number(z[1]), Number(l[1])] : undefined;
		}, {timeoutMs: 10_000, what: `the zombie and live pids from perl (stdout so far: ${JSON.stringify(out)})`});
		t.after(() => killHard(live));
		const pgid = zombie; // setpgrp made the first child the leader of a new group
		await waitFor(() => !isAlive(zombie), {timeoutMs: 10_000, what: `pid ${zombie} to be a zombie`});
		// A group mcp-launch did not start, driven as its own are (the leader: not ours to wait for).
		const group = () => processGroup(pgid, source === 'procfs' ? procfsEvidence : lsofEvidence, () => true);
		assert.equal(group().isGone(), false, 'the group still runs (the sleep)');

		const killTimeoutMs = 5_000;
		const result = await group().stop(killTimeoutMs);
		assert.equal(result.leftover, false, JSON.stringify(result));
		assert.equal(result.step, 'graceful', `SIGTERM was enough; no escalation (${JSON.stringify(result)})`);
		assert.ok(result.durationMs < killTimeoutMs, `done within the ${killTimeoutMs} ms kill timeout (${Math.round(result.durationMs)} ms)`);
		assert.equal(isAlive(live), false, 'the live member is gone');
		assert.equal(group().isGone(), true);
		assert.doesNotThrow(() => process.kill(-pgid, 0), 'the zombie is still there: a kill(-pgid, 0)-only check would have waited it out');
	});
}
