// End-to-end: the server dies before it is ready, never gets ready, or the client cannot be run.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {chmodSync, existsSync, writeFileSync} from 'node:fs';
import {lines, show} from './helpers/cli.js';
import {portIsFree} from './helpers/net.js';
import {waitGone} from './helpers/proc.js';
import {Sandbox} from './helpers/sandbox.js';

const T = {timeout: 30_000};

test('crash on boot: exit 125 at once, the server stderr and its exit code are shown, no client', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(
		['--server', box.server(['--crash-on-boot', 'boom: missing DATABASE_URL']), '--url', box.url, '--timeout', '20s', '--', ...box.client()],
	).exited;
	assert.equal(result.code, 125, show(result));
	assert.ok(result.durationMs < 5_000, `finished in ${Math.round(result.durationMs)} ms, well under --timeout 20s`);
	assert.match(result.stderr, /boom: missing DATABASE_URL/, show(result));
	assert.match(result.stderr, /\b3\b/, 'the server exit code 3 is shown');
	assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
	assert.equal(existsSync(box.clientReport), false, 'the client never started');
	assert.equal(result.stdout, '');
});

test('never listens: exit 124 after --timeout 2s, the server is killed', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--server', box.server(['--never-listen']), '--url', box.url, '--timeout', '2s', '--', ...box.client()]).exited;
	assert.equal(result.code, 124, show(result));
	assert.ok(result.durationMs >= 1_900, `waited the timeout (${Math.round(result.durationMs)} ms)`);
	assert.ok(result.durationMs < 12_000, `but not much longer (${Math.round(result.durationMs)} ms)`);
	const pid = box.serverPid();
	assert.ok(pid, 'the server started and reported its pid');
	await waitGone([pid], 2_000);
	assert.equal(existsSync(box.clientReport), false, 'the client never started');
	assert.match(result.stderr, /mcp-launch/);
});

test('unknown client command: exit 127, one line naming it, the server is gone', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--server', box.server(), '--url', box.url, '--timeout', '20s', '--', 'definitely-not-a-command-xyz', '--flag']).exited;
	assert.equal(result.code, 127, show(result));
	const naming = lines(result.stderr).filter((line) => line.includes('definitely-not-a-command-xyz'));
	assert.equal(naming.length, 1, `exactly one line names the command\n${result.stderr}`);
	assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
	const pids = box.serverTreePids();
	if (pids.length > 0) await waitGone(pids, 2_000);
	assert.ok(await portIsFree(box.port), 'port free');
});

test('client that is not executable (mode 0644): exit 126, one line naming it', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const file = box.path('not-executable.sh');
	writeFileSync(file, `#!/bin/sh\ntouch ${box.path('ran')}\n`);
	chmodSync(file, 0o644);
	const result = await box.start(['--server', box.server(), '--url', box.url, '--timeout', '20s', '--', file]).exited;
	assert.equal(result.code, 126, show(result));
	const naming = lines(result.stderr).filter((line) => line.includes(file));
	assert.equal(naming.length, 1, `exactly one line names the file\n${result.stderr}`);
	assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
	assert.equal(existsSync(box.path('ran')), false);
	const pids = box.serverTreePids();
	if (pids.length > 0) await waitGone(pids, 2_000);
});
