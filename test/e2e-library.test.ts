// The library as its users call it: launch() with real SDK servers and clients, its typed
// failures, and a bug inside it that the CLI must not mistake for a usage error.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import path from 'node:path';
import {isLaunchError, launch, LaunchError, OptionError} from '../src/index.js';
import {CLIENT_FIXTURE, FIXTURES, ROOT, SERVER_FIXTURE, shellJoin} from './helpers/cli.js';
import {isAlive, waitGone} from './helpers/proc.js';
import {readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';

const T = {timeout: 30_000};

test('launch(): a real server and client, the result says how it went, nothing left', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await launch({
		server: shellJoin(['node', SERVER_FIXTURE, '--port', '{port}', '--report', box.serverReport]),
		port: 'auto',
		client: ['node', CLIENT_FIXTURE, '--report', box.clientReport, '--exit', '3'],
		timeout: '15s',
	});
	assert.equal(result.exitCode, 3);
	assert.equal(result.client.code, 3);
	assert.equal(result.ready.length, 1);
	assert.match(result.ready[0]!.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
	assert.deepEqual(readClientReport(box.clientReport)?.tools, ['echo']);
	await waitGone(readJsonLines(box.serverReport).map((event) => event.pid), 2_000);
});

test('launch() with restart: the client is given the front door\'s URL, a stateless server passes through, nothing left', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await launch({
		server: shellJoin(['node', SERVER_FIXTURE, '--port', '{port}', '--report', box.serverReport]),
		port: box.port,
		restart: 'on-failure',
		client: ['node', CLIENT_FIXTURE, '--report', box.clientReport],
		timeout: '15s',
	});
	assert.equal(result.exitCode, 0);
	const report = readClientReport(box.clientReport);
	assert.equal(report?.env.MCP_SERVER_URL, box.url, 'the client gets the front door, on the port it was given');
	assert.deepEqual(report?.tools, ['echo'], 'and reaches the server through it');
	const listening = readJsonLines(box.serverReport).find((event) => event.event === 'listening');
	assert.notEqual(listening?.port, box.port, 'the server itself got another port');
	await waitGone(readJsonLines(box.serverReport).map((event) => event.pid), 2_000);
});

test('launch(): a server that crashes on boot rejects with SERVER_EXITED, its details typed', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const error = await launch({server: shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port), '--crash-on-boot', 'boom: missing config']), url: box.url, client: ['true'], timeout: '15s'}).catch((error: unknown) => error);
	assert.ok(isLaunchError(error), String(error));
	assert.equal(error.code, 'SERVER_EXITED');
	if (error.code === 'SERVER_EXITED') {
		assert.equal(error.details.exitCode, 3); // typed: no cast needed to read the evidence
		assert.ok(error.details.stderr.some((line) => line.includes('boom: missing config')));
	}
});

test('launch(): an AbortSignal while waiting rejects with ABORTED and stops the server', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const controller = new AbortController();
	const pending = launch({server: shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port), '--never-listen', '--report', box.serverReport]), url: box.url, client: ['true'], timeout: '20s', signal: controller.signal});
	await import('./helpers/wait.js').then(({waitFor}) => waitFor(() => readJsonLines(box.serverReport).length > 0, {timeoutMs: 10_000, what: 'the server to start'}));
	controller.abort('SIGTERM');
	const error = await pending.catch((error: unknown) => error);
	assert.ok(error instanceof LaunchError && error.code === 'ABORTED', String(error));
	const pid = readJsonLines(box.serverReport)[0]!.pid;
	assert.equal(isAlive(pid), false, 'the server is gone once launch() settled');
});

test('launch(): bad options reject with an OptionError naming the option, before anything starts', T, async () => {
	const error = await launch({server: 'touch /nonexistent-dir/x', client: ['true'], timeout: 'banana'}).catch((error: unknown) => error);
	assert.ok(error instanceof OptionError, String(error));
	assert.equal((error as OptionError).flag, '--timeout');
});

test('a bug inside the library (a TypeError) is exit 1 "internal error", never exit 2 with a usage hint', T, async () => {
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(FIXTURES, 'cli-with-bug.ts'), '-s', 'true', '--', 'true'], {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	assert.equal(code, 1, stderr);
	assert.match(stderr, /internal error: TypeError: Cannot read properties of undefined/);
	assert.doesNotMatch(stderr, /see mcp-launch --help/);
});
