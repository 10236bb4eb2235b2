// End-to-end: the gate works with a real SDK server and client, the client gets its argv and env
// verbatim, the server's output never reaches the terminal.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {CLIENT_FIXTURE, lines, show, startCli} from './helpers/cli.js';
import {portIsFree} from './helpers/net.js';
import {waitGone} from './helpers/proc.js';
import {findEvent, readClientReport} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';

const T = {timeout: 30_000};

test('fixture sanity: the client connects once, with no retry, and fails when nothing listens', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const run = startCli(['--url', box.url, '--report', box.clientReport], {command: [process.execPath, CLIENT_FIXTURE]});
	const result = await run.exited;
	assert.equal(result.code, 1, show(result));
	const report = readClientReport(box.clientReport);
	assert.ok(report?.error, 'the client reports its connect error');
	assert.equal(report.connectedAt, null);
});

test('slow server (boot 1500 ms): the client connects on its first try, after listen', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(
		['--server', box.server(['--boot-delay', '1500']), '--url', box.url, '--timeout', '20s', '--', ...box.client(['--print', 'CLIENT-SAYS hello'])],
	).exited;
	assert.equal(result.code, 0, show(result));
	const report = readClientReport(box.clientReport);
	assert.ok(report, 'client report written');
	assert.equal(report.error, null, `client error: ${report.error}`);
	assert.deepEqual(report.tools, ['echo']);
	assert.deepEqual(report.serverVersion, {name: 'fixture-server', version: '1.2.3'});
	const listening = findEvent(box.serverReport, 'listening');
	assert.ok(listening?.t, 'server reported listening');
	assert.ok(report.connectedAt !== null && report.connectedAt > listening.t, `connectedAt ${report.connectedAt} > listening ${listening.t}`);
	assert.equal(result.stdout, 'CLIENT-SAYS hello\n', 'stdout carries only what the client printed');
	assert.doesNotMatch(result.stderr, /listening on http/, 'server output is not copied to the terminal without --verbose');
});

test('client exit code is the launcher exit code; the whole npm-like server tree is gone; port free', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(
		['--server', box.server([], {wrapper: 'shell'}), '--url', box.url, '--timeout', '20s', '--', ...box.client(['--exit', '7'])],
	).exited;
	assert.equal(result.code, 7, show(result));
	const wrapper = findEvent(box.serverReport, 'wrapper');
	const server = findEvent(box.serverReport, 'start');
	assert.ok(wrapper && server, 'wrapper and server both reported');
	assert.notEqual(wrapper.pid, server.pid, 'the server is a grandchild, not the wrapper');
	const pids = box.serverTreePids();
	assert.ok(pids.length >= 2);
	await waitGone(pids, 2_000);
	assert.ok(await portIsFree(box.port), `port ${box.port} is free after the launcher exits`);
	assert.equal(readClientReport(box.clientReport)?.exitCode, 7);
});

test('client argv arrives verbatim (spaces, quotes, $HOME, *, ;)', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const tricky = ['with space', `it's "quoted"`, '$HOME', '*', 'a;b', '; rm -rf /nonexistent-xyz', '`id`', '$(id)', '', '--server', '-x'];
	const result = await box.start(['--server', box.server(), '--url', box.url, '--timeout', '20s', '--', ...box.client(), ...tricky]).exited;
	assert.equal(result.code, 0, show(result));
	const report = readClientReport(box.clientReport);
	assert.ok(report);
	assert.deepEqual(report.argv, ['--report', box.clientReport, ...tricky]);
});

test('MCP_SERVER_URL reaches the client (and the rest of the env too)', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--server', box.server(), '--url', box.url, '--timeout', '20s', '--', ...box.client()], {
		env: {...process.env, MCP_SERVER_URL: 'http://wrong.invalid/mcp'},
	}).exited;
	assert.equal(result.code, 0, show(result));
	const report = readClientReport(box.clientReport);
	assert.ok(report);
	assert.equal(report.env.MCP_SERVER_URL, box.url);
	assert.equal(report.error, null, 'the client connected using MCP_SERVER_URL alone');
	assert.deepEqual(report.tools, ['echo']);
});

test('--server-log gets the server stdout and stderr; the terminal gets none of it', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const log = box.path('server.log');
	const result = await box.start(
		['--server', box.server(['--noise']), '--url', box.url, '--timeout', '20s', '--server-log', log, '--', ...box.client()],
	).exited;
	assert.equal(result.code, 0, show(result));
	assert.ok(existsSync(log), 'server log written');
	const text = readFileSync(log, 'utf8');
	assert.match(text, /SERVER-NOISE out/, 'server stdout in the log');
	assert.match(text, /SERVER-NOISE err/, 'server stderr in the log');
	assert.match(text, new RegExp(`listening on http://127\\.0\\.0\\.1:${box.port}/mcp`));
	assert.doesNotMatch(result.stdout + result.stderr, /SERVER-NOISE/);
});

test('--verbose copies the server output to stderr (before the client starts), never to stdout', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--verbose', '--server', box.server(['--noise']), '--url', box.url, '--timeout', '20s', '--', ...box.client()]).exited;
	assert.equal(result.code, 0, show(result));
	assert.match(result.stderr, /SERVER-NOISE/);
	assert.doesNotMatch(result.stdout, /SERVER-NOISE/);
	assert.equal(result.stdout, '');
});

test('--log-format json: every launcher stderr line is a JSON object', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--log-format', 'json', '--server', box.server(), '--url', box.url, '--timeout', '20s', '--', ...box.client()]).exited;
	assert.equal(result.code, 0, show(result));
	const stderrLines = lines(result.stderr);
	assert.ok(stderrLines.length >= 1, 'at least the ready message');
	for (const line of stderrLines) {
		const parsed: unknown = JSON.parse(line);
		assert.equal(typeof parsed, 'object', line);
	}
	assert.ok(stderrLines.some((line) => line.includes(box.url)), 'the ready line names the url');
});
