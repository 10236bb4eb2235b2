// The diagnoses as the launcher shows them: `node dist/cli.js` as a real process, real servers
// (an occupant, a server on another port, silent in a wrapper, a 404 path, https vs http, crashes),
// asserting the exit code, that the client never ran when it must not, and the words on stderr.
// The evidence gatherers and `doctor` have their own specs (e2e-diagnose*.test.ts). The cases that
// read port owners or the server tree's sockets run with both evidence sources: /proc and lsof
// (the macOS path, forced through the CLI's MCP_LAUNCH_PLATFORM knob).
import assert from 'node:assert/strict';
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createServer} from 'node:net';
import {after, before, describe, it, type TestContext} from 'node:test';
import {CLI, FIXTURES, NPM_LIKE_FIXTURE, ROOT, SERVER_FIXTURE, cliBuilt, shellJoin, show, sq, type CliResult} from './helpers/cli.js';
import {freePort, portIsFree} from './helpers/net.js';
import {isAlive, killHard, waitGone} from './helpers/proc.js';
import {findEvent, readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {cliEnv, evidenceSources, skipUnless} from './helpers/sources.js';
import {waitFor} from './helpers/wait.js';

const DIAG_HTTP = `${FIXTURES}/diag-http.js`;
const ENV_SERVER = `${FIXTURES}/ld-env-server.js`;
const linux = process.platform === 'linux';

/** Regex-escape. */
const re = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

before(() => {
	assert.ok(cliBuilt(), `${CLI} is missing: run \`npm run build\` first`);
});

type Occupant = {pid: number; port: number; exited: Promise<void>; stop(): Promise<void>};

/**
 * Start a process outside the launcher, owned by the test `t` (killed after it, whatever
 * happened), and wait (bounded) until `ready` returns its port.
 */
async function startOccupant(t: TestContext, argv: string[], ready: (stdout: string) => number | undefined, what: string): Promise<Occupant> {
	const child = spawn(process.execPath, argv, {cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	let done = false;
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const exited = new Promise<void>(resolve => child.once('exit', () => {
		done = true;
		resolve();
	}));
	const stop = async () => {
		killHard(child.pid);
		await exited;
	};
	t.after(stop);
	const port = await waitFor(() => {
		const found = ready(stdout);
		if (found !== undefined) return found;
		return done ? -1 : undefined;
	}, {timeoutMs: 10_000, what});
	assert.notEqual(port, -1, `${what}: it exited first: ${stderr}`);
	return {pid: child.pid!, port, exited, stop};
}

/** diag-http.js on a port the OS picks (or `--port`), ready on its READY line. */
const startDiagHttp = async (t: TestContext, args: string[] = []): Promise<Occupant> =>
	startOccupant(t, [DIAG_HTTP, ...args], stdout => {
		const match = /READY (\{.*\})/.exec(stdout);
		return match ? (JSON.parse(match[1]!) as {port: number}).port : undefined;
	}, `READY from diag-http.js ${args.join(' ')}`);

/** Two distinct free ports. */
async function twoPorts(): Promise<[number, number]> {
	const first = await freePort();
	let second = await freePort();
	while (second === first) second = await freePort();
	return [first, second];
}

function ipv6LoopbackAvailable(): Promise<boolean> {
	return new Promise(resolve => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(0, '::1', () => server.close(() => resolve(true)));
	});
}

/** Run the launcher in the sandbox (tracked for cleanup), bounded. */
async function launch(box: Sandbox, args: string[], options: {env?: NodeJS.ProcessEnv; command?: string[]; cwd?: string} = {}): Promise<CliResult> {
	const run = box.start(args, {timeoutMs: 30_000, ...options});
	const result = await run.exited;
	assert.equal(result.timedOut, false, `the launcher hung:\n${show(result)}`);
	return result;
}

/** The server tree the launcher started is gone once it exited (teardown on the failure paths too). */
async function assertServerGone(box: Sandbox): Promise<void> {
	const pids = box.serverTreePids();
	if (pids.length > 0) await waitGone(pids, 5_000);
}

async function sandbox(t: TestContext): Promise<Sandbox> {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	return box;
}

const v6 = await ipv6LoopbackAvailable();

for (const source of evidenceSources) describe(`1. port already served by another process [${source}]`, {skip: skipUnless(source)}, () => {
	const env = cliEnv(source);
	/** A sandbox whose port a real MCP server (the fixture) already holds: a stale instance. Owned by `t`. */
	async function served(t: TestContext): Promise<{box: Sandbox; occupant: Occupant}> {
		const box = await sandbox(t);
		const report = box.path('occupant.jsonl');
		const occupant = await startOccupant(t, [SERVER_FIXTURE, '--port', String(box.port), '--report', report], () =>
			readJsonLines(report).find(event => event.event === 'listening')?.port, 'the occupant\'s listening event');
		return {box, occupant};
	}

	it('exit 125, neither the server command nor the client ran, the occupant\'s pid and command are named', async t => {
		const {box, occupant} = await served(t);
		const serverMarker = box.path('server-ran');
		const result = await launch(box, ['-s', `touch ${sq(serverMarker)} && ${box.server()}`, '-u', box.url, '--', ...box.client()], {env});
		assert.equal(result.code, 125, show(result));
		assert.equal(existsSync(serverMarker), false, 'the server command ran');
		assert.deepEqual(readJsonLines(box.serverReport), [], 'the server was started');
		assert.equal(existsSync(box.clientReport), false, 'the client ran');
		assert.match(result.stderr, new RegExp(`port ${box.port} is already in use by pid ${occupant.pid} \\((?:\\S*/)?node [^)]*server\\.js --port ${box.port}\\b`), show(result));
		assert.match(result.stderr, /--reuse/, 'the fix mentions --reuse');
		assert.equal(result.stdout, '', 'stdout is the client\'s only');
		assert.ok(isAlive(occupant.pid), 'the occupant was left alone');
	});

	it('--reuse: the client runs against the occupant (exit = the client\'s), the occupant is left running', async t => {
		const {box, occupant} = await served(t);
		const serverMarker = box.path('server-ran-reuse');
		const result = await launch(box, ['--reuse', '-s', `touch ${sq(serverMarker)} && ${box.server()}`, '-u', box.url, '--', ...box.client(['--exit', '7'])], {env});
		assert.equal(result.code, 7, show(result));
		assert.equal(existsSync(serverMarker), false, 'the server command ran');
		assert.deepEqual(readJsonLines(box.serverReport), [], 'the server was started');
		const client = readClientReport(box.clientReport);
		assert.ok(client, `no client report\n${show(result)}`);
		assert.equal(client.error, null, client.error ?? '');
		assert.equal(client.env.MCP_SERVER_URL, box.url);
		assert.deepEqual(client.serverVersion, {name: 'fixture-server', version: '1.2.3'}, 'the client talked to the occupant');
		assert.deepEqual(client.tools, ['echo']);
		assert.match(result.stderr, new RegExp(`reusing the server already answering at ${re(box.url)}`), show(result));
		assert.ok(isAlive(occupant.pid), 'the occupant was stopped');
		assert.equal(findEvent(box.path('occupant.jsonl'), 'signal'), undefined, 'the occupant got a signal');
	});
});

describe('2. localhost → ::1 first, the server bound 127.0.0.1 only (unshare -m, bind-mounted /etc/hosts)', async () => {
	const hostsDir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-ld-hosts-'));
	const hosts = path.join(hostsDir, 'hosts');
	// Probe everything the spec needs before running it: root, unshare -m, mount --bind, and the
	// resolver in the namespace really answering ::1 first.
	const why = await (async (): Promise<string | false> => {
		if (!linux) return 'Linux only (unshare, mount namespaces)';
		if (process.getuid?.() !== 0) return 'needs root for unshare -m and mount --bind';
		if (!v6) return 'IPv6 loopback (::1) is not available here';
		writeFileSync(hosts, '::1 localhost\n127.0.0.1 localhost\n');
		const lookup = `require('node:dns').lookup('localhost', {all: true}, (error, list) => process.stdout.write(error ? 'ERR ' + error.code : list.map(a => a.address).join(',')))`;
		const probe = spawnSync('unshare', ['-m', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hosts, process.execPath, '-e', lookup], {encoding: 'utf8', timeout: 10_000});
		if (probe.error) return `unshare is not usable here (${probe.error.message})`;
		if (probe.status !== 0) return `unshare -m / mount --bind failed here (exit ${probe.status}: ${probe.stderr.trim()})`;
		if (!probe.stdout.startsWith('::1,127.0.0.1')) return `with the bind-mounted hosts file, localhost resolves to ${probe.stdout || 'nothing'} (not ::1 first)`;
		return false;
	})();
	after(() => rmSync(hostsDir, {recursive: true, force: true}));

	it('stderr names ::1 refused, 127.0.0.1 answering and the fix; the client gets the 127.0.0.1 URL', {skip: why}, async t => {
		const box = await sandbox(t);
		const url = `http://localhost:${box.port}/mcp`;
		const good = `http://127.0.0.1:${box.port}/mcp`;
		const result = await launch(box, ['-s', box.server(['--host', '127.0.0.1']), '-u', url, '--', ...box.client()], {
			command: ['unshare', '-m', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hosts, process.execPath, CLI],
		});
		assert.equal(result.code, 0, show(result));
		assert.match(result.stderr, new RegExp(`localhost resolves to ::1, 127\\.0\\.0\\.1 \\(in this order\\): \\[::1\\]:${box.port} failed \\(ECONNREFUSED\\), but 127\\.0\\.0\\.1:${box.port} accepts connections`), show(result));
		assert.match(result.stderr, new RegExp(`fail with \`connect ECONNREFUSED ::1:${box.port}\``), show(result));
		assert.match(result.stderr, new RegExp(`fix: use ${re(good)} in the client, or bind the server to both loopback addresses \\(127\\.0\\.0\\.1 and ::1\\)`), show(result));
		assert.match(result.stderr, /prefer loopback binds over 0\.0\.0\.0/);
		const client = readClientReport(box.clientReport);
		assert.ok(client, `no client report\n${show(result)}`);
		assert.equal(client.env.MCP_SERVER_URL, good, 'the client got the URL that works');
		assert.equal(client.error, null, client.error ?? '');
		assert.deepEqual(client.tools, ['echo']);
		await assertServerGone(box);
	});
});

for (const source of evidenceSources) describe(`3. the server listens on :P2 while --url says :P1 [${source}]`, {skip: skipUnless(source)}, () => {
	const env = cliEnv(source);
	it('announcing server: warned as soon as it says so, named again in the timeout report, exit 124', async t => {
		const box = await sandbox(t);
		const [p1, p2] = await twoPorts();
		const readyFile = box.path('ready.json');
		// The literal port: `{port}` in a --server command is the launcher's placeholder (the URL's port).
		const server = shellJoin(['node', DIAG_HTTP, '--port', String(p2), '--announce', `listening on http://127.0.0.1:${p2}/mcp`, '--ready-file', readyFile]);
		const run = box.start(['--timeout', '3s', '-s', server, '-u', `http://127.0.0.1:${p1}/mcp`, '--', ...box.client()], {timeoutMs: 30_000, env});
		const warning = new RegExp(`warning: the server announced http://127\\.0\\.0\\.1:${p2}/mcp, you probe :${p1} \\(use --url http://127\\.0\\.0\\.1:${p2}/mcp\\)`);
		await run.waitStderr(warning, 10_000);
		assert.equal(run.done(), false, 'the port was named only after the launcher had exited');
		const result = await run.exited;
		assert.equal(result.code, 124, show(result));
		assert.equal(existsSync(box.clientReport), false, 'the client ran');
		assert.ok(existsSync(readyFile), 'the server never listened');
		const {pid} = JSON.parse(readFileSync(readyFile, 'utf8')) as {pid: number};
		assert.match(result.stderr, new RegExp(`did not answer within 3 s`), show(result));
		assert.match(result.stderr, new RegExp(`likely cause: wrong port: the server listens on 127\\.0\\.0\\.1:${p2}, you probe :${p1}`), show(result));
		assert.match(result.stderr, new RegExp(`it announced http://127\\.0\\.0\\.1:${p2}/mcp`), show(result));
		assert.match(result.stderr, new RegExp(`fix: use http://127\\.0\\.0\\.1:${p2}/mcp`), show(result));
		await waitGone([pid], 5_000);
	});

	it('silent server inside a wrapper process: the timeout report names P2 from the tree\'s LISTEN sockets, exit 124', async t => {
		const box = await sandbox(t);
		const [p1, p2] = await twoPorts();
		const readyFile = box.path('ready.json');
		const server = shellJoin(['node', NPM_LIKE_FIXTURE, '--report', box.serverReport, '--', 'node', DIAG_HTTP, '--port', String(p2), '--silent', '--ready-file', readyFile]);
		const result = await launch(box, ['--timeout', '3s', '-s', server, '-u', `http://127.0.0.1:${p1}/mcp`, '--', ...box.client()], {env});
		assert.equal(result.code, 124, show(result));
		assert.equal(existsSync(box.clientReport), false, 'the client ran');
		assert.ok(existsSync(readyFile), 'the server never listened');
		const {pid} = JSON.parse(readFileSync(readyFile, 'utf8')) as {pid: number};
		const wrapper = findEvent(box.serverReport, 'wrapper');
		assert.ok(wrapper, 'the wrapper did not report');
		assert.notEqual(wrapper.pid, pid, 'the server is not the wrapper');
		assert.doesNotMatch(result.stderr, /warning: the server announced/, 'a silent server announced something');
		assert.match(result.stderr, new RegExp(`likely cause: wrong port: the server listens on 127\\.0\\.0\\.1:${p2}, you probe :${p1}`), show(result));
		assert.match(result.stderr, new RegExp(`its processes listen on 127\\.0\\.0\\.1:${p2}, pid ${pid} `), show(result));
		assert.match(result.stderr, /it announced no address or port/, show(result));
		assert.match(result.stderr, new RegExp(`fix: use http://127\\.0\\.0\\.1:${p2}/mcp`), show(result));
		await waitGone([pid, wrapper.pid], 5_000);
	});
});

describe('4. 404 at the probed path (MCP at /mcp, probed at /sse)', () => {
	it('warns with the path and the fix, and still runs the client (exit = the client\'s)', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['-s', box.server(), '-u', `http://127.0.0.1:${box.port}/sse`, '--', ...box.client(['--no-connect', '--exit', '7'])]);
		assert.equal(result.code, 7, show(result));
		assert.ok(readClientReport(box.clientReport), `the client did not run\n${show(result)}`);
		assert.match(result.stderr, /warning: answered 404 at \/sse: not the MCP endpoint/, show(result));
		assert.match(result.stderr, /\/sse is the deprecated HTTP\+SSE transport/, show(result));
		assert.match(result.stderr, new RegExp(`fix: use ${re(box.url)} `), show(result));
		await assertServerGone(box);
	});

	it('--strict: exit 125, the client never runs', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['--strict', '-s', box.server(), '-u', `http://127.0.0.1:${box.port}/sse`, '--', ...box.client(['--no-connect', '--exit', '7'])]);
		assert.equal(result.code, 125, show(result));
		assert.equal(existsSync(box.clientReport), false, 'the client ran');
		assert.ok(findEvent(box.serverReport, 'listening'), 'the server never listened');
		assert.match(result.stderr, /error: answered 404 at \/sse: not the MCP endpoint/, show(result));
		assert.match(result.stderr, new RegExp(`fix: use ${re(box.url)} `), show(result));
		assert.match(result.stderr, /--strict turns this warning into a failure/, show(result));
		await assertServerGone(box);
	});
});

describe('5. https vs http', () => {
	it('https URL, plain-http server: exit 124, the mismatch and the http:// URL are named', async t => {
		const box = await sandbox(t);
		const readyFile = box.path('ready.json');
		const server = shellJoin(['node', DIAG_HTTP, '--port', String(box.port), '--ready-file', readyFile]);
		const result = await launch(box, ['--timeout', '2s', '-s', server, '-u', `https://127.0.0.1:${box.port}/mcp`, '--', ...box.client()]);
		assert.equal(result.code, 124, show(result));
		assert.equal(existsSync(box.clientReport), false, 'the client ran');
		assert.match(result.stderr, new RegExp(`likely cause: wrong scheme \\(http vs https\\): 127\\.0\\.0\\.1:${box.port} speaks plain HTTP, but the URL says https`), show(result));
		assert.match(result.stderr, new RegExp(`fix: use http://127\\.0\\.0\\.1:${box.port}/mcp`), show(result));
		if (existsSync(readyFile)) await waitGone([(JSON.parse(readFileSync(readyFile, 'utf8')) as {pid: number}).pid], 5_000);
	});

	const openssl = spawnSync('openssl', ['version'], {stdio: 'ignore'}).status === 0;
	it('http URL, TLS server: exit 124, the mismatch and the https:// URL are named', {skip: openssl ? false : 'openssl is not installed: cannot make a self-signed certificate'}, async t => {
		const box = await sandbox(t);
		const key = box.path('key.pem');
		const cert = box.path('cert.pem');
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert], {stdio: 'ignore'});
		const readyFile = box.path('ready.json');
		const server = shellJoin(['node', DIAG_HTTP, '--port', String(box.port), '--tls', key, cert, '--ready-file', readyFile]);
		const result = await launch(box, ['--timeout', '2s', '-s', server, '-u', box.url, '--', ...box.client()]);
		assert.equal(result.code, 124, show(result));
		assert.equal(existsSync(box.clientReport), false, 'the client ran');
		assert.match(result.stderr, /likely cause: wrong scheme \(http vs https\): .*it probably expects https/, show(result));
		assert.match(result.stderr, new RegExp(`fix: use https://127\\.0\\.0\\.1:${box.port}/mcp`), show(result));
		if (existsSync(readyFile)) await waitGone([(JSON.parse(readFileSync(readyFile, 'utf8')) as {pid: number}).pid], 5_000);
	});
});

describe('6. crash causes', () => {
	for (const source of evidenceSources) describe(`EADDRINUSE [${source}]`, {skip: skipUnless(source)}, () => {
		const env = cliEnv(source);
		const owner = '[^)]*diag-http\\.js[^)]*';
		it('the server itself hits the occupied port (--url names another): exit 125, the port and the occupant\'s pid', async t => {
			const box = await sandbox(t);
			const occupant = await startDiagHttp(t);
			const probed = await freePort();
			// The pre-flight checks the URL's port (free); the server then tries the occupied one.
			const server = shellJoin(['node', SERVER_FIXTURE, '--port', String(occupant.port), '--report', box.serverReport]);
			const result = await launch(box, ['--timeout', '10s', '-s', server, '-u', `http://127.0.0.1:${probed}/mcp`, '--', ...box.client()], {env});
			assert.equal(result.code, 125, show(result));
			assert.equal(existsSync(box.clientReport), false, 'the client ran');
			assert.match(result.stderr, /server exited with code 1 before/, show(result));
			assert.match(result.stderr, new RegExp(`port ${occupant.port} is already in use by pid ${occupant.pid} \\(${owner}\\)`), show(result));
			assert.match(result.stderr, /EADDRINUSE/);
			assert.match(result.stderr, new RegExp(`fix: stop pid ${occupant.pid} \\(kill ${occupant.pid}\\)`), show(result));
			assert.ok(isAlive(occupant.pid), 'the occupant was touched');
		});

		it('a dual-stack bind (::) over an IPv4 occupant, the pre-flight rightly passing [::1]: exit 125, the occupant named', {skip: v6 ? false : 'IPv6 loopback (::1) is not available here'}, async t => {
			const box = await sandbox(t);
			const occupant = await startDiagHttp(t, ['--host', '127.0.0.1']);
			const server = shellJoin(['node', SERVER_FIXTURE, '--port', String(occupant.port), '--host', '::', '--report', box.serverReport]);
			const result = await launch(box, ['--timeout', '10s', '-s', server, '-u', `http://[::1]:${occupant.port}/mcp`, '--', ...box.client()], {env});
			assert.equal(result.code, 125, show(result));
			assert.equal(existsSync(box.clientReport), false, 'the client ran');
			assert.ok(findEvent(box.serverReport, 'start'), 'the pre-flight stopped it (this spec is about the crash)');
			assert.match(result.stderr, new RegExp(`port ${occupant.port} is already in use by pid ${occupant.pid} \\(${owner}\\)`), show(result));
			assert.match(result.stderr, /EADDRINUSE/);
			assert.ok(isAlive(occupant.pid), 'the occupant was touched');
		});
	});

	it('Cannot find module (a build output): exit 125, the fix says build', async t => {
		const box = await sandbox(t);
		// A build output (dist/ is not there yet); a mistyped file elsewhere is "there is no file" (e2e-diagnose-edges).
		const result = await launch(box, ['--timeout', '10s', '-s', 'node ./dist/server.js', '-u', box.url, '--', ...box.client()], {cwd: box.dir});
		assert.equal(result.code, 125, show(result));
		assert.equal(existsSync(box.clientReport), false, 'the client ran');
		assert.match(result.stderr, /cannot find module \S*dist\/server\.js/, show(result));
		assert.match(result.stderr, /fix: .*(?:build|install)/, show(result));
		assert.match(result.stderr, /fix: the build output is missing: run the build step first/, show(result));
		assert.match(result.stderr, /Error: Cannot find module '[^']*dist\/server\.js'/, 'the server\'s own lines are shown');
	});

	it('Cannot find module (a dependency): exit 125, the fix says install', async t => {
		const box = await sandbox(t);
		const result = await launch(box, ['--timeout', '10s', '-s', `node -e ${sq('require("ld-no-such-package")')}`, '-u', box.url, '--', ...box.client()], {cwd: box.dir});
		assert.equal(result.code, 125, show(result));
		assert.equal(existsSync(box.clientReport), false, 'the client ran');
		assert.match(result.stderr, /cannot find module ld-no-such-package/, show(result));
		assert.match(result.stderr, /fix: a dependency is not installed: run npm install/, show(result));
	});

	it('a missing environment variable: exit 125, the variable named; with it set, the same server boots', async t => {
		const box = await sandbox(t);
		const env = {...process.env};
		delete env.DATABASE_URL;
		const server = shellJoin(['node', ENV_SERVER, '--port', String(box.port)]);
		const result = await launch(box, ['--timeout', '10s', '-s', server, '-u', box.url, '--', ...box.client(['--no-connect'])], {env});
		assert.equal(result.code, 125, show(result));
		assert.equal(existsSync(box.clientReport), false, 'the client ran');
		assert.match(result.stderr, /environment variable DATABASE_URL is not set/, show(result));
		assert.match(result.stderr, /fix: set DATABASE_URL/, show(result));
		assert.match(result.stderr, /Error: Missing required environment variable DATABASE_URL/, 'the server\'s own line is shown');

		const fixed = await launch(box, ['--timeout', '10s', '-s', server, '-u', box.url, '--', ...box.client(['--no-connect', '--exit', '5'])], {env: {...env, DATABASE_URL: 'postgres://localhost/x'}});
		assert.equal(fixed.code, 5, show(fixed));
		assert.ok(readClientReport(box.clientReport), 'the client did not run');
		await waitFor(() => portIsFree(box.port), {timeoutMs: 5_000, what: 'the server to be torn down (its port free)'});
	});
});
