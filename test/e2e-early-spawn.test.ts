// End-to-end: the CLI's early step (src/early-spawn.ts). A plain argv gets its server shell
// spawned held before the rest of the CLI loads, and launch() adopts it; when the full parse or a
// check then says no, the held shell is ended unreleased: the server command never runs.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {show, shellJoin} from './helpers/cli.js';
import {readClientReport} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {liveProcesses} from './helpers/soak-procs.js';
import {waitFor} from './helpers/wait.js';

const T = {timeout: 30_000};

/** The debug line that says the server's shell was started. */
function startedLine(stderr: string): {spawnedEarly?: boolean} | undefined {
	return stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as {msg?: string; spawnedEarly?: boolean}).find((entry) => /started/.test(entry.msg ?? ''));
}

test('a plain argv: the server shell spawned before the full parse is the one that runs', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--server', box.server(), '-u', box.url, '--log-level', 'debug', '--log-format', 'json', '--', ...box.client(['--exit', '5'])]).exited;
	assert.equal(result.code, 5, show(result));
	assert.equal(readClientReport(box.clientReport)?.error, null);
	assert.equal(startedLine(result.stderr)?.spawnedEarly, true, show(result));
});

test('an argv the early step leaves alone (-p auto): spawned by launch() as before', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const server = box.server().replace(`--port ${box.port}`, '--port {port}');
	const result = await box.start(['--server', server, '-p', 'auto', '--log-level', 'debug', '--log-format', 'json', '--', ...box.client()]).exited;
	assert.equal(result.code, 0, show(result));
	assert.equal(startedLine(result.stderr)?.spawnedEarly, false, show(result));
});

for (const [what, flags, code] of [
	['the full parse rejects a port the early step took (70000)', ['-p', '70000'], 2],
	['the client is not found', [], 127],
] as const) {
	test(`${what}: exit ${code}, the held shell ended unreleased, the server command never ran`, T, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const marker = box.path('server-ran');
		const client = code === 127 ? [box.path('no-such-client')] : box.client();
		const run = box.start(['-s', shellJoin(['touch', marker]), ...flags, '-u', box.url, '--', ...client]);
		const result = await run.exited;
		assert.equal(result.code, code, show(result));
		assert.equal(existsSync(marker), false, 'the server command never ran');
		// The held shell (its argv holds the marker) reads EOF and is gone.
		await waitFor(() => !liveProcesses().some((p) => p.argv.some((word) => word.includes(marker))), {timeoutMs: 5_000, what: 'the held shell to be gone'});
	});
}
