// End-to-end in a real terminal (util-linux `script` gives us a pty): the client sees a TTY,
// Ctrl-C reaches the client only (the server lives in another session), no server noise on screen.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {CLI, shellJoin, show} from './helpers/cli.js';
import {waitGone} from './helpers/proc.js';
import {readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';

const scriptPath = spawnSync('sh', ['-c', 'command -v script'], {encoding: 'utf8'}).stdout.trim();
const skip = process.platform !== 'linux' ? 'pty test needs Linux' : scriptPath === '' ? 'util-linux `script` is not installed' : false;

test('Ctrl-C in a terminal reaches the client only; exit 130; no server noise on screen', {timeout: 30_000, skip}, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const command = 'exec ' + shellJoin([
		process.execPath, CLI,
		'--server', box.server(['--noise']),
		'--url', box.url, '--timeout', '20s', '--kill-timeout', '2s',
		'--', ...box.client(['--stay']),
	]);
	const run = box.start(['-qfec', command, '/dev/null'], {command: [scriptPath], stdin: 'pipe'});
	await run.waitStdout('CLIENT READY', 20_000);
	const ready = readClientReport(box.clientReport);
	assert.ok(ready, 'client report written before CLIENT READY');
	assert.equal(ready.stdinIsTTY, true, 'client stdin is the terminal');
	assert.equal(ready.stdoutIsTTY, true, 'client stdout is the terminal');
	run.child.stdin?.write('\x03');
	const result = await run.exited;
	assert.equal(result.code, 130, show(result));
	const client = readClientReport(box.clientReport);
	assert.ok(client);
	assert.deepEqual(client.signals, ['SIGINT'], 'the client got exactly one SIGINT');
	assert.equal(client.exitCode, 130);
	const pid = box.serverPid();
	assert.ok(pid);
	await waitGone([pid], 2_000);
	// the launcher has exited: the moment for a stray SIGINT has passed
	const names = readJsonLines(box.serverReport).filter((e) => e.event === 'signal').map((e) => e.name);
	assert.ok(!names.includes('SIGINT'), `the server got no SIGINT (got ${JSON.stringify(names)})`);
	assert.ok(names.includes('SIGTERM'), `the server got the teardown SIGTERM (got ${JSON.stringify(names)})`);
	assert.doesNotMatch(result.stdout + result.stderr, /SERVER-NOISE/, 'no server output on the screen');
});
