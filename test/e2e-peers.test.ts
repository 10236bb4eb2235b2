// What the README says about wait-on and start-server-and-test (both devDependencies), re-run
// against a real MCP endpoint (the SDK fixture server: stateless, HEAD /mcp answers 405), so the
// comparison stays true: wait-on 9.5 with --status-codes 200-499 gates it, and keeps waiting after
// the server died; start-server-and-test 2.1 with --expect 405 gates it, stops on a crash without
// running the client, and on SIGTERM leaves the server listening and the client running.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import path from 'node:path';
import {ROOT, SERVER_FIXTURE, shellJoin, show, startCli} from './helpers/cli.js';
import {freePort, portIsFree} from './helpers/net.js';
import {isAlive, killHard} from './helpers/proc.js';
import {findEvent} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {liveProcesses} from './helpers/soak-procs.js';
import {waitFor} from './helpers/wait.js';

const T = {timeout: 60_000};
const BIN = path.join(ROOT, 'node_modules', '.bin');
const run = (tool: string, args: string[]) => startCli(args, {command: [path.join(BIN, tool)], timeoutMs: 30_000});

test('wait-on --status-codes 200-499 opens on an MCP endpoint (HEAD: 405); without it, never (2xx only)', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const server = spawn(process.execPath, [SERVER_FIXTURE, '--port', String(box.port), '--report', box.serverReport], {stdio: 'ignore'});
	t.after(() => killHard(server.pid));
	const ready = await run('wait-on', ['--timeout', '15000', '--status-codes', '200-499', box.url]).exited;
	assert.equal(ready.code, 0, show(ready));
	const strict = await run('wait-on', ['--timeout', '1500', box.url]).exited;
	assert.equal(strict.code, 1, `2xx only: times out\n${show(strict)}`);
});

test('wait-on waits out its --timeout after the server died', T, async () => {
	const port = await freePort();
	const dead = spawn('/bin/sh', ['-c', 'exit 3']); // The "server" has crashed before wait-on starts.
	await new Promise((resolve) => dead.once('exit', resolve));
	const result = await run('wait-on', ['--timeout', '2000', '--status-codes', '200-499', `http://127.0.0.1:${port}/mcp`]).exited;
	assert.equal(result.code, 1, show(result));
	assert.ok(result.durationMs >= 2000, `it waited the whole timeout (${Math.round(result.durationMs)} ms)`);
});

test('start-server-and-test --expect 405: gates an MCP endpoint; a crash on boot stops it, exit 1, the client never runs', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const ok = await run('start-server-and-test', ['--expect', '405', shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port), '--boot-delay', '500']), box.url, 'echo CLIENT-RAN']).exited;
	assert.equal(ok.code, 0, show(ok));
	assert.match(ok.stdout, /^CLIENT-RAN$/m);
	const crash = await run('start-server-and-test', ['--expect', '405', 'sh -c "echo crashing >&2; exit 3"', `http://127.0.0.1:${await freePort()}/mcp`, 'echo CLIENT-RAN']).exited;
	assert.equal(crash.code, 1, show(crash));
	assert.doesNotMatch(crash.stdout, /^CLIENT-RAN$/m, 'the client never ran');
	assert.match(crash.stderr, /server closed unexpectedly/, 'it says the server closed, not why (no exit code)');
});

test('start-server-and-test, SIGTERM while the client runs: the server is left listening and the client running', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const ssat = run('start-server-and-test', ['--expect', '405', shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port), '--report', box.serverReport]), box.url, `sleep 29.${box.port}`]);
	const client = await waitFor(() => findEvent(box.serverReport, 'listening') && findSleep(`sleep 29.${box.port}`), {timeoutMs: 20_000, what: 'the server and the client to run'});
	process.kill(ssat.pid, 'SIGTERM');
	assert.equal((await ssat.exited).code, 143);
	const server = findEvent(box.serverReport, 'start')!.pid;
	t.after(() => {
		killHard(server);
		killHard(client);
	});
	// Both still there after s-s-a-t has exited: nothing will stop them.
	assert.ok(isAlive(server), `the server (pid ${server}) still runs`);
	assert.equal(await portIsFree(box.port), false, 'and still listens');
	assert.ok(isAlive(client), `the client (pid ${client}) still runs`);
});

/** The pid of a live process whose whole command line is `line`. */
function findSleep(line: string): number | undefined {
	return liveProcesses().find((p) => p.argv.join(' ') === line)?.pid;
}
