// The evidence gatherers against real processes: port owners, the LISTEN sockets of a process
// group, per-address probes, a real EADDRINUSE crash, a real timeout report. Each platform-
// dependent case runs with both evidence sources: /proc (Linux) and lsof (the macOS path).
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it, type TestContext} from 'node:test';
import {checkAddresses, type Resolver} from '../src/diagnose/addresses.js';
import {explainCrash} from '../src/diagnose/crash.js';
import {formatDiagnosis} from '../src/diagnose/format.js';
import {osFor} from '../src/os/index.js';
import {listenersOf as lsofListenersOf} from '../src/os/lsof/lsof.js';
import {listenersOf as procfsListenersOf} from '../src/os/procfs/proc-net.js';
import type {OsName} from '../src/os/types.js';
import {checkPortFree} from '../src/diagnose/preflight.js';
import {diagnoseTimeout, gatherTimeoutEvidence} from '../src/diagnose/timeout.js';
import {spawnServer, type ServerProcess} from '../src/server/spawn-server.js';
import {freePort} from './helpers/net.js';
import {killHard, waitGone} from './helpers/proc.js';
import {evidenceSources, skipUnless} from './helpers/sources.js';
import {waitFor} from './helpers/wait.js';

// What each implementation of the OS seam says about sockets: by port, by pids, by process group.
const listeners = (port: number, {source}: {source: OsName}) => osFor(source).listeners(port);
const listeningPortsOf = (pids: number[], {source}: {source: OsName}) => (source === 'procfs' ? procfsListenersOf : lsofListenersOf)(pids);
const listeningPortsOfGroup = (pgid: number, {source}: {source: OsName}) => osFor(source).groupListeners(pgid);

const FIXTURE = path.resolve(import.meta.dirname, 'fixtures', 'diag-http.js');
const work = mkdtempSync(path.join(tmpdir(), 'mcp-launch-diag-'));
after(() => rmSync(work, {recursive: true, force: true}));

type Started = {child: ChildProcess; pid: number; port: number; stdout: () => string; stderr: () => string; exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>};

/**
 * Start diag-http.js, owned by the test `t` (killed after it, whatever happened), and wait
 * (bounded) for its READY line, or its exit (then port is -1).
 */
async function startFixture(t: TestContext, args: string[]): Promise<Started> {
	const child = spawn(process.execPath, [FIXTURE, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	let done = false;
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
		child.once('exit', (code, signal) => {
			done = true;
			resolve({code, signal});
		});
	});
	const started: Started = {child, pid: child.pid!, port: -1, stdout: () => stdout, stderr: () => stderr, exited};
	t.after(() => stop(started));
	const ready = await waitFor(() => {
		const match = /READY (\{.*\})/.exec(stdout);
		if (match) return JSON.parse(match[1]!) as {port: number};
		return done ? {port: -1} : undefined;
	}, {timeoutMs: 10_000, what: `READY from diag-http.js ${args.join(' ')}`});
	return {...started, port: ready.port};
}

async function stop(started: Started): Promise<void> {
	killHard(started.pid);
	await started.exited;
}

function ipv6LoopbackAvailable(): Promise<boolean> {
	return new Promise(resolve => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(0, '::1', () => server.close(() => resolve(true)));
	});
}

for (const source of evidenceSources) describe(`port owner (real occupant) [${source}]`, {skip: skipUnless(source)}, () => {
	const find = (port: number) => listeners(port, {source});
	// Each test starts (and owns) its own occupant: nothing is shared between tests.
	const occupy = (t: TestContext) => startFixture(t, ['--host', '127.0.0.1']);

	it('listeners(port) names the occupant\'s pid and command', async t => {
		const occupant = await occupy(t);
		const found = find(occupant.port);
		assert.equal(found.length, 1, JSON.stringify(found));
		assert.equal(found[0]!.address, '127.0.0.1');
		assert.equal(found[0]!.pid, occupant.pid);
		assert.match(found[0]!.command ?? '', /diag-http\.js --host 127\.0\.0\.1/);
	});

	it('listeningPortsOf(pids) lists the sockets those pids own', async t => {
		const occupant = await occupy(t);
		assert.deepEqual(listeningPortsOf([occupant.pid], {source}).map(listener => listener.port), [occupant.port]);
		assert.deepEqual(listeningPortsOf([process.pid], {source}).filter(listener => listener.port === occupant.port), []);
	});

	it('pre-flight: the taken port is reported with pid, command and its HTTP answer', async t => {
		const occupant = await occupy(t);
		const taken = await checkPortFree(new URL(`http://127.0.0.1:${occupant.port}/mcp`), {findListeners: find});
		assert.ok(taken);
		assert.equal(taken.answerStatus, 400);
		assert.match(taken.diagnosis.summary, new RegExp(`port ${occupant.port} is already in use by pid ${occupant.pid} \\(.*diag-http\\.js`));
	});

	it('pre-flight: a free port is free', async () => {
		assert.equal(await checkPortFree(new URL(`http://127.0.0.1:${await freePort()}/mcp`), {findListeners: find}), undefined);
	});

	it('a real EADDRINUSE crash names the port and the occupant', async t => {
		const occupant = await occupy(t);
		const second = await startFixture(t, ['--host', '127.0.0.1', '--port', String(occupant.port)]);
		const exit = await second.exited;
		assert.notEqual(exit.code, 0);
		const cause = explainCrash({code: exit.code ?? undefined, signal: exit.signal ?? undefined}, {stderr: second.stderr().split('\n'), stdout: []}, {findOccupants: find});
		assert.equal(cause.kind, 'port-in-use');
		assert.equal(cause.port, occupant.port);
		assert.match(cause.message, new RegExp(`in use by pid ${occupant.pid} `));
	});
});

for (const source of evidenceSources) describe(`a server tree in its own process group (wrapper shell, silent server) [${source}]`, {skip: skipUnless(source)}, () => {
	it('listeningPortsOfGroup finds the grandchild\'s port; the shell itself owns none', async t => {
		const readyFile = path.join(work, `group-ready-${source}.json`);
		// `; exit` keeps sh alive as the parent (no exec optimisation): a wrapper like npm.
		const shell = spawn('/bin/sh', ['-c', `"${process.execPath}" "${FIXTURE}" --silent --ready-file "${readyFile}"; exit $?`], {detached: true, stdio: 'ignore'});
		t.after(async () => {
			try {
				process.kill(-shell.pid!, 'SIGKILL');
			} catch {}
			await waitGone([shell.pid!], 5_000);
		});
		const ready = await waitFor(() => {
			try {
				return JSON.parse(readFileSync(readyFile, 'utf8')) as {port: number; pid: number};
			} catch {
				return undefined;
			}
		}, {timeoutMs: 10_000, what: 'the silent fixture\'s ready file'});
		assert.notEqual(ready.pid, shell.pid);
		const found = listeningPortsOfGroup(shell.pid!, {source});
		assert.deepEqual(found.map(listener => [listener.port, listener.pid]), [[ready.port, ready.pid]]);
		assert.deepEqual(listeningPortsOf([shell.pid!], {source}), []);
	});
});

describe('per-address probes (real servers on one family each)', async () => {
	const v6 = await ipv6LoopbackAvailable();
	const bothFirst6: Resolver = async () => [{address: '::1', family: 6}, {address: '127.0.0.1', family: 4}];

	it('server on 127.0.0.1 only, localhost → ::1 first: ::1 refuses, 127.0.0.1 answers', {skip: v6 ? false : 'IPv6 loopback (::1) is not available here'}, async t => {
		const server = await startFixture(t, ['--host', '127.0.0.1']);
		const {results, verdict} = await checkAddresses(new URL(`http://localhost:${server.port}/mcp`), {timeoutMs: 2_000, resolve: bothFirst6});
		assert.deepEqual(results.map(result => [result.address, result.ok]), [['::1', false], ['127.0.0.1', true]]);
		assert.equal(verdict.kind, 'split');
		assert.equal(verdict.firstFails, true);
		assert.match(verdict.message, new RegExp(`ECONNREFUSED ::1:${server.port}`));
		assert.match(verdict.fix!, new RegExp(`http://127\\.0\\.0\\.1:${server.port}/mcp`));
	});

	it('server on ::1 only: 127.0.0.1 refuses, ::1 answers', {skip: v6 ? false : 'IPv6 loopback (::1) is not available here'}, async t => {
		const server = await startFixture(t, ['--host', '::1']);
		const {verdict} = await checkAddresses(new URL(`http://localhost:${server.port}/mcp`), {timeoutMs: 2_000, resolve: async () => [{address: '127.0.0.1', family: 4}, {address: '::1', family: 6}]});
		assert.equal(verdict.kind, 'split');
		assert.equal(verdict.workingAddress, '::1');
		assert.match(verdict.fix!, new RegExp(`http://\\[::1\\]:${server.port}/mcp`));
		for (const source of evidenceSources.filter(source => skipUnless(source) === false)) {
			assert.deepEqual(listeners(server.port, {source}).map(listener => [listener.address, listener.family, listener.pid]), [['::1', 6, server.pid]], source);
		}
	});
});

for (const source of evidenceSources) describe(`timeout report from a real spawned server [${source}]`, {skip: skipUnless(source)}, () => {
	/** Spawn a server owned by the test `t` (its group is stopped after it, whatever happened); wait for its ready file. */
	async function spawnAndWait(t: TestContext, command: string, readyFile: string): Promise<ServerProcess> {
		const spawned = spawnServer({command, cwd: work, env: process.env, tailLines: 40, os: osFor(source)});
		t.after(async () => {
			await spawned.stop(1_000);
		});
		await waitFor(() => {
			try {
				return readFileSync(readyFile, 'utf8') !== '';
			} catch {
				return false;
			}
		}, {timeoutMs: 10_000, what: 'the fixture\'s ready file'});
		return spawned;
	}

	it('a silent server in a wrapper on another port: the report names that port', async t => {
		const readyFile = path.join(work, `silent-ready-${source}.json`);
		const server = await spawnAndWait(t, `"${process.execPath}" "${FIXTURE}" --silent --ready-file "${readyFile}"; exit $?`, readyFile);
		const {port} = JSON.parse(readFileSync(readyFile, 'utf8')) as {port: number};
		const probed = await freePort();
		const url = new URL(`http://127.0.0.1:${probed}/mcp`);
		const evidence = await gatherTimeoutEvidence({url, elapsedMs: 1_000, attempts: 40, lastError: {code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${probed}`}, server, os: osFor(source)});
		const diagnosis = diagnoseTimeout(evidence);
		assert.equal(diagnosis.cause, 'wrong-port', formatDiagnosis(diagnosis));
		assert.equal(diagnosis.summary, `the server listens on 127.0.0.1:${port}, you probe :${probed}`);
		assert.equal(diagnosis.suggestedUrl, `http://127.0.0.1:${port}/mcp`);
	});

	it('an announcing server: the announced URL is in the evidence', async t => {
		const readyFile = path.join(work, `loud-ready-${source}.json`);
		const server = await spawnAndWait(t, `exec "${process.execPath}" "${FIXTURE}" --announce "listening on http://127.0.0.1:{port}/mcp" --ready-file "${readyFile}"`, readyFile);
		await server.drained(0);
		const {port} = JSON.parse(readFileSync(readyFile, 'utf8')) as {port: number};
		await waitFor(() => server.tail.lines('stdout').some(line => line.startsWith('READY')), {timeoutMs: 5_000, what: 'the READY line in the tail'});
		const probed = await freePort();
		const evidence = await gatherTimeoutEvidence({url: new URL(`http://127.0.0.1:${probed}/mcp`), elapsedMs: 1_000, attempts: 40, server, os: osFor(source)});
		assert.deepEqual(evidence.announced.ports, [port]);
		const text = formatDiagnosis(diagnoseTimeout(evidence));
		assert.match(text, new RegExp(`it announced http://127\\.0\\.0\\.1:${port}/mcp`));
		assert.match(text, /likely cause: wrong port/);
	});
});
