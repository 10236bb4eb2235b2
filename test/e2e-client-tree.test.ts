// End-to-end: nothing outlives mcp-launch, whatever moment it dies at and whatever the client
// spawned: the client's own children go with it (SIGTERM forwarding and the guardian), a
// launcher killed between a spawn and the guardian learning of it leaves nothing, and one
// guardian per launch knows every server group, the client and the {mcp-config} directory.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {CLIENT_FIXTURE, FIXTURES, SERVER_FIXTURE, shellJoin, show} from './helpers/cli.js';
import {portIsFree} from './helpers/net.js';
import {isAlive, waitGone} from './helpers/proc.js';
import {readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {describeLeftover, waitNothingLeft} from './helpers/soak-procs.js';
import {waitFor} from './helpers/wait.js';

const T = {timeout: 40_000};
const CONFIG_CLIENT = path.join(FIXTURES, 'wf-config-client.js');

const readPid = (file: string) => (existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) || undefined : undefined);

async function assertNothingOfTheRunLeft(box: Sandbox, timeoutMs: number): Promise<void> {
	const {left} = await waitNothingLeft({marker: box.dir, guardianOf: box.runs.map((run) => run.pid)}, timeoutMs);
	assert.deepEqual(left.map(describeLeftover), [], `nothing of the run is left after ${timeoutMs} ms`);
}

test('SIGTERM to mcp-launch: a client run through `sh -c \'node client.js; …\'` is ended with its child (exit 143)', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const client = `${shellJoin(['node', CLIENT_FIXTURE, '--report', box.clientReport, '--stay'])}; echo after`;
	const run = box.start(['-s', box.server(), '-u', box.url, '--timeout', '20s', '--kill-timeout', '1s', '--', 'sh', '-c', client]);
	await run.waitStdout('CLIENT READY', 20_000);
	const report = readClientReport(box.clientReport);
	assert.ok(report && isAlive(report.pid), 'node client.js runs under sh');
	run.child.kill('SIGTERM');
	const result = await run.exited;
	assert.equal(result.code, 143, show(result));
	assert.equal(isAlive(report.pid), false, 'node client.js is gone when mcp-launch has exited');
	assert.deepEqual(readClientReport(box.clientReport)?.signals, ['SIGTERM'], 'the client\'s child got SIGTERM');
});

test('SIGKILL to mcp-launch: a client shell that ignores SIGTERM and its child are both ended by the guardian', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const childPid = box.path('child.pid');
	const client = `trap '' TERM; sleep 300 & echo $! > ${childPid}; wait`;
	const run = box.start(['-s', box.server(), '-u', box.url, '--timeout', '20s', '--kill-timeout', '1s', '--', 'sh', '-c', client]);
	const sleeper = await waitFor(() => readPid(childPid), {timeoutMs: 20_000, what: 'the client\'s child pid'});
	box.extraPids.push(sleeper);
	run.child.kill('SIGKILL');
	await run.exited;
	await waitGone([sleeper], 1_000 + 2_000);
	await assertNothingOfTheRunLeft(box, 3_000);
});

test('a server command that SIGKILLs mcp-launch at once leaves no server behind (it never ran unguarded)', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const server = `kill -KILL $PPID; exec ${shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port), '--report', box.serverReport])}`;
	const run = box.start(['-s', server, '-u', box.url, '--timeout', '20s', '--kill-timeout', '1s', '--', 'true']);
	const result = await run.exited;
	assert.equal(result.signal, 'SIGKILL', show(result));
	await assertNothingOfTheRunLeft(box, 1_000 + 3_000);
	assert.equal(await portIsFree(box.port), true, 'nothing listens on the port');
});

test('a client command that SIGKILLs mcp-launch at once is ended by the guardian, with the server tree', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const client = `kill -KILL $PPID; exec ${shellJoin(['node', CLIENT_FIXTURE, '--report', box.clientReport, '--stay'])}`;
	const run = box.start(['-s', box.server(), '-u', box.url, '--timeout', '20s', '--kill-timeout', '1s', '--', 'sh', '-c', client]);
	const result = await run.exited;
	assert.equal(result.signal, 'SIGKILL', show(result));
	await assertNothingOfTheRunLeft(box, 1_000 + 3_000);
	const server = box.serverPid();
	if (server !== undefined) assert.equal(isAlive(server), false);
	assert.equal(await portIsFree(box.port), true, 'nothing listens on the port');
});

test('SIGKILL with --reuse of a running server first, a managed second server and {mcp-config}: the directory and the managed tree are gone, the reused server runs on', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	// The reused server: started by the test, outside the sandbox's marker, so only the port names it.
	const reused = spawn(process.execPath, [SERVER_FIXTURE, '--port', String(box.port)], {stdio: ['ignore', 'pipe', 'inherit']});
	t.after(() => {
		reused.kill('SIGKILL');
	});
	let out = '';
	reused.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
	await waitFor(() => out.includes('listening on'), {timeoutMs: 10_000, what: 'the reused server to listen'});
	const managedReport = box.path('managed.jsonl');
	const clientReport = box.path('config-client.json');
	const run = box.start([
		// --port pairs with --server by position: the reused server's port first, then auto.
		'--reuse', '-s', 'true', '-p', String(box.port), '--name', 'old',
		'-s', shellJoin(['node', SERVER_FIXTURE, '--port', '{port}', '--report', managedReport]), '-p', 'auto', '--name', 'new',
		'--timeout', '20s', '--kill-timeout', '1s',
		'--', 'node', CONFIG_CLIENT, '--report', clientReport, '--stay', '{mcp-config}',
	]);
	const report = await waitFor(() => {
		const text = existsSync(clientReport) ? readFileSync(clientReport, 'utf8') : '';
		const parsed = text ? JSON.parse(text) as {content: string | null; dir: string | null; pid: number; error: string | null} : undefined;
		if (parsed?.content) return parsed;
		if (run.done()) throw new Error(`mcp-launch exited before the client read its config: ${run.stderr()}`);
		return undefined;
	}, {timeoutMs: 20_000, what: 'the client to read its config'}).catch((error: Error) => {
		throw new Error(`${error.message}; mcp-launch's stderr: ${run.stderr()}`);
	});
	box.extraPids.push(report.pid);
	assert.equal(report.error, null, `client error: ${report.error}`);
	assert.ok(report.dir && existsSync(report.dir), 'the {mcp-config} directory exists while the client runs');
	const managed = readJsonLines(managedReport).map((event) => event.pid);
	run.child.kill('SIGKILL');
	await run.exited;
	await waitFor(() => !existsSync(report.dir!), {timeoutMs: 1_000 + 3_000, what: `${report.dir} to be removed by the guardian`});
	await waitGone([...managed, report.pid], 1_000 + 3_000);
	assert.equal(isAlive(reused.pid!), true, 'the reused server is not ours to stop');
	assert.equal(await portIsFree(box.port), false, 'the reused server still listens');
	await assertNothingOfTheRunLeft(box, 1_000 + 3_000); // The guardian included: it has finished.
});
