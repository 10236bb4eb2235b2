// Issue 20, end to end: each cause real servers got wrong, with a real process that behaves as
// the server did (the real package where it runs here offline: git-mcp-server, mcp-server-chart;
// else test/fixtures/edge-server.js, which prints the server's own captured lines and answers as
// it did), through the built CLI. Each asserts the cause, the evidence and the fix, and that the
// server's tree is gone afterwards.
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {createServer} from 'node:net';
import path from 'node:path';
import {after, before, describe, it, type TestContext} from 'node:test';
import {CLI, FIXTURES, ROOT, cliBuilt, runCli, show, sq, type CliResult} from './helpers/cli.js';
import {freePort, portIsFree} from './helpers/net.js';
import {killHard} from './helpers/proc.js';
import {Sandbox} from './helpers/sandbox.js';
import {waitFor} from './helpers/wait.js';

const EDGE = path.join(FIXTURES, 'edge-server.js');
const edge = (...args: string[]) => ['node', EDGE, ...args].map(word => sq(word)).join(' ');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const env = {...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH}`, PORT: undefined, MCP_TRANSPORT_TYPE: undefined};
const re = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const children = new Set<ChildProcess>();

before(() => {
	assert.ok(cliBuilt(), `${CLI} is missing: run \`npm run build\` first`);
});

after(() => {
	for (const child of children) killHard(child.pid);
});

async function sandbox(t: TestContext): Promise<Sandbox> {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	return box;
}

/** Run the launcher (tracked, bounded) and check nothing it started still listens on the given ports. */
async function launch(box: Sandbox, args: string[], ports: number[] = []): Promise<CliResult> {
	const result = await box.start(args, {env, timeoutMs: 40_000}).exited;
	assert.equal(result.timedOut, false, `the launcher hung:\n${show(result)}`);
	for (const port of ports) {
		assert.ok(await portIsFree(port), `port ${port} is still served after mcp-launch exited\n${show(result)}`);
	}

	return result;
}

async function twoPorts(): Promise<[number, number]> {
	const first = await freePort();
	let second = await freePort();
	while (second === first) second = await freePort();
	return [first, second];
}

const v6 = await new Promise<boolean>(resolve => {
	const server = createServer();
	server.once('error', () => resolve(false));
	server.listen(0, '::1', () => server.close(() => resolve(true)));
});

describe('1. a server that ran its stdio transport', () => {
	it('git-mcp-server (real) without MCP_TRANSPORT_TYPE=http: stdio mode and its HTTP mode are named; with the fix it serves', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['-p', 'auto', '-s', 'git-mcp-server', '--', 'true']);
		assert.equal(result.code, 125, show(result));
		assert.match(result.stderr, /server exited with code 0 before http:\/\/127\.0\.0\.1:\d+\/mcp answered: it ran in stdio mode \("MCP Server connected and listening via stdio transport\."\), not as an HTTP server; its stdin is \/dev\/null under mcp-launch, so it ended at once/, show(result));
		assert.match(result.stderr, /fix: start it in its Streamable HTTP mode: .*MCP_TRANSPORT_TYPE=http/, show(result));
		assert.doesNotMatch(result.stderr, /run the server command alone/, show(result));
		const fixed = await launch(box, ['-p', 'auto', '-s', 'MCP_TRANSPORT_TYPE=http MCP_HTTP_PORT={port} git-mcp-server', '--', 'true']);
		assert.equal(fixed.code, 0, show(fixed));
	});

	it('a stdio server that says "stdin closed, shutting down..." (n8n-mcp\'s words)', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['-p', 'auto', '-s', edge('stdin-eof'), '--', 'true']);
		assert.equal(result.code, 125, show(result));
		assert.match(result.stderr, /it ran in stdio mode \("stdin closed, shutting down\.\.\."\)/, show(result));
	});
});

describe('2. the old HTTP+SSE transport at /mcp (@executeautomation/playwright-mcp-server --port)', () => {
	it('the gate opens on its 400, but warns that it is the old SSE transport (and --strict fails)', async t => {
		const box = await sandbox(t);
		const args = ['-p', 'auto', '-s', edge('legacy-sse', '--port', '{port}')];
		const result = await launch(box, [...args, '--', 'true']);
		assert.equal(result.code, 0, show(result));
		assert.match(result.stderr, /answered 400 at \/mcp \(it said: "Bad Request: sessionId query parameter required"\): that is the old HTTP\+SSE transport .*\/sse \+ \/messages with a sessionId query parameter\), not Streamable HTTP/, show(result));
		assert.match(result.stderr, /fix: give http:\/\/127\.0\.0\.1:\d+\/mcp to a client that supports the SSE transport/, show(result));
		const strict = await launch(box, [...args, '--strict', '--', 'true']);
		assert.equal(strict.code, 125, show(strict));
		assert.match(strict.stderr, /old HTTP\+SSE transport/, show(strict));
	});

	it('doctor: the old SSE transport, not "healthy … ready for MCP clients"', async t => {
		const box = await sandbox(t);
		const result = await runCli(['doctor', box.url, '--server', edge('legacy-sse', '--port', String(box.port))], {env});
		assert.equal(result.code, 1, show(result));
		assert.match(result.stdout, /verdict: old HTTP\+SSE transport: answered 400 at \/mcp/, show(result));
		assert.doesNotMatch(result.stdout, /healthy|ready for MCP clients/, show(result));
	});

	it('--probe mcp: the old SSE transport, not a blocked event loop', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['-p', 'auto', '--probe', 'mcp', '--timeout', '1500ms', '-s', edge('legacy-sse', '--port', '{port}'), '--', 'true']);
		assert.equal(result.code, 124, show(result));
		assert.match(result.stderr, /likely cause: old HTTP\+SSE transport: answered 400 at \/mcp/, show(result));
		assert.doesNotMatch(result.stderr, /stuck|blocked event loop/, show(result));
	});
});

describe('3. the crash\'s cause, wherever it is in the output', () => {
	it('kubernetes-mcp-server without a kubeconfig: line 1 of 49 is the cause, then the tail', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['-p', 'auto', '-s', edge('replay', 'kubernetes-mcp-server-no-kubeconfig.txt', 'stderr', '1'), '--', 'true']);
		assert.equal(result.code, 125, show(result));
		assert.match(result.stderr, /server exited with code 1 before \S+ answered: Error: unable to create kubernetes target provider: no current-context is set and no contexts are defined in kubeconfig\.\n/, show(result));
		assert.match(result.stderr, /last stderr lines:\n(?:.*\n)*\s+--version\s+Print version information and quit/, show(result));
	});

	it('dbhub without a DSN: `ERROR: …` is the cause', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['-p', 'auto', '-s', edge('replay', 'dbhub-no-dsn.txt', 'stderr', '1'), '--', 'true']);
		assert.equal(result.code, 125, show(result));
		assert.match(result.stderr, /answered: ERROR: Database connection configuration is required\.\n/, show(result));
	});

	it('doctor --server in text format prints the cause and the server\'s last lines on a crash', async t => {
		const box = await sandbox(t);
		const result = await runCli(['doctor', box.url, '--server', edge('replay', 'kubernetes-mcp-server-no-kubeconfig.txt', 'stderr', '1')], {env});
		assert.equal(result.code, 1, show(result));
		assert.match(result.stdout, /verdict: crash on boot: the server exited with code 1: Error: unable to create kubernetes target provider/, show(result));
		assert.match(result.stdout, /its last lines:\n(?: {4}.*\n)*? {4}\s*--version\s+Print version information and quit/, show(result));
	});
});

describe('4. a metrics port taken for the MCP port', () => {
	it('kubernetes-mcp-server --port A --metrics-port B, the URL on B: a wrong port, naming A (was: a wrong path)', async t => {
		const box = await sandbox(t);
		const [port, metrics] = await twoPorts();
		const args = ['-u', `http://127.0.0.1:${metrics}/mcp`, '-s', edge('metrics', '--port', String(port), '--metrics-port', String(metrics))];
		const result = await launch(box, [...args, '--strict', '--', 'true'], [port, metrics]);
		assert.equal(result.code, 125, show(result));
		assert.match(result.stderr, new RegExp(`:${metrics} answered 404 at /mcp, but the server's other port :${port} answers MCP there \\(HTTP 200\\)`), show(result));
		assert.match(result.stderr, new RegExp(`fix: use http://127\\.0\\.0\\.1:${port}/mcp`), show(result));
		const doctor = await runCli(['doctor', `http://127.0.0.1:${metrics}/mcp`, '--server', edge('metrics', '--port', String(port), '--metrics-port', String(metrics))], {env});
		assert.match(doctor.stdout, new RegExp(`verdict: wrong port: :${metrics} answered 404 at /mcp, but the server's other port :${port} answers MCP there`), show(doctor));
	});
});

describe('5. a stale instance on a fixed port, and a forgotten {port}', () => {
	it('mcp-server-chart (real) holds port X; a second one under -p auto without {port}: the ignored PORT and the pid holding X are named', async t => {
		const box = await sandbox(t);
		const fixed = await freePort();
		const stale = spawn(path.join(BIN, 'mcp-server-chart'), ['-t', 'streamable', '-p', String(fixed)], {stdio: ['ignore', 'pipe', 'pipe']});
		children.add(stale);
		t.after(() => killHard(stale.pid));
		let said = '';
		stale.stdout!.setEncoding('utf8').on('data', (chunk: string) => (said += chunk));
		await waitFor(() => said.includes('listening on'), {timeoutMs: 15_000, what: 'the stale chart server to listen'});
		const result = await launch(box, ['-p', 'auto', '-s', `mcp-server-chart -t streamable -p ${fixed}`, '--', 'true']);
		assert.equal(result.code, 125, show(result));
		assert.match(result.stderr, new RegExp(`it ignored the port it was given \\(PORT=\\d+\\) and tried port ${fixed} \\(".*listening on http://localhost:${fixed}/mcp"\\), but port ${fixed} is already in use by pid ${stale.pid} \\(`), show(result));
		assert.match(result.stderr, new RegExp(`fix: stop pid ${stale.pid} \\(kill ${stale.pid}\\) if it is a stale instance; and pass \\{port\\} .*write -p \\{port\\} instead of -p ${fixed}`), show(result));
	});
});

describe('8. a server bound to [::1] only, the URL on 127.0.0.1', {skip: v6 ? false : 'IPv6 loopback (::1) is not available here'}, () => {
	it('warned as soon as it prints `http://::1:PORT/mcp`, long before --timeout', async t => {
		const box = await sandbox(t);
		const run = box.start(['--timeout', '20s', '-u', box.url, '-s', `node ${sq(path.join(FIXTURES, 'diag-http.js'))} --host ::1 --port ${box.port} --announce 'MCP server listening on http://::1:{port}/mcp'`, '--', 'true'], {env});
		await run.waitStderr(new RegExp(`the server listens on \\[::1\\]:${box.port}, but you probe 127\\.0\\.0\\.1\\n\\s*fix: use http://\\[::1\\]:${box.port}/mcp, or bind the server to both loopback addresses`), 10_000);
		assert.equal(run.done(), false, 'warned only at the end');
		run.child.kill('SIGTERM');
		const result = await run.exited;
		assert.equal(result.code, 143, show(result));
	});
});

describe('9. the smaller ones', () => {
	it('/sse answered 404 before the server said where it serves MCP: its path, not a guess', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['-p', 'auto', '-u', 'http://127.0.0.1:{port}/sse', '-s', edge('late-path', '--port', '{port}'), '--', 'true']);
		assert.equal(result.code, 0, show(result));
		assert.match(result.stderr, /answered 404 at \/sse: not the MCP endpoint; the server announced \/mcp/, show(result));
		assert.match(result.stderr, /fix: use http:\/\/127\.0\.0\.1:\d+\/mcp \(the path the server announced\)/, show(result));
		assert.doesNotMatch(result.stderr, /a guess/, show(result));
	});

	it('/mcp/ answered 404: drop the trailing slash', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['-p', 'auto', '-u', 'http://127.0.0.1:{port}/mcp/', '-s', `node ${sq(path.join(FIXTURES, 'diag-http.js'))} --port {port} --silent`, '--', 'true']);
		assert.equal(result.code, 0, show(result));
		assert.match(result.stderr, /fix: try http:\/\/127\.0\.0\.1:\d+\/mcp, without the trailing slash/, show(result));
	});

	it('https against plain http: the TLS error, not "no HTTP answer came within 0 ms"', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['-p', 'auto', '-u', 'https://127.0.0.1:{port}/mcp', '--timeout', '1s', '-s', `node ${sq(path.join(FIXTURES, 'diag-http.js'))} --port {port}`, '--', 'true']);
		assert.equal(result.code, 124, show(result));
		assert.match(result.stderr, /did not answer within 1 s \(\d+ probes; last error: EPROTO \(TLS: wrong version number\)\)/, show(result));
		assert.doesNotMatch(result.stderr, /no HTTP answer came within/, show(result));
		assert.match(result.stderr, /likely cause: wrong scheme .*\n(?:.*\n)*\s*fix: use http:\/\/127\.0\.0\.1:\d+\/mcp/, show(result));
	});

	it('a server that ignores PORT and takes its port from --httpPort: the fix names its flag', async t => {
		const box = await sandbox(t);
		const fixed = await freePort();
		const result = await launch(box, ['-p', 'auto', '--timeout', '1500ms', '-s', edge('fixed', '--httpPort', String(fixed)), '--', 'true'], [fixed]);
		assert.equal(result.code, 124, show(result));
		assert.match(result.stderr, new RegExp(`likely cause: wrong port: the server listens on 127\\.0\\.0\\.1:${fixed}`), show(result));
		assert.match(result.stderr, new RegExp(`pass \\{port\\} \\(or \\$PORT\\) in the server command, write --httpPort \\{port\\} instead of --httpPort ${fixed}`), show(result));
	});

	it('node with a mistyped path: the file does not exist, and the close names (not "run the build step")', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['-p', 'auto', '-s', 'node test/fixtures/edge-servr.js', '--', 'true']);
		assert.equal(result.code, 125, show(result));
		assert.match(result.stderr, new RegExp(`there is no file ${re(path.join(FIXTURES, 'edge-servr.js'))}\\n\\s*fix: check the path in the --server command: files with a close name: ${re(path.join(FIXTURES, 'edge-server.js'))}`), show(result));
		assert.doesNotMatch(result.stderr, /build step/, show(result));
	});
});
