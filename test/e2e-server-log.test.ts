// End-to-end: --server-log never costs the session. A file that fails on write (/dev/full) is
// one warning and the run goes on; the log is only ever appended to, created 0600, and a
// symbolic link, a FIFO (with or without a reader) or a directory is refused up front with one
// line, exit 2, nothing started.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {closeSync, constants, existsSync, mkdirSync, openSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {lines, show} from './helpers/cli.js';
import {readClientReport} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';

const T = {timeout: 60_000};

/** A usage error: exit 2, one line naming --server-log, no stack trace, and the server never ran. */
function assertRefused(result: {code: number; stdout: string; stderr: string}, box: Sandbox, why: RegExp): void {
	assert.equal(result.code, 2, show(result));
	assert.equal(lines(result.stderr).length, 1, `one line: ${result.stderr}`);
	assert.match(result.stderr, /`--server-log`/);
	assert.match(result.stderr, why);
	assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
	assert.equal(existsSync(box.serverReport), false, 'the server was never started');
	assert.equal(existsSync(box.clientReport), false, 'the client was never started');
}

test('--server-log /dev/full: one warning, the client runs to its end, exit 0', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--server', box.server(['--noise']), '--url', box.url, '--server-log', '/dev/full', '--timeout', '20s', '--', ...box.client()], {timeoutMs: 40_000}).exited;
	assert.equal(result.code, 0, show(result));
	const warnings = lines(result.stderr).filter((line) => line.includes('--server-log'));
	assert.equal(warnings.length, 1, `warned once: ${result.stderr}`);
	assert.match(warnings[0]!, /^mcp-launch: warning: cannot write to --server-log \/dev\/full \(ENOSPC\)/);
	assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
	const client = readClientReport(box.clientReport);
	assert.deepEqual(client?.tools, ['echo'], 'the client connected and listed the tools');
	assert.deepEqual(client?.signals, [], 'nobody signalled the client');
});

test('--server-log /dev/full and a server that crashes: its last words still reach the report (kept in memory)', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--server', box.server(['--crash-on-boot', 'fixture: last words']), '--url', box.url, '--server-log', '/dev/full', '--', ...box.client()], {timeoutMs: 40_000}).exited;
	assert.equal(result.code, 125, show(result));
	assert.match(result.stderr, /fixture: last words/);
	assert.equal(lines(result.stderr).filter((line) => line.includes('cannot write to --server-log')).length, 1, result.stderr);
});

test('--server-log appends to an existing file (its content is kept) and creates a new one with mode 0600', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const existing = box.path('existing.log');
	writeFileSync(existing, 'EARLIER CONTENT\n', {mode: 0o644});
	const fresh = box.path('fresh.log');
	for (const log of [existing, fresh]) {
		const result = await box.start(['--server', box.server(), '--url', box.url, '--server-log', log, '--timeout', '20s', '--', ...box.client()], {timeoutMs: 40_000}).exited;
		assert.equal(result.code, 0, show(result));
	}
	const kept = readFileSync(existing, 'utf8');
	assert.ok(kept.startsWith('EARLIER CONTENT\n'), `kept: ${kept}`);
	assert.match(kept, /listening on http:\/\/127\.0\.0\.1:\d+\/mcp/, 'and appended to');
	assert.equal(statSync(existing).mode & 0o777, 0o644, 'an existing file keeps its mode');
	assert.match(readFileSync(fresh, 'utf8'), /listening on/);
	assert.equal(statSync(fresh).mode & 0o777, 0o600, 'a new log is private');
});

test('--server-log is a symbolic link: refused (not followed), the target untouched', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const target = box.path('target');
	writeFileSync(target, 'TARGET\n');
	const link = box.path('link.log');
	symlinkSync(target, link);
	const result = await box.start(['--server', box.server(), '--url', box.url, '--server-log', link, '--', ...box.client()], {timeoutMs: 20_000}).exited;
	assertRefused(result, box, /symbolic link/);
	assert.equal(readFileSync(target, 'utf8'), 'TARGET\n');
	// A dangling link is not followed to create its target either.
	const dangling = box.path('dangling.log');
	symlinkSync(box.path('created-through-link'), dangling);
	const second = await box.start(['--server', box.server(), '--url', box.url, '--server-log', dangling, '--', ...box.client()], {timeoutMs: 20_000}).exited;
	assertRefused(second, box, /symbolic link/);
	assert.equal(existsSync(box.path('created-through-link')), false);
});

test('--server-log is a FIFO: refused at once, with or without a reader (never blocks the launcher)', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const fifo = box.path('log.fifo');
	const made = spawn('mkfifo', [fifo], {stdio: 'ignore'});
	assert.equal(await new Promise((resolve) => made.once('exit', resolve)), 0, 'mkfifo');
	const noReader = await box.start(['--server', box.server(), '--url', box.url, '--server-log', fifo, '--', ...box.client()], {timeoutMs: 15_000}).exited;
	assert.equal(noReader.timedOut, false, 'the launcher did not block on the FIFO');
	assertRefused(noReader, box, /FIFO with no reader/);
	// With a reader holding it open (this test, opened without blocking: there at once).
	const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
	t.after(() => closeSync(reader));
	const withReader = await box.start(['--server', box.server(), '--url', box.url, '--server-log', fifo, '--', ...box.client()], {timeoutMs: 15_000}).exited;
	assert.equal(withReader.timedOut, false);
	assertRefused(withReader, box, /it is a FIFO\)/);
});

test('--server-log is a directory: refused', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const dir = box.path('a-dir');
	mkdirSync(dir);
	const result = await box.start(['--server', box.server(), '--url', box.url, '--server-log', dir, '--', ...box.client()], {timeoutMs: 15_000}).exited;
	assertRefused(result, box, /directory/);
});
