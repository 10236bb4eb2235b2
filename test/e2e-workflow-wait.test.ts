// End-to-end: `mcp-launch wait`, the gate alone (shell scripts, Compose healthchecks, Kubernetes
// exec probes), against a separately started real SDK server. Also runs the healthcheck and probe
// commands written in examples/docker-compose.yml and examples/k8s-readiness.yaml (Docker and
// Kubernetes are not available here) and examples/wait-then-client.sh.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import path from 'node:path';
import {SERVER_FIXTURE, runCli, show, startCli} from './helpers/cli.js';
import {freePort, portIsFree} from './helpers/net.js';
import {findEvent} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {waitFor} from './helpers/wait.js';
import {EXAMPLES, binDir} from './helpers/wf-tools.js';

const T = {timeout: 30_000};

/** Starts the fixture server directly (not through the launcher), tracked by the sandbox. */
function startServer(box: Sandbox, flags: readonly string[], port = box.port, report = box.serverReport) {
	return box.start(['--port', String(port), '--report', report, ...flags], {command: [process.execPath, SERVER_FIXTURE], timeoutMs: 28_000});
}

test('wait: exit 0 once a separately started server answers, not before it listened', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const server = startServer(box, ['--boot-delay', '1000']);
	const result = await runCli(['wait', '--timeout', '15s', box.url]);
	assert.equal(result.code, 0, show(result));
	const listening = findEvent(box.serverReport, 'listening');
	assert.ok(listening?.t, 'the server reported listening');
	assert.ok(result.startedAt < listening.t, `wait started (${result.startedAt}) before the server listened (${listening.t}): it really waited`);
	assert.ok(result.endedAt > listening.t, `wait exited (${result.endedAt}) after the server listened (${listening.t})`);
	assert.equal(result.stdout, '', 'wait writes nothing on stdout');
	assert.equal(server.done(), false, 'wait leaves the server alone');
});

test('wait: several URLs, exit 0 only once the slowest answers', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const slowPort = await freePort();
	const slowReport = box.path('slow.jsonl');
	startServer(box, ['--boot-delay', '100']);
	startServer(box, ['--boot-delay', '1200'], slowPort, slowReport);
	const result = await runCli(['wait', '--timeout', '15s', box.url, `http://127.0.0.1:${slowPort}/mcp`]);
	assert.equal(result.code, 0, show(result));
	const slow = findEvent(slowReport, 'listening');
	assert.ok(slow?.t, 'the slow server reported listening');
	assert.ok(result.endedAt > slow.t, 'wait exited after the slowest server listened');
});

test('wait: nothing listens, --timeout 1s: exit 124 after about a second, naming the URL', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await runCli(['wait', '--timeout', '1s', box.url]);
	assert.equal(result.code, 124, show(result));
	assert.ok(result.durationMs >= 900, `waited the budget: ${Math.round(result.durationMs)} ms`);
	assert.ok(result.durationMs < 3_000, `exited soon after the budget: ${Math.round(result.durationMs)} ms`);
	assert.ok(result.stderr.includes(box.url), show(result));
});

test('wait: usage errors exit 2 at once, with a message', T, async () => {
	const cases = [
		['wait'],
		['wait', 'not a url'],
		['wait', 'ftp://127.0.0.1:1/mcp'],
		['wait', '--timeout', 'banana', 'http://127.0.0.1:1/mcp'],
		['wait', '--probe', 'smtp', 'http://127.0.0.1:1/mcp'],
		['wait', '--header', 'no-colon', 'http://127.0.0.1:1/mcp'],
	];
	for (const args of cases) {
		const result = await runCli(args);
		assert.equal(result.code, 2, `${args.join(' ')}\n${show(result)}`);
		assert.notEqual(result.stderr.trim(), '', `${args.join(' ')}: a message on stderr`);
		assert.ok(result.durationMs < 5_000, `${args.join(' ')}: no waiting (${Math.round(result.durationMs)} ms)`);
	}
});

test('wait --probe mcp: the handshake, with the server name and version in the log', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	startServer(box, ['--boot-delay', '300']);
	const result = await runCli(['wait', '--probe', 'mcp', '--timeout', '15s', box.url]);
	assert.equal(result.code, 0, show(result));
	assert.match(result.stderr, /fixture-server/);
	assert.match(result.stderr, /1\.2\.3/);
});

test('wait --probe mcp: a plain HTTP endpoint that is not MCP never counts as ready (124); --probe http accepts it', T, async (t) => {
	// An in-process HTTP server on an OS-chosen port that answers 404 to everything.
	const http = createServer((_request, response) => response.writeHead(404).end('not found'));
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	t.after(() => new Promise<void>((resolve) => http.close(() => resolve())));
	const {port} = http.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}/mcp`;
	const [mcp, plain] = await Promise.all([
		runCli(['wait', '--probe', 'mcp', '--timeout', '1s', url]),
		runCli(['wait', '--probe', 'http', '--timeout', '5s', url]),
	]);
	assert.equal(mcp.code, 124, show(mcp));
	assert.equal(plain.code, 0, show(plain));
});

/** Starts the fixture server and waits (bounded) for its listening report: a live server. */
async function startListening(box: Sandbox): Promise<void> {
	const server = startServer(box, []);
	await waitFor(() => findEvent(box.serverReport, 'listening') ?? (server.done() ? Promise.reject(new Error(`server exited: ${server.stderr()}`)) : undefined), {
		timeoutMs: 15_000,
		what: 'the fixture server to listen',
	});
}

/** The exec form of a healthcheck / probe command: `key: ["npx", "mcp-launch", ...]` on one line. */
function execArrays(file: string, key: string): string[][] {
	const text = readFileSync(path.join(EXAMPLES, file), 'utf8');
	const found = [...text.matchAll(new RegExp(`^\\s*${key}:\\s*(\\[.*\\])\\s*$`, 'gm'))].map((m) => JSON.parse(m[1]!) as string[]);
	assert.ok(found.length > 0, `${file} has a ${key}: [...] line`);
	return found;
}

/** Runs `npx mcp-launch wait ...` from an example against another URL, through the built CLI. */
function runProbe(argv: readonly string[], url: string) {
	assert.deepEqual(argv.slice(0, 3), ['npx', 'mcp-launch', 'wait'], `exec form: ${JSON.stringify(argv)}`);
	const args = argv.slice(2);
	assert.equal(args.at(-1), 'http://127.0.0.1:3000/mcp');
	return runCli([...args.slice(0, -1), url]);
}

test('examples/docker-compose.yml: the healthcheck command passes on a live server and fails (124) within its budget otherwise', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const compose = readFileSync(path.join(EXAMPLES, 'docker-compose.yml'), 'utf8');
	assert.match(compose, /depends_on:\s*\n\s+mcp-server:\s*\n\s+condition: service_healthy/, 'the client waits for service_healthy');
	const [healthcheck] = execArrays('docker-compose.yml', 'test');
	assert.deepEqual(healthcheck, ['CMD', 'npx', 'mcp-launch', 'wait', '--timeout', '2s', 'http://127.0.0.1:3000/mcp']);
	const argv = healthcheck!.slice(1);
	const down = await runProbe(argv, box.url);
	assert.equal(down.code, 124, show(down));
	assert.ok(down.durationMs < 5_000, `within the 5 s healthcheck timeout: ${Math.round(down.durationMs)} ms`);
	await startListening(box);
	const up = await runProbe(argv, box.url);
	assert.equal(up.code, 0, show(up));
});

test('examples/k8s-readiness.yaml: the exec probe commands pass on a live server and fail (124) otherwise', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const probes = execArrays('k8s-readiness.yaml', 'command').filter((argv) => argv.includes('wait'));
	assert.equal(probes.length, 2, 'a startup probe and a readiness probe');
	const down = await runProbe(probes[1]!, box.url);
	assert.equal(down.code, 124, show(down));
	await startListening(box);
	for (const argv of probes) {
		const up = await runProbe(argv, box.url);
		assert.equal(up.code, 0, show(up));
	}
});

test('examples/wait-then-client.sh: server in the background, wait, then the example client', T, async (t) => {
	const box = await Sandbox.create();
	const bin = binDir();
	t.after(async () => {
		await box.cleanup();
		bin.remove();
	});
	const run = startCli([path.join(EXAMPLES, 'wait-then-client.sh')], {command: ['/bin/sh'], env: bin.env({PORT: String(box.port), BOOT_DELAY_MS: '500'})});
	const result = await run.exited;
	assert.equal(result.code, 0, show(result));
	assert.match(result.stdout, new RegExp(`connected to ${box.url.replace(/\./g, '\\.')}; tools: add, now`));
	assert.match(result.stdout, /add\(2, 3\) = 5/);
	// The script's EXIT trap stops its server: the port is released.
	await waitFor(() => portIsFree(box.port), {timeoutMs: 3_000, what: `port ${box.port} to be released by the script's server`});
});

test('in a log (stderr not a terminal), a long wait prints one line every 10 s, for wait and for a launch; -q prints none', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const url = `http://127.0.0.1:${await freePort()}/mcp`; // Nothing will ever listen there.
	const [wait, quiet, launch] = await Promise.all([
		runCli(['wait', '--timeout', '11s', url]),
		runCli(['wait', '-q', '--timeout', '11s', url]),
		box.start(['-s', box.server(['--never-listen']), '-u', box.url, '--timeout', '11s', '--', ...box.client()]).exited,
	]);
	for (const [result, watched] of [[wait, url], [launch, box.url]] as const) {
		assert.equal(result.code, 124, show(result));
		const progress = result.stderr.split('\n').filter((line) => line.includes('waiting for'));
		assert.equal(progress.length, 1, `one line in 11 s\n${show(result)}`);
		assert.match(progress[0]!, new RegExp(`^mcp-launch: waiting for ${watched.replaceAll('.', '\\.')} \\(1\\d(\\.\\d)? s\\)$`));
	}
	assert.equal(quiet.code, 124, show(quiet));
	assert.doesNotMatch(quiet.stderr, /waiting for/, show(quiet));
});
