// End-to-end: teardown escalates to SIGKILL, and a server that dies under a running client is
// reported without touching the client.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {lines, show} from './helpers/cli.js';
import {isAlive, waitGone} from './helpers/proc.js';
import {readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {waitFor} from './helpers/wait.js';

const T = {timeout: 30_000};

test('server ignores SIGTERM: SIGKILL after --kill-timeout 500ms, gone before the launcher exits', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(
		['--server', box.server(['--ignore-sigterm']), '--url', box.url, '--timeout', '20s', '--kill-timeout', '500ms', '--', ...box.client()],
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

test('server dies while the client runs: one line with code 4 and its stderr; client unaffected; exit is the client\'s', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const gate = box.path('client-may-exit');
	const run = box.start([
		'--server', box.server(['--exit-after-ready', '300']),
		'--url', box.url, '--timeout', '20s',
		'--', ...box.client(['--no-connect', '--until-file', gate]),
	]);
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
