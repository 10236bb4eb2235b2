// End-to-end in a real terminal (util-linux `script` gives us a pty): the client sees a TTY,
// Ctrl-C reaches the client only (the server lives in another session), no server noise on screen.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {CLI, shellJoin, show} from './helpers/cli.js';
import {waitGone} from './helpers/proc.js';
import {readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {cliEnv, evidenceSources, skipUnless} from './helpers/sources.js';

const scriptPath = spawnSync('sh', ['-c', 'command -v script'], {encoding: 'utf8'}).stdout.trim();
const skip = process.platform !== 'linux' ? 'pty test needs Linux' : scriptPath === '' ? 'util-linux `script` is not installed' : false;

// The foreground rule both ways: /proc/self/stat (tpgid = pgrp), and the macOS fallback (a TTY on stdin).
for (const source of evidenceSources) test(`[${source}] Ctrl-C in a terminal reaches the client only; exit 130; no server noise on screen`, {timeout: 30_000, skip: skip || skipUnless(source)}, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const command = 'exec ' + shellJoin([
		process.execPath, CLI,
		'--server', box.server(['--noise']),
		'--url', box.url, '--timeout', '20s', '--kill-timeout', '2s',
		'--', ...box.client(['--stay']),
	]);
	const run = box.start(['-qfec', command, '/dev/null'], {command: [scriptPath], stdin: 'pipe', env: cliEnv(source)});
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

test('a slow server shows a quiet "waiting for" line on the terminal, cleared before the client draws', {timeout: 30_000, skip}, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const command = 'exec ' + shellJoin([
		process.execPath, CLI,
		'--server', box.server(['--boot-delay', '1800']),
		'--url', box.url, '--timeout', '20s',
		'--', ...box.client(['--print', 'CLIENT-OUTPUT']),
	]);
	const run = box.start(['-qfec', command, '/dev/null'], {command: [scriptPath], stdin: 'pipe'});
	const result = await run.exited;
	assert.equal(result.code, 0, show(result));
	const screen = result.stdout;
	const waiting = screen.indexOf('mcp-launch: waiting for');
	assert.ok(waiting >= 0, `the waiting line appears after a second (screen: ${JSON.stringify(screen)})`);
	const clientAt = screen.indexOf('CLIENT-OUTPUT');
	assert.ok(clientAt > waiting, 'the client draws after the waiting line');
	// The last thing before the client's output that touches the status line is the erase sequence.
	const between = screen.slice(waiting, clientAt);
	assert.ok(between.lastIndexOf('\r\u001B[2K') > between.lastIndexOf('mcp-launch: waiting for'), `the waiting line is erased before the client starts (${JSON.stringify(between)})`);
});

test('a fast server shows no waiting line at all (no flicker)', {timeout: 30_000, skip}, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	// A bare node:http server: it listens ~100 ms after start.
	const server = shellJoin([process.execPath, '-e', `require('http').createServer((q, r) => r.writeHead(400).end()).listen(${box.port}, '127.0.0.1')`]);
	const command = 'exec ' + shellJoin([process.execPath, CLI, '--server', server, '--url', box.url, '--', 'sh', '-c', 'echo CLIENT-OUTPUT']);
	const run = box.start(['-qfec', command, '/dev/null'], {command: [scriptPath], stdin: 'pipe'});
	const result = await run.exited;
	assert.equal(result.code, 0, show(result));
	// The rule: the line appears only once the wait passes a second. The ready line says how long it took.
	const ready = /ready \S+ \(400 after (\d+) ms\)/.exec(result.stdout);
	assert.ok(ready, show(result));
	if (Number(ready[1]) < 900) {
		assert.doesNotMatch(result.stdout, /waiting for/, show(result));
	}
});
