// Unit specs for the front door's pure parts: the restart policy (Docker's words and backoff),
// the SSE event cutter, the JSON-RPC bodies it reads and the errors it writes, the Origin rule,
// the initialize rewrite, and the watcher on a real temporary directory.
import {describe, it, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {RestartBudget, toRestartPolicy} from '../src/front-door/restart-policy.js';
import {eventData, eventId, SseEvents, sseMessages, withEventId} from '../src/front-door/sse.js';
import {errorBody, readPostBody, responseId} from '../src/front-door/json-rpc.js';
import {isLocalOrigin} from '../src/front-door/front-door.js';
import {listChangedMethods} from '../src/front-door/initialize.js';
import {isIgnored, watchPaths} from '../src/front-door/watch.js';
import {OptionError} from '../src/option-error.js';
import {restartBackoff} from '../src/defaults.js';
import {waitFor} from './helpers/wait.js';

describe('--restart', () => {
	it('reads Docker\'s words', () => {
		assert.deepEqual(toRestartPolicy(undefined), {kind: 'no'});
		assert.deepEqual(toRestartPolicy('no'), {kind: 'no'});
		assert.deepEqual(toRestartPolicy('on-failure'), {kind: 'on-failure', maxRestarts: restartBackoff.defaultMaxRestarts});
		assert.deepEqual(toRestartPolicy('on-failure:3'), {kind: 'on-failure', maxRestarts: 3});
		for (const bad of ['always', 'unless-stopped', 'on-failure:0', 'on-failure:', 'on-failure:-1', 'on-failure:1001', 'on-failure:1.5', 'ON-FAILURE', '', 3]) {
			assert.throws(() => toRestartPolicy(bad), (error: unknown) => error instanceof OptionError && error.flag === '--restart' && /no, on-failure or on-failure:N/.test(error.message), String(bad));
		}
	});

	it('backs off from 100 ms, doubling, and gives up after N restarts in a row', () => {
		const budget = new RestartBudget({kind: 'on-failure', maxRestarts: 4});
		const crash = {code: 1, signal: undefined};
		const delays = [1, 2, 3, 4].map(() => budget.afterEnding(crash, 0));
		assert.deepEqual(delays.map(decision => (decision.restart ? [decision.delayMs, decision.attempt, decision.of] : decision.why)), [[100, 1, 4], [200, 2, 4], [400, 3, 4], [800, 4, 4]]);
		assert.deepEqual(budget.afterEnding(crash, 0), {restart: false, why: 'exhausted', of: 4});
		budget.reset(); // A change under --watch: new code, a new count.
		assert.deepEqual(budget.afterEnding(crash, 0), {restart: true, delayMs: 100, attempt: 1, of: 4});
	});

	it('starts over once a generation stayed up 10 s; caps the delay; a signal is a failure, a clean exit is not', () => {
		const budget = new RestartBudget({kind: 'on-failure', maxRestarts: 1000});
		for (let n = 0; n < 20; n++) {
			budget.afterEnding({code: 1, signal: undefined}, 0);
		}

		assert.equal((budget.afterEnding({code: 1, signal: undefined}, 0) as {delayMs: number}).delayMs, restartBackoff.maxDelayMs);
		assert.deepEqual(budget.afterEnding({code: undefined, signal: 'SIGKILL'}, restartBackoff.resetAfterMs), {restart: true, delayMs: 100, attempt: 1, of: 1000});
		assert.deepEqual(budget.afterEnding({code: 0, signal: undefined}, 0), {restart: false, why: 'clean-exit', of: 1000});
		assert.deepEqual(new RestartBudget({kind: 'no'}).afterEnding({code: 1, signal: undefined}, 0), {restart: false, why: 'policy', of: 0});
	});
});

describe('SSE events', () => {
	it('cuts a stream into whole events whatever the chunks, LF or CRLF', () => {
		const events = new SseEvents();
		const text = 'event: message\ndata: {"a":1}\n\n: keepalive\n\nid: 7\r\ndata: {"b":2}\r\n\r\n';
		const got: string[] = [];
		for (let index = 0; index < text.length; index += 3) {
			got.push(...events.push(Buffer.from(text.slice(index, index + 3))));
		}

		assert.deepEqual(got, ['event: message\ndata: {"a":1}\n\n', ': keepalive\n\n', 'id: 7\r\ndata: {"b":2}\r\n\r\n']);
		assert.equal(eventData(got[0]!), '{"a":1}');
		assert.equal(eventData(got[1]!), undefined);
		assert.equal(eventId(got[2]!), '7');
		assert.equal(eventId(withEventId(got[2]!, '3-7')), '3-7');
	});

	it('keeps a character split across chunks whole', () => {
		const events = new SseEvents();
		const bytes = Buffer.from('data: "é"\n\n');
		const split = bytes.indexOf(0xC3) + 1;
		assert.deepEqual([...events.push(bytes.subarray(0, split)), ...events.push(bytes.subarray(split))], ['data: "é"\n\n']);
	});

	it('reads the messages of a whole SSE body', () => {
		assert.deepEqual(sseMessages('event: message\ndata: {"id":1,"result":{}}\n\ndata: not json\n\n'), [{id: 1, result: {}}]);
	});
});

describe('JSON-RPC bodies', () => {
	it('reads the request ids and the method; notifications and responses have no id to answer', () => {
		assert.deepEqual(readPostBody(Buffer.from('{"jsonrpc":"2.0","id":4,"method":"tools/call"}')).ids, [4]);
		assert.equal(readPostBody(Buffer.from('{"jsonrpc":"2.0","id":"a","method":"initialize"}')).method, 'initialize');
		assert.deepEqual(readPostBody(Buffer.from('{"jsonrpc":"2.0","method":"notifications/initialized"}')).ids, []);
		assert.deepEqual(readPostBody(Buffer.from('{"jsonrpc":"2.0","id":4,"result":{}}')).ids, []);
		assert.deepEqual(readPostBody(Buffer.from('[{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"b"},{"jsonrpc":"2.0","id":2,"method":"c"}]')), {ids: [1, 2], batch: true, method: 'a', messages: [{jsonrpc: '2.0', id: 1, method: 'a'}, {jsonrpc: '2.0', method: 'b'}, {jsonrpc: '2.0', id: 2, method: 'c'}]});
		assert.deepEqual(readPostBody(Buffer.from('not json')).ids, []);
	});

	it('answers each request with the error, an array for a batch', () => {
		const failure = {message: 'mcp-launch: the server exited with code 1', data: {exitCode: 1}};
		assert.deepEqual(JSON.parse(errorBody({ids: [4], batch: false}, failure)), {jsonrpc: '2.0', id: 4, error: {code: -32_000, ...failure}});
		assert.deepEqual(JSON.parse(errorBody({ids: [1, 2], batch: true}, failure)).map((item: {id: number}) => item.id), [1, 2]);
		assert.equal(responseId({jsonrpc: '2.0', id: 3, error: {}}), 3);
		assert.equal(responseId({jsonrpc: '2.0', id: 3, method: 'ping'}), undefined, 'a request from the server is not an answer');
	});

	it('names the list_changed notifications of what the server has', () => {
		assert.deepEqual(listChangedMethods({tools: {}, prompts: {listChanged: false}}), ['notifications/tools/list_changed', 'notifications/prompts/list_changed']);
		assert.deepEqual(listChangedMethods(undefined), []);
	});
});

describe('Origin', () => {
	it('lets local pages in and keeps others out', () => {
		for (const origin of ['http://localhost:5173', 'http://127.0.0.1:6274', 'https://app.localhost', 'http://[::1]:3000', 'http://127.1.2.3']) {
			assert.equal(isLocalOrigin(origin), true, origin);
		}

		for (const origin of ['http://evil.example', 'null', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example', 'file://', 'http://0.0.0.0:3000', '']) {
			assert.equal(isLocalOrigin(origin), false, origin);
		}
	});
});

describe('--watch', () => {
	const temp = (t: TestContext) => {
		const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-watch-'));
		t.after(() => rmSync(dir, {recursive: true, force: true}));
		return dir;
	};

	it('ignores .git, node_modules, __pycache__, .venv and editors\' swap files', () => {
		for (const file of ['/p/.git/index', '/p/node_modules/x/index.js', '/p/src/__pycache__/a.pyc', '/p/.venv/lib/x.py', '/p/src/.server.js.swp', '/p/src/server.js~', '/p/src/4913', '/p/src/.#server.js']) {
			assert.equal(isIgnored(file), true, file);
		}

		for (const file of ['/p/src/server.js', '/p/src/git.js', '/p/tools.json']) {
			assert.equal(isIgnored(file), false, file);
		}
	});

	it('reports a burst of changes once, in subdirectories too, new ones included; not what is ignored', async t => {
		const dir = temp(t);
		mkdirSync(path.join(dir, 'lib'));
		mkdirSync(path.join(dir, 'node_modules'));
		const bursts: string[][] = [];
		const watcher = watchPaths([dir], {onChange: files => bursts.push(files.map(file => path.relative(dir, file)).sort()), quietMs: 50});
		t.after(() => watcher.close());
		writeFileSync(path.join(dir, 'node_modules', 'x.js'), '1');
		writeFileSync(path.join(dir, 'a.js'), '1');
		writeFileSync(path.join(dir, 'lib', 'b.js'), '1');
		writeFileSync(path.join(dir, 'a.js'), '2');
		await waitFor(() => bursts.length === 1, {timeoutMs: 5000, what: 'one burst'});
		assert.deepEqual(bursts[0], ['a.js', 'lib/b.js']);
		mkdirSync(path.join(dir, 'new'));
		await waitFor(() => bursts.length === 2, {timeoutMs: 5000, what: 'the new directory'});
		writeFileSync(path.join(dir, 'new', 'c.js'), '1');
		await waitFor(() => bursts.at(-1)?.includes('new/c.js'), {timeoutMs: 5000, what: `a file in the new directory (bursts: ${JSON.stringify(bursts)})`});
	});

	it('watches a single file (also when an editor saves it by rename), not its neighbours', async t => {
		const dir = temp(t);
		const file = path.join(dir, 'server.js');
		writeFileSync(file, '1');
		const bursts: string[][] = [];
		const watcher = watchPaths([file], {onChange: files => bursts.push(files), quietMs: 50});
		t.after(() => watcher.close());
		writeFileSync(path.join(dir, 'other.js'), 'not watched');
		writeFileSync(path.join(dir, 'server.js.tmp'), '2');
		renameSync(path.join(dir, 'server.js.tmp'), file);
		await waitFor(() => bursts.length === 1, {timeoutMs: 5000, what: 'the save'});
		assert.deepEqual(bursts[0], [file]);
	});

	it('skips the files it is told to (the --server-log file: the server writes it)', async t => {
		const dir = temp(t);
		const bursts: string[][] = [];
		const watcher = watchPaths([dir], {onChange: files => bursts.push(files.map(file => path.basename(file))), ignoreFiles: [path.join(dir, 'server.log')], quietMs: 50});
		t.after(() => watcher.close());
		writeFileSync(path.join(dir, 'server.log'), 'a line the server wrote');
		writeFileSync(path.join(dir, 'server.js'), 'a change');
		await waitFor(() => bursts.length === 1, {timeoutMs: 5000, what: 'the change'});
		assert.deepEqual(bursts[0], ['server.js']);
	});
});
