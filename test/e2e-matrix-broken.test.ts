// Real-world matrix, the broken setups a user hits with real servers: wrong port, a server that
// ignores PORT, wrong path, https against http, a second instance on the same port (context7's own
// cases are in test/e2e-matrix-context7.test.ts). Each asserts the
// right cause, the evidence, and a fix that works, on mcp-launch's message; and nothing is left running.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {show} from './helpers/cli.js';
import {brokenRun, display, matrixEnv, matrixTest, saveRowsAfter, tempDir} from './helpers/matrix.js';
import {freePort, portIsFree} from './helpers/net.js';
import {isAlive, killHard} from './helpers/proc.js';
import {waitFor} from './helpers/wait.js';

saveRowsAfter(import.meta.filename);
const SDK = 'SDK client (test/fixtures/client.js)';
const EVERYTHING = 'mcp-server-everything streamableHttp';
/** Two distinct free ports. */
async function twoPorts(): Promise<[number, number]> {
	const a = await freePort();
	let b = await freePort();
	while (b === a) b = await freePort();
	return [a, b];
}
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

matrixTest(
	'server-everything on another port than the URL: cause wrong port, the listener as evidence, the fix its URL',
	{server: '@modelcontextprotocol/server-everything: wrong port', client: SDK, command: `${display(['--timeout', '4s', '-u', 'http://127.0.0.1:3001/mcp', '-s', `PORT=3000 ${EVERYTHING}`])} -- node test/fixtures/client.js`},
	async (t) => {
		const [listen, probe] = await twoPorts();
		const result = await brokenRun(t, ['--timeout', '4s', '-u', `http://127.0.0.1:${probe}/mcp`, '-s', `PORT=${listen} ${EVERYTHING}`]);
		assert.equal(result.code, 124, show(result));
		assert.match(result.stderr, new RegExp(`likely cause: wrong port: the server listens on \\[::\\]:${listen}, you probe :${probe}`), show(result));
		assert.match(result.stderr, new RegExp(`listen on \\[::\\]:${listen}, pid \\d+ \\(node `), `evidence\n${show(result)}`);
		assert.match(result.stderr, new RegExp(`fix: use http://127\\.0\\.0\\.1:${listen}/mcp`), show(result));
		return 'exit 124: cause "wrong port", listener shown, fix its URL';
	},
);

matrixTest(
	'mcp-proxy started on a fixed port under -p auto (ignores PORT): the fix is to pass {port}, not a port that changes every run',
	{server: 'mcp-proxy: ignores PORT under -p auto', client: SDK, command: `${display(['-p', 'auto', '--timeout', '4s', '-s', 'mcp-proxy --port 8080 -- mcp-server-filesystem <dir>'])} -- node test/fixtures/client.js`},
	async (t) => {
		const dir = tempDir(t);
		mkdirSync(path.join(dir, 'files'));
		const [fixed] = await twoPorts();
		const result = await brokenRun(t, ['-p', 'auto', '--timeout', '4s', '-s', `mcp-proxy --port ${fixed} -- mcp-server-filesystem ${path.join(dir, 'files')}`]);
		assert.equal(result.code, 124, show(result));
		assert.match(result.stderr, new RegExp(`likely cause: wrong port: the server listens on \\[::\\]:${fixed}`), show(result));
		const fix = result.stderr.split('\n').find((line) => line.includes('fix:')) ?? '';
		assert.match(fix, /\{port\}|\$PORT/, `the fix: pass {port} (or $PORT) in the server command\n${show(result)}`);
		assert.doesNotMatch(fix, /start the server on port \d+/, `no port that changes every run\n${show(result)}`);
		return 'exit 124: cause "wrong port", fix: pass {port} in the server command';
	},
);

matrixTest(
	'server-everything on a wrong path: 404 named, the fix is /mcp, and not stated as the server\'s own word',
	{server: '@modelcontextprotocol/server-everything: wrong path', client: SDK, command: `${display(['-p', 'auto', '-u', 'http://127.0.0.1:{port}/api', '-s', EVERYTHING])} -- node test/fixtures/client.js`},
	async (t) => {
		const result = await brokenRun(t, ['-p', 'auto', '-u', 'http://127.0.0.1:{port}/api', '-s', EVERYTHING]);
		assert.equal(result.code, 1, `the client's own exit: it failed on the wrong path\n${show(result)}`);
		const port = /ready http:\/\/127\.0\.0\.1:(\d+)\/api \(404/.exec(result.stderr)?.[1];
		assert.ok(port, show(result));
		assert.match(result.stderr, /answered 404 at \/api/, show(result));
		assert.match(result.stderr, new RegExp(`fix: .*http://127\\.0\\.0\\.1:${port}/mcp`), show(result));
		assert.doesNotMatch(result.stderr, /the path the server serves MCP on/, `a guess is not stated as fact (the server announced no path)\n${show(result)}`);
		return '404 named, fix http://127.0.0.1:{port}/mcp';
	},
);

matrixTest(
	'server-everything gated with https: cause the scheme, the TLS error as evidence, the fix the http URL',
	{server: '@modelcontextprotocol/server-everything: https against http', client: SDK, command: `${display(['-p', 'auto', '--timeout', '4s', '-u', 'https://127.0.0.1:{port}/mcp', '-s', EVERYTHING])} -- node test/fixtures/client.js`},
	async (t) => {
		const result = await brokenRun(t, ['-p', 'auto', '--timeout', '4s', '-u', 'https://127.0.0.1:{port}/mcp', '-s', EVERYTHING]);
		assert.equal(result.code, 124, show(result));
		const port = /https:\/\/127\.0\.0\.1:(\d+)\/mcp did not answer/.exec(result.stderr)?.[1];
		assert.ok(port, show(result));
		assert.match(result.stderr, /likely cause: wrong scheme \(http vs https\)/, show(result));
		assert.match(result.stderr, /TLS: wrong version number|TLS handshake failed/, `evidence\n${show(result)}`);
		assert.match(result.stderr, new RegExp(`fix: use http://127\\.0\\.0\\.1:${port}/mcp`), show(result));
		return 'exit 124: cause "wrong scheme", TLS error shown, fix the http URL';
	},
);

matrixTest(
	'a second server-everything on a port the first still holds: cause port in use, the holder as evidence, kill it or --reuse; the first survives',
	{server: '@modelcontextprotocol/server-everything: second instance', client: SDK, command: `${display(['-p', '3000', '-s', EVERYTHING])} -- node test/fixtures/client.js (a first instance already on :3000)`},
	async (t) => {
		const [port] = await twoPorts();
		const first = spawn('mcp-server-everything', ['streamableHttp'], {env: matrixEnv({PORT: String(port)}), stdio: 'ignore'});
		t.after(() => killHard(first.pid));
		await waitFor(async () => !(await portIsFree(port)), {timeoutMs: 30_000, what: 'the first instance to listen'});
		const result = await brokenRun(t, ['-p', String(port), '-s', EVERYTHING]);
		assert.equal(result.code, 125, show(result));
		assert.match(result.stderr, new RegExp(`likely cause: port already in use: port ${port} is already in use by pid (\\d+)`), show(result));
		const holder = new RegExp(`in use by pid (\\d+)`).exec(result.stderr)![1];
		assert.ok(isAlive(Number(holder)), 'the holder named is a live process');
		assert.match(result.stderr, new RegExp(`answers HTTP 400 at ${esc(`http://127.0.0.1:${port}/mcp`)}`), `evidence: it answers\n${show(result)}`);
		assert.match(result.stderr, new RegExp(`fix: stop it \\(kill ${holder}\\).*--reuse`), show(result));
		assert.ok(first.pid && isAlive(first.pid), 'the first instance is not touched');
		return 'exit 125: cause "port already in use", holder pid shown, fix kill it or --reuse';
	},
);
