// The front door with --restart on-failure, with real SDK servers and clients: a server that dies
// while the client runs is started again behind the same URL, requests made meanwhile are held and
// answered, requests in flight at the death get a JSON-RPC error at once, and nothing outlives
// mcp-launch, SIGKILL included. Server: test/fixtures/watch-server.js.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {CLIENT_FIXTURE, FIXTURES, show, startCli} from './helpers/cli.js';
import {call, connect, generationListening, openDoor, pidOf} from './helpers/front-door.js';
import {assertTreeGone, matrixEnv, tempDir, watchTree} from './helpers/matrix.js';
import {freePort} from './helpers/net.js';
import {readClientReport} from './helpers/report.js';
import {isAlive, waitGone} from './helpers/proc.js';
import {waitFor} from './helpers/wait.js';

const T = {timeout: 120_000};
type RpcError = Error & {code?: number; data?: Record<string, unknown>};
const failure = async (promise: Promise<unknown>): Promise<RpcError | undefined> => promise.then(() => undefined, (error: unknown) => error as RpcError);

test('--restart on-failure: the server dies mid-session; a call made while the next generation boots is held, then answered by it in the same session', T, async t => {
	const door = await openDoor(t, {flags: ['--restart', 'on-failure'], serverArgs: ['--hold-boot', '{dir}/boot'], files: ['boot']});
	const first = await generationListening(door, 1);
	const session = await connect(t, door.url);
	const sessionId = session.transport.sessionId;
	assert.equal(pidOf(await call(session, 'whoami')), first);
	rmSync(path.join(door.dir, 'boot')); // The next generation will wait in its boot until the spec says so.
	process.kill(first, 'SIGKILL');
	await waitFor(() => door.reported().length === 2, {timeoutMs: 30_000, what: `the next generation to start (stderr: ${door.run.stderr()})`});
	let settled = false;
	const held = call(session, 'whoami').finally(() => {
		settled = true;
	});
	// A new client's initialize while no generation serves: held too, never a 4xx (a client would fall back to SSE).
	const late = connect(t, door.url);
	assert.equal(door.listened().length, 1, 'the next generation is still booting');
	assert.equal(settled, false, 'the call is held while it boots');
	writeFileSync(path.join(door.dir, 'boot'), '');
	const second = await generationListening(door, 2);
	assert.equal(pidOf(await held), second, 'the held call is answered by the new generation');
	assert.equal(session.transport.sessionId, sessionId, 'in the same session');
	assert.equal(pidOf(await call(await late, 'whoami')), second, 'the client that initialized during the boot is served');
	await door.run.waitStderr(/killed by SIGKILL.* \(restart 1 of 5\): server restarted in \d/, 10_000);
	assert.deepEqual(session.errors.map(error => error.message), [], 'no transport error on the client');
});

test('a held request whose client went away is dropped, never sent to the next generation', T, async t => {
	const door = await openDoor(t, {flags: ['--restart', 'on-failure', '--log-level', 'debug'], serverArgs: ['--hold-boot', '{dir}/boot'], files: ['boot'], tools: ['alpha']});
	const session = await connect(t, door.url);
	const first = await generationListening(door, 1);
	rmSync(path.join(door.dir, 'boot'));
	process.kill(first, 'SIGKILL');
	await waitFor(() => door.reported().length === 2, {timeoutMs: 30_000, what: 'the next generation to start'});
	const abort = new AbortController();
	const held = fetch(door.url, {
		method: 'POST',
		signal: abort.signal,
		headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': session.transport.sessionId!, 'mcp-protocol-version': session.transport.protocolVersion!},
		body: JSON.stringify({jsonrpc: '2.0', id: 99, method: 'tools/call', params: {name: 'alpha', arguments: {}}}),
	}).catch(() => 'aborted');
	await door.run.waitStderr(/tools\/call waits: no server serves yet/, 10_000);
	abort.abort();
	assert.equal(await held, 'aborted');
	writeFileSync(path.join(door.dir, 'boot'), '');
	const second = await generationListening(door, 2);
	assert.equal(pidOf(await call(session, 'whoami')), second);
	const calls = door.events().filter(event => event.event === 'call').map(event => `${event.name} ${event.pid}`);
	assert.deepEqual(calls, [`whoami ${second}`], 'the abandoned call never reached the new generation');
});

test('in flight when the server dies: the call gets a JSON-RPC error at once, carrying the death (event-stream answer and JSON answer)', T, async t => {
	for (const json of [false, true]) {
		// eslint-disable-next-line no-await-in-loop
		const door = await openDoor(t, {flags: ['--restart', 'on-failure'], serverArgs: json ? ['--json'] : []});
		// eslint-disable-next-line no-await-in-loop
		const session = await connect(t, door.url);
		// eslint-disable-next-line no-await-in-loop
		const first = await generationListening(door, 1);
		const slow = failure(call(session, 'slow', {until: path.join(door.dir, 'never')}));
		// eslint-disable-next-line no-await-in-loop
		await waitFor(() => door.events().some(event => event.event === 'slow'), {timeoutMs: 10_000, what: 'the slow call to reach the server'});
		const killedAt = performance.now();
		process.kill(first, 'SIGKILL');
		// eslint-disable-next-line no-await-in-loop
		const killed = await slow;
		const ms = performance.now() - killedAt;
		assert.ok(killed, `the in-flight call fails (${json ? 'JSON' : 'event stream'})`);
		assert.ok(ms < 5000, `at once, not at the client's request timeout: ${Math.round(ms)} ms`);
		assert.match(killed.message, /killed by SIGKILL/, 'the error says how the server died');
		assert.match(killed.message, /restarts it in/, 'and what happens next');

		// eslint-disable-next-line no-await-in-loop
		const second = pidOf(await call(session, 'whoami'));
		assert.equal(second, door.listened()[1], 'the next call is answered by the restarted server');
		// eslint-disable-next-line no-await-in-loop
		const died = await failure(call(session, 'die', {code: 3}));
		assert.ok(died);
		assert.match(died.message, /exited with code 3/);
		assert.match(died.message, /dying with code 3 on purpose/, 'its last stderr line is in the error');
		assert.deepEqual(died.data?.stderr, ['watch-fixture: dying with code 3 on purpose']);
	}
});

test('--restart on-failure:2 gives up after two failed restarts; with --on-server-exit exit the client is ended (exit 125)', T, async t => {
	const door = await openDoor(t, {flags: ['--restart', 'on-failure:2', '--on-server-exit', 'exit']});
	const first = await generationListening(door, 1);
	writeFileSync(door.tools, '{"tools": ['); // From now on every generation crashes on boot.
	process.kill(first, 'SIGKILL');
	const result = await door.run.exited;
	assert.equal(result.code, 125, show(result));
	assert.match(result.stderr, /killed by SIGKILL.* \(restart 1 of 2\): server exited with code 1 before/, show(result));
	assert.match(result.stderr, /crashed on boot \(restart 2 of 2\): server exited with code 1 before/, show(result));
	assert.match(result.stderr, /not restarted: 2 restarts in a row failed \(--restart on-failure:2\)/, show(result));
	assert.equal(door.reported().length, 3, 'the first generation and two restarts');
	await assertTreeGone(door.tree(), [door.run.pid]);
});

test('SIGKILL of mcp-launch: no generation is left (one draining, one serving, one booting)', T, async t => {
	const door = await openDoor(t, {flags: ['--watch', '{src}'], serverArgs: ['--hold-boot', '{dir}/boot'], files: ['boot']});
	const session = await connect(t, door.url);
	const draining = await generationListening(door, 1);
	void failure(call(session, 'slow', {until: path.join(door.dir, 'never')}));
	await waitFor(() => door.events().some(event => event.event === 'slow'), {timeoutMs: 10_000, what: 'the slow call to reach generation 1'});
	writeFileSync(door.tools, JSON.stringify({tools: ['second']}));
	await waitFor(() => session.listChanged() === 1, {timeoutMs: 30_000, what: `generation 2 to serve (stderr: ${door.run.stderr()})`});
	rmSync(path.join(door.dir, 'boot'));
	writeFileSync(door.tools, JSON.stringify({tools: ['third']}));
	await waitFor(() => door.reported().length === 3, {timeoutMs: 30_000, what: 'generation 3 to start booting'});
	const generations = door.reported();
	assert.ok(generations.every(({pid}) => isAlive(pid)), `three generations alive: ${JSON.stringify(generations)}`);
	assert.ok(isAlive(draining), 'generation 1 is still draining its slow call');
	process.kill(door.run.pid, 'SIGKILL');
	await door.run.exited;
	await waitGone(generations.map(({pid}) => pid), 15_000);
	await assertTreeGone(door.tree(), generations.map(({pid}) => pid));
});

test('a server that accepts only Host: localhost (like Playwright MCP) is sent that Host through the front door', T, async t => {
	const dir = tempDir(t, 'mcp-launch-door-host-');
	const port = await freePort();
	const report = path.join(dir, 'client.json');
	const run = startCli(['-p', String(port), '--restart', 'on-failure', '-s', `node ${path.join(FIXTURES, 'host-check-server.js')} --port {port}`, '--', process.execPath, CLIENT_FIXTURE, '--report', report], {cwd: dir, env: matrixEnv(), timeoutMs: 60_000});
	watchTree(t, run);
	const result = await run.exited;
	assert.equal(result.code, 0, show(result));
	const client = readClientReport(report);
	assert.equal(client?.url, `http://127.0.0.1:${port}/mcp`, 'the client talks to the front door on 127.0.0.1');
	assert.deepEqual(client?.tools, ['echo'], `and reaches the server through it\n${show(result)}`);
	assert.match(result.stderr, /it accepts localhost:\d+/, 'the gate found the Host the server accepts');
});

test('the front door refuses a page that is not local (403, as the spec asks of servers) and serves a local one', T, async t => {
	const door = await openDoor(t, {flags: ['--restart', 'on-failure']});
	const initialize = (origin: string) => fetch(door.url, {
		method: 'POST',
		headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream', origin},
		body: JSON.stringify({jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'page', version: '1'}}}),
	});
	const evil = await initialize('http://evil.example');
	assert.equal(evil.status, 403);
	assert.match(await evil.text(), /not a local origin/);
	const local = await initialize('http://localhost:5173');
	assert.equal(local.status, 200, await local.text());
	assert.ok(local.headers.get('mcp-session-id'), 'a session, made by the front door');
	assert.equal(door.reported().length, 1);
});
