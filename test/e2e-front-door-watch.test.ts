// The front door with --watch, with real SDK servers and clients: the client's session, URL and
// event stream stay the same while the server behind it is restarted on every change.
// Server: test/fixtures/watch-server.js (stateful, its own session ids, tools read from src/tools.json).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {isAlive, waitGone} from './helpers/proc.js';
import {call, connect, generationListening, openDoor, pidOf, writeTools} from './helpers/front-door.js';
import {show} from './helpers/cli.js';
import {warnings} from './helpers/matrix.js';
import {waitFor} from './helpers/wait.js';

const T = {timeout: 120_000};

test('one SDK client session through three --watch restarts: each call answered by the new generation, same session id, tools/list_changed each time, the new tools seen', T, async t => {
	const door = await openDoor(t, {flags: ['--watch', '{src}'], tools: ['alpha']});
	const given = await waitFor(() => door.client(), {timeoutMs: 10_000, what: 'the client\'s report'});
	assert.equal(given.url, door.url, '{url} names the front door');
	assert.equal(given.env.MCP_SERVER_URL, door.url, 'so does MCP_SERVER_URL');
	const config = JSON.parse(readFileSync(given.argv.at(-1)!, 'utf8')) as {mcpServers: Record<string, {url: string}>};
	assert.deepEqual(Object.values(config.mcpServers).map(server => server.url), [door.url], 'and {mcp-config}');
	const session = await connect(t, door.url);
	const sessionId = session.transport.sessionId;
	assert.ok(sessionId, 'the front door gives the client a session id (the server is stateful)');
	assert.equal(session.client.getServerCapabilities()?.tools?.listChanged, true, 'the initialize result advertises tools.listChanged');
	assert.equal(pidOf(await call(session, 'whoami')), await generationListening(door, 1));
	for (let n = 2; n <= 4; n++) {
		const tool = `tool${n}`;
		writeTools(door.tools, ['alpha', tool]);
		// eslint-disable-next-line no-await-in-loop
		await waitFor(() => session.listChanged() === n - 1, {timeoutMs: 30_000, what: `list_changed number ${n - 1} (stderr: ${door.run.stderr()})`});
		// eslint-disable-next-line no-await-in-loop
		const listed = (await session.client.listTools()).tools.map(item => item.name);
		assert.ok(listed.includes(tool), `the new tool is listed: ${listed.join(', ')}`);
		// eslint-disable-next-line no-await-in-loop
		const pid = await generationListening(door, n);
		// eslint-disable-next-line no-await-in-loop
		assert.equal(await call(session, tool), `${tool} from ${pid}`, 'answered by the new generation');
		assert.equal(session.transport.sessionId, sessionId, 'the same session id');
	}

	const pids = door.listened();
	assert.equal(new Set(pids).size, 4, `four generations, each its own process: ${pids.join(', ')}`);
	await waitGone(pids.slice(0, 3), 15_000); // Each replaced generation was stopped once idle.
	assert.ok(isAlive(pids[3]!), 'the current generation serves');
	assert.equal(session.gets(), 1, 'the client opened its event stream once: it stayed open across the restarts');
	assert.deepEqual(session.errors.map(error => error.message), [], 'no transport error on the client');
	writeFileSync(door.go, '');
	const result = await door.run.exited;
	assert.equal(result.code, 0, show(result));
	const restarts = result.stderr.split('\n').filter(line => /src\/tools\.json changed: server restarted in \d/.test(line));
	assert.equal(restarts.length, 3, `one line per restart:\n${result.stderr}`);
	assert.deepEqual(warnings(result.stderr), [], show(result));
	assert.equal(result.stdout, '', 'nothing on stdout');
	await waitGone(pids, 15_000);
});

test('a broken edit: calls fail fast with the crash in the error (exit code, last stderr lines); the fix brings the same session back', T, async t => {
	const door = await openDoor(t, {flags: ['--watch', '{src}', '--timeout', '20s'], tools: ['alpha']});
	const session = await connect(t, door.url);
	const sessionId = session.transport.sessionId;
	writeFileSync(door.tools, '{"tools": ['); // A syntax error: the next generation crashes on boot.
	await door.run.waitStderr(/exited with code 1 before http:\/\/127\.0\.0\.1:\d+\/mcp answered/, 30_000);
	assert.match(door.run.stderr(), /requests get this error until a change under src starts it cleanly/, 'the report says what happens next');
	const started = performance.now();
	const error = await call(session, 'alpha').then(() => undefined, (error: unknown) => error as Error & {code?: number; data?: Record<string, unknown>});
	const ms = performance.now() - started;
	assert.ok(error, 'the call fails');
	assert.ok(ms < 10_000, `it fails at once, not after --timeout (20 s): ${Math.round(ms)} ms`);
	assert.match(error.message, /src\/tools\.json changed: server exited with code 1 before/, 'what caused the restart, and how it ended');
	assert.match(error.message, /SyntaxError/, 'the crash is in the error');
	assert.equal(error.data?.exitCode, 1);
	assert.ok((error.data?.stderr as string[]).some(line => /SyntaxError/.test(line)), `the last stderr lines are in the data: ${JSON.stringify(error.data)}`);
	writeTools(door.tools, ['alpha', 'fixed']);
	await waitFor(() => session.listChanged() === 1, {timeoutMs: 30_000, what: 'list_changed after the fix (the crashed boot sent none)'});
	const pid = door.listened().at(-1)!;
	assert.equal(await call(session, 'fixed'), `fixed from ${pid}`, 'the fixed server answers');
	assert.equal(session.transport.sessionId, sessionId, 'in the same session');
	assert.deepEqual(session.errors.map(item => item.message), [], 'no transport error on the client');
});

test('the client\'s event stream stays open across a restart: the same GET stream carries the new generation\'s messages', T, async t => {
	// The server answers a GET late: the new generation's stream must be attached before it takes traffic,
	// or what it sends right after the swap (the notification below) finds no stream and is lost.
	const door = await openDoor(t, {flags: ['--watch', '{src}'], serverArgs: ['--slow-get', '300']});
	const session = await connect(t, door.url);
	const one = await generationListening(door, 1);
	await waitFor(() => door.events().some(event => event.event === 'get' && event.pid === one), {timeoutMs: 10_000, what: 'the first generation\'s stream to be attached'});
	const first = pidOf(await call(session, 'notify', {text: 'one'}));
	await waitFor(() => session.messages().includes(`one from ${first}`), {timeoutMs: 10_000, what: 'the first message on the stream'});
	writeTools(door.tools, ['beta']);
	await waitFor(() => session.listChanged() === 1, {timeoutMs: 30_000, what: `list_changed (stderr: ${door.run.stderr()})`});
	const second = pidOf(await call(session, 'notify', {text: 'two'}));
	assert.notEqual(second, first, 'the second message comes from the new generation');
	await waitFor(() => session.messages().includes(`two from ${second}`), {timeoutMs: 10_000, what: `the second message on the stream (got: ${session.messages().join(', ')})`});
	assert.equal(session.gets(), 1, 'one GET: the stream was never reopened');
	assert.deepEqual(session.errors.map(error => error.message), [], 'the stream never broke on the client');
});

test('drain, then swap: a slow call on the old generation completes after the new one took over, then the old one is stopped', T, async t => {
	const door = await openDoor(t, {flags: ['--watch', '{src}']});
	const session = await connect(t, door.url);
	const old = await generationListening(door, 1);
	const release = path.join(door.dir, 'release');
	const slow = call(session, 'slow', {until: release});
	await waitFor(() => door.events().some(event => event.event === 'slow' && event.pid === old), {timeoutMs: 10_000, what: 'the slow call to reach the old generation'});
	writeTools(door.tools, ['beta']);
	await waitFor(() => session.listChanged() === 1, {timeoutMs: 30_000, what: `list_changed (stderr: ${door.run.stderr()})`});
	const fresh = await generationListening(door, 2);
	assert.equal(pidOf(await call(session, 'whoami')), fresh, 'new requests go to the new generation');
	assert.ok(isAlive(old), 'the old generation still runs: a call is in flight there');
	writeFileSync(release, '');
	assert.equal(pidOf(await slow), old, 'the slow call is answered by the old generation');
	await waitGone([old], 15_000);
	assert.ok(isAlive(fresh));
});
