// `doctor` against real servers: healthy MCP SDK server, one family only, 404 path,
// https vs http both ways, nothing listening, a wrapper on another port, and localhost → ::1
// first through a bind-mounted /etc/hosts in a private mount namespace.
import assert from 'node:assert/strict';
import {execFileSync, spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {doctor, formatDoctor} from '../src/doctor.js';
import {freePort} from './helpers/net.js';
import {killHard, waitGone} from './helpers/proc.js';
import {runCli, show} from './helpers/cli.js';
import {cliEnv, evidenceSources, skipUnless} from './helpers/sources.js';
import {waitFor} from './helpers/wait.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'diag-http.js');
const DOCTOR_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'diag-doctor.js');
const linux = process.platform === 'linux';
const work = mkdtempSync(path.join(tmpdir(), 'mcp-launch-doctor-'));
const children = new Set<ChildProcess>();

type Started = {pid: number; port: number; exited: Promise<unknown>};

async function startFixture(args: string[]): Promise<Started> {
	const child = spawn(process.execPath, [FIXTURE, ...args], {stdio: ['ignore', 'pipe', 'pipe']});
	children.add(child);
	let stdout = '';
	let stderr = '';
	let done = false;
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const exited = new Promise(resolve => child.once('exit', () => {
		done = true;
		children.delete(child);
		resolve(undefined);
	}));
	const ready = await waitFor(() => {
		const match = /READY (\{.*\})/.exec(stdout);
		if (match) return JSON.parse(match[1]!) as {port: number};
		if (done) throw new Error(`fixture exited: ${stderr}`);
		return undefined;
	}, {timeoutMs: 10_000, what: 'READY from diag-http.js'});
	return {pid: child.pid!, port: ready.port, exited};
}

async function withServer<T>(args: string[], body: (server: Started) => Promise<T>): Promise<T> {
	const server = await startFixture(args);
	try {
		return await body(server);
	} finally {
		killHard(server.pid);
		await server.exited;
	}
}

function ipv6LoopbackAvailable(): Promise<boolean> {
	return new Promise(resolve => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(0, '::1', () => server.close(() => resolve(true)));
	});
}

function hasOpenssl(): boolean {
	return spawnSync('openssl', ['version'], {stdio: 'ignore'}).status === 0;
}

after(() => {
	for (const child of children) killHard(child.pid);
	rmSync(work, {recursive: true, force: true});
});

const v6 = await ipv6LoopbackAvailable();
const noV6 = v6 ? false : 'IPv6 loopback (::1) is not available here';

describe('doctor on real servers', () => {
	for (const source of evidenceSources) it(`[${source}] healthy MCP SDK server: every step ✓, verdict healthy, exit 0`, {skip: skipUnless(source)}, async () => {
		await withServer(['--mcp'], async server => {
			const report = await doctor(`http://127.0.0.1:${server.port}/mcp`, {evidenceSource: source});
			const text = formatDoctor(report);
			assert.equal(report.exitCode, 0, text);
			assert.equal(report.verdict.cause, 'ok');
			assert.ok(report.checks.every(check => check.ok), text);
			assert.match(text, /✓ endpoint\s+POST \/mcp → HTTP 200 \(an MCP answer\)/);
			const command = /.*diag-http\.js --mcp/.source;
			assert.match(text, new RegExp(`✓ listener\\s+127\\.0\\.0\\.1:${server.port} ← pid ${server.pid} \\(${command}\\)`));
			assert.match(text, new RegExp(`verdict: healthy: http://127\\.0\\.0\\.1:${server.port}/mcp answers HTTP 200: ready for MCP clients`));
		});
	});

	it('nothing listens: not-listening, exit 1', async () => {
		const report = await doctor(`http://127.0.0.1:${await freePort()}/mcp`);
		assert.equal(report.verdict.cause, 'not-listening', formatDoctor(report));
		assert.equal(report.exitCode, 1);
	});

	it('404 at /sse: wrong path, pointing at /mcp', async () => {
		await withServer(['--mcp'], async server => {
			const report = await doctor(`http://127.0.0.1:${server.port}/sse`, {serverOutput: [`listening on http://127.0.0.1:${server.port}/mcp`]});
			const text = formatDoctor(report);
			assert.equal(report.verdict.cause, 'wrong-path', text);
			assert.match(text, /✗ path\s+answered 404 at \/sse: not the MCP endpoint; the server announced \/mcp/);
			assert.match(text, /deprecated HTTP\+SSE transport/);
			assert.match(text, new RegExp(`fix: use http://127\\.0\\.0\\.1:${server.port}/mcp`));
		});
	});

	it('a redirect /mcp → /mcp/: the Location URL', async () => {
		await withServer(['--status', '307', '--location', '/mcp/'], async server => {
			const report = await doctor(`http://127.0.0.1:${server.port}/mcp`);
			assert.equal(report.verdict.cause, 'redirect');
			assert.equal(report.verdict.suggestedUrl, `http://127.0.0.1:${server.port}/mcp/`);
		});
	});

	for (const source of evidenceSources) it(`[${source}] server on ::1 only, URL says 127.0.0.1: address family`, {skip: noV6 || skipUnless(source)}, async () => {
		await withServer(['--host', '::1'], async server => {
			const report = await doctor(`http://127.0.0.1:${server.port}/mcp`, {evidenceSource: source});
			const text = formatDoctor(report);
			assert.equal(report.verdict.cause, 'address-family', text);
			assert.equal(report.verdict.suggestedUrl, `http://[::1]:${server.port}/mcp`);
		});
	});

	it('server on 127.0.0.1 only, localhost → ::1 first (injected resolver): both addresses and the fix', {skip: noV6}, async () => {
		await withServer(['--host', '127.0.0.1'], async server => {
			const report = await doctor(`http://localhost:${server.port}/mcp`, {resolve: async () => [{address: '::1', family: 6}, {address: '127.0.0.1', family: 4}]});
			const text = formatDoctor(report);
			assert.equal(report.verdict.cause, 'address-family', text);
			assert.match(text, new RegExp(`✗ addresses\\s+\\[::1\\]:${server.port} failed: connect ECONNREFUSED ::1:${server.port}; 127\\.0\\.0\\.1:${server.port} answered HTTP 400`));
			assert.match(text, new RegExp(`fix: use http://127\\.0\\.0\\.1:${server.port}/mcp in the client`));
		});
	});

	describe('https vs http', {skip: hasOpenssl() ? false : 'openssl is not installed: cannot make a self-signed certificate'}, () => {
		const key = path.join(work, 'key.pem');
		const cert = path.join(work, 'cert.pem');
		const makeCert = () => execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', key, '-out', cert], {stdio: 'ignore'});

		it('http against a TLS server: scheme, use https (confirmed)', async () => {
			makeCert();
			await withServer(['--tls', key, cert], async server => {
				const report = await doctor(`http://127.0.0.1:${server.port}/mcp`);
				const text = formatDoctor(report);
				assert.equal(report.verdict.cause, 'scheme', text);
				assert.equal(report.verdict.suggestedUrl, `https://127.0.0.1:${server.port}/mcp`);
				assert.match(text, /✗ scheme\s+.*expects https.*confirmed/);
			});
		});

		it('https against a plain-http server: scheme, use http', async () => {
			await withServer([], async server => {
				const report = await doctor(`https://127.0.0.1:${server.port}/mcp`);
				const text = formatDoctor(report);
				assert.equal(report.verdict.cause, 'scheme', text);
				assert.equal(report.verdict.suggestedUrl, `http://127.0.0.1:${server.port}/mcp`);
				assert.match(text, /plain HTTP, but the URL says https/);
			});
		});

		it('https against the TLS server (self-signed): healthy', async () => {
			await withServer(['--tls', key, cert], async server => {
				const report = await doctor(`https://127.0.0.1:${server.port}/mcp`);
				assert.equal(report.exitCode, 0, formatDoctor(report));
			});
		});
	});

	for (const source of evidenceSources) it(`[${source}] a running server (pgid) whose wrapper child listens on another port: wrong port`, {skip: skipUnless(source)}, async () => {
		const readyFile = path.join(work, `tree-ready-${source}.json`);
		const shell = spawn('/bin/sh', ['-c', `"${process.execPath}" "${FIXTURE}" --silent --ready-file "${readyFile}"; exit $?`], {detached: true, stdio: 'ignore'});
		children.add(shell);
		try {
			const ready = await waitFor(() => {
				try {
					return JSON.parse(readFileSync(readyFile, 'utf8')) as {port: number};
				} catch {
					return undefined;
				}
			}, {timeoutMs: 10_000, what: 'the ready file'});
			const probed = await freePort();
			const report = await doctor(`http://127.0.0.1:${probed}/mcp`, {pgid: shell.pid!, evidenceSource: source});
			const text = formatDoctor(report);
			assert.equal(report.verdict.cause, 'wrong-port', text);
			assert.match(text, new RegExp(`the server's processes listen on 127\\.0\\.0\\.1:${ready.port}`));
			assert.equal(report.verdict.suggestedUrl, `http://127.0.0.1:${ready.port}/mcp`);
		} finally {
			try {
				process.kill(-shell.pid!, 'SIGKILL');
			} catch {}
			await waitGone([shell.pid!], 5_000);
		}
	});
});

describe('localhost → ::1 first through /etc/hosts (unshare -m, root)', () => {
	const why = !linux ? 'Linux only'
		: (process.getuid?.() !== 0 ? 'needs root for unshare -m and mount --bind'
			: (!v6 ? 'IPv6 loopback (::1) is not available here'
				: (spawnSync('unshare', ['-m', 'true'], {stdio: 'ignore'}).status === 0 ? false : 'unshare -m does not work here (no CAP_SYS_ADMIN?)')));

	it('doctor with the real resolver names ::1 refused, 127.0.0.1 answering, and exits 1', {skip: why}, async () => {
		const hosts = path.join(work, 'hosts');
		writeFileSync(hosts, '::1 localhost\n127.0.0.1 localhost\n');
		await withServer(['--host', '127.0.0.1'], async server => {
			const script = `mount --bind "${hosts}" /etc/hosts && exec "${process.execPath}" --import tsx "${DOCTOR_FIXTURE}" http://localhost:${server.port}/mcp`;
			const result = spawnSync('unshare', ['-m', 'sh', '-c', script], {cwd: ROOT, encoding: 'utf8', timeout: 20_000});
			assert.equal(result.status, 1, result.stderr);
			const report = JSON.parse(result.stdout) as Awaited<ReturnType<typeof doctor>>;
			assert.equal(report.verdict.cause, 'address-family', result.stderr);
			assert.match(result.stderr, /✓ resolve\s+localhost → ::1, 127\.0\.0\.1/);
			assert.match(result.stderr, new RegExp(`\\[::1\\]:${server.port} failed: connect ECONNREFUSED ::1:${server.port}`));
			assert.match(result.stderr, new RegExp(`fix: use http://127\\.0\\.0\\.1:${server.port}/mcp in the client, or bind the server to both loopback addresses`));
		});
	});
});

// The CLI's `doctor --server` with each evidence source (the macOS one forced through the
// MCP_LAUNCH_PLATFORM knob): the tree's LISTEN sockets are read, and the tree is stopped after.
describe('mcp-launch doctor --server (the CLI)', () => {
	for (const source of evidenceSources) {
		it(`[${source}] a silent server in a wrapper on another port: wrong port from its tree's sockets; the tree is gone after`, {skip: skipUnless(source)}, async () => {
			const readyFile = path.join(work, `cli-ready-${source}.json`);
			const probed = await freePort();
			const server = `"${process.execPath}" "${FIXTURE}" --silent --ready-file "${readyFile}"; exit $?`;
			// --timeout bounds the wait for readiness, which never comes on the probed port.
			const result = await runCli(['doctor', `http://127.0.0.1:${probed}/mcp`, '--server', server, '--timeout', '5s'], {env: cliEnv(source)});
			assert.equal(result.code, 1, show(result));
			const ready = JSON.parse(readFileSync(readyFile, 'utf8')) as {port: number; pid: number};
			assert.match(result.stdout, new RegExp(`the server's processes listen on 127\\.0\\.0\\.1:${ready.port}`), show(result));
			assert.match(result.stdout, new RegExp(`http://127\\.0\\.0\\.1:${ready.port}/mcp`), show(result));
			await waitGone([ready.pid], 5_000);
		});

		it(`[${source}] a running server: the listener is named by its command line, and only the lsof path asks lsof`, {skip: skipUnless(source)}, async () => {
			await withServer(['--mcp'], async server => {
				// An lsof on PATH that notes each call, then runs the real one: proof the knob reached doctor.
				const bin = mkdtempSync(path.join(work, 'bin-'));
				const calls = path.join(bin, 'calls');
				const real = execFileSync('/bin/sh', ['-c', 'command -v lsof || true'], {encoding: 'utf8'}).trim();
				writeFileSync(path.join(bin, 'lsof'), `#!/bin/sh\necho "$*" >> '${calls}'\n${real ? `exec '${real}' "$@"` : 'exit 1'}\n`, {mode: 0o755});
				const env = cliEnv(source, {...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`});
				const result = await runCli(['doctor', `http://127.0.0.1:${server.port}/mcp`], {env});
				assert.equal(result.code, 0, show(result));
				// Both paths name the owner by its command line (lsof's own column says `MainThread` from Node 24).
				assert.match(result.stdout, new RegExp(`✓ listener\\s+127\\.0\\.0\\.1:${server.port} ← pid ${server.pid} \\([^)]*diag-http\\.js --mcp[^)]*\\)`), show(result));
				const called = existsSync(calls) ? readFileSync(calls, 'utf8') : '';
				if (source === 'lsof') assert.match(called, new RegExp(`-iTCP:${server.port}`), 'the lsof path asked lsof');
				else assert.equal(called, '', 'the /proc path never runs lsof');
			});
		});
	}
});
