// End-to-end workflows around the server side, with real processes (the SDK fixture server and
// SDK clients): --port auto and placeholders, several servers, {mcp-config}, --probe mcp,
// --server npm:<script>, --from <file>:<name>, --header redaction.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {FIXTURES, SERVER_FIXTURE, lines, shellJoin, show} from './helpers/cli.js';
import {portIsFree} from './helpers/net.js';
import {isAlive, waitGone} from './helpers/proc.js';
import {findEvent, readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {waitFor} from './helpers/wait.js';
import {groupMembers} from './helpers/wf-tools.js';

const T = {timeout: 40_000};
const MULTI_CLIENT = path.join(FIXTURES, 'wf-multi-client.js');
const CONFIG_CLIENT = path.join(FIXTURES, 'wf-config-client.js');
const AUTH_SERVER = path.join(FIXTURES, 'wf-auth-server.js');
const NPM_PROJECT = path.join(FIXTURES, 'npm-project');

function readJson<T>(file: string): T | undefined {
	if (!existsSync(file)) return undefined;
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch {
		return undefined; // being written
	}
}

/** The fixture server's command with `{port}` left for mcp-launch to fill (the test fixes no port). */
const serverAt = (report: string, flags: readonly string[] = []) => `${shellJoin(['node', SERVER_FIXTURE, '--report', report, ...flags])} --port {port}`;

const liveUrl = (report: string): string => {
	const listening = findEvent(report, 'listening');
	assert.ok(listening?.port, `the server reported listening (${report})`);
	return `http://127.0.0.1:${listening.port}/mcp`;
};

interface MultiReport {
	pid: number;
	env: {MCP_SERVER_URL: string | null; MCP_SERVER_URLS: string | null};
	argv: string[];
	results: {url: string; connectedAt: number | null; tools: string[]; serverVersion: {name: string; version: string} | null; error: string | null}[];
	exitCode: number | null;
}

interface ConfigReport {
	pid: number;
	argv: string[];
	path: string | null;
	dir: string | null;
	mode: number | null;
	dirMode: number | null;
	content: string | null;
	entries: {name: string; type: string | null; url: string | null; tools: string[]; error: string | null}[];
	error: string | null;
	signals: string[];
	exitCode: number | null;
}

test('--port auto: {port} in the server command, {url} {host} {port} in the client argv; the real SDK client lists the tools', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start([
		'--port', 'auto', '--server', serverAt(box.serverReport, ['--boot-delay', '500']), '--timeout', '20s',
		'--', ...box.client(['--url', '{url}', '--print', 'at {host}:{port}']),
	]).exited;
	assert.equal(result.code, 0, show(result));
	const url = liveUrl(box.serverReport);
	const port = Number(new URL(url).port);
	assert.notEqual(port, box.port, 'the port was picked by mcp-launch, not by the test');
	const report = readClientReport(box.clientReport);
	assert.ok(report, 'client report written');
	assert.equal(report.error, null, `client error: ${report.error}`);
	assert.deepEqual(report.tools, ['echo']);
	assert.equal(report.url, url, '{url} is the URL the server actually serves');
	assert.deepEqual(report.argv.slice(-4), ['--url', url, '--print', `at 127.0.0.1:${port}`]);
	assert.equal(report.env.MCP_SERVER_URL, url);
	const listening = findEvent(box.serverReport, 'listening');
	assert.ok(report.connectedAt !== null && listening?.t !== undefined && report.connectedAt > listening.t, 'connected after listen');
	assert.equal(result.stdout, `at 127.0.0.1:${port}\n`);
	await waitGone(box.serverTreePids(), 2_000);
	assert.ok(await portIsFree(port), `port ${port} released`);
});

test('two servers (boot 200 ms and 1200 ms), --port auto each, named: the client reaches both; both trees gone', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const reportA = box.path('a.jsonl');
	const reportB = box.path('b.jsonl');
	const clientReport = box.path('multi.json');
	const result = await box.start([
		'--port', 'auto', '--server', serverAt(reportA, ['--boot-delay', '200']), '--name', 'a',
		'--port', 'auto', '--server', serverAt(reportB, ['--boot-delay', '1200']), '--name', 'b',
		'--timeout', '20s',
		'--', 'node', MULTI_CLIENT, '--report', clientReport, '{url:a}', '{url:b}',
	]).exited;
	assert.equal(result.code, 0, show(result));
	const [urlA, urlB] = [liveUrl(reportA), liveUrl(reportB)];
	assert.notEqual(urlA, urlB, 'two different ports');
	const report = readJson<MultiReport>(clientReport);
	assert.ok(report, 'client report written');
	assert.deepEqual(report.results.map((r) => [r.url, r.error, r.tools]), [[urlA, null, ['echo']], [urlB, null, ['echo']]]);
	assert.equal(report.env.MCP_SERVER_URL, urlA, 'MCP_SERVER_URL is the first server');
	assert.equal(report.env.MCP_SERVER_URLS, `${urlA} ${urlB}`, 'MCP_SERVER_URLS holds both, in order');
	const slow = findEvent(reportB, 'listening');
	assert.ok(slow?.t, 'the slow server listened');
	for (const r of report.results) assert.ok(r.connectedAt !== null && r.connectedAt > slow.t, 'the client started only once both answered');
	const pids = [...readJsonLines(reportA), ...readJsonLines(reportB)].filter((e) => e.event === 'start').map((e) => e.pid);
	assert.equal(pids.length, 2, 'both servers started once');
	await waitGone(pids, 2_000);
	for (const url of [urlA, urlB]) assert.ok(await portIsFree(Number(new URL(url).port)), `${url} released`);
});

test('two servers through MCP_SERVER_URLS alone (no placeholders in the client argv)', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const reportA = box.path('a.jsonl');
	const reportB = box.path('b.jsonl');
	const clientReport = box.path('multi.json');
	const result = await box.start([
		'-p', 'auto', '-s', serverAt(reportA, ['--boot-delay', '200']),
		'-p', 'auto', '-s', serverAt(reportB, ['--boot-delay', '1200']),
		'--timeout', '20s', '--', 'node', MULTI_CLIENT, '--report', clientReport,
	]).exited;
	assert.equal(result.code, 0, show(result));
	const report = readJson<MultiReport>(clientReport);
	assert.ok(report);
	assert.deepEqual(report.results.map((r) => [r.url, r.error, r.tools]), [[liveUrl(reportA), null, ['echo']], [liveUrl(reportB), null, ['echo']]]);
	await waitGone([...readJsonLines(reportA), ...readJsonLines(reportB)].filter((e) => e.event === 'start').map((e) => e.pid), 2_000);
});

test('{mcp-config}: a 0600 file with exactly one type:http entry holding the live URL; file and directory gone after exit', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const clientReport = box.path('config-client.json');
	const result = await box.start([
		'--port', 'auto', '--name', 'fixture', '--server', serverAt(box.serverReport, ['--boot-delay', '300']), '--timeout', '20s',
		'--', 'node', CONFIG_CLIENT, '--report', clientReport, '--mcp-config', '{mcp-config}',
	]).exited;
	assert.equal(result.code, 0, show(result));
	const report = readJson<ConfigReport>(clientReport);
	assert.ok(report?.path, 'the client got a path');
	assert.equal(report.error, null, `client error: ${report.error}`);
	assert.ok(path.isAbsolute(report.path), report.path);
	assert.doesNotMatch(report.argv.join(' '), /\{mcp-config\}/, 'the placeholder was replaced');
	assert.equal(report.mode, 0o600, `file mode ${report.mode?.toString(8)}`);
	assert.equal(report.dirMode, 0o700, `directory mode ${report.dirMode?.toString(8)} (private)`);
	const url = liveUrl(box.serverReport);
	assert.deepEqual(JSON.parse(report.content!), {mcpServers: {fixture: {type: 'http', url}}});
	assert.deepEqual(report.entries.map((e) => [e.name, e.error, e.tools]), [['fixture', null, ['echo']]], 'the URL in the file is served');
	assert.equal(existsSync(report.path), false, 'the file is gone');
	assert.equal(existsSync(report.dir!), false, 'its directory is gone');
});

test('{mcp-config}: mcp-launch SIGKILLed while the client runs: the guardian removes the directory and ends client and server', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const clientReport = box.path('config-client.json');
	const run = box.start([
		'--port', 'auto', '--server', serverAt(box.serverReport), '--timeout', '20s',
		'--', 'node', CONFIG_CLIENT, '--report', clientReport, '--stay', '{mcp-config}',
	]);
	const report = await waitFor(() => {
		const r = readJson<ConfigReport>(clientReport);
		return r?.content ? r : undefined;
	}, {timeoutMs: 20_000, what: 'the client to read its config'});
	box.extraPids.push(report.pid);
	assert.equal(report.error, null, `client error: ${report.error}`);
	assert.ok(report.dir && existsSync(report.dir), 'the directory exists while the client runs');
	const serverPid = box.serverPid();
	assert.ok(serverPid !== undefined && isAlive(serverPid), 'the server runs');
	assert.ok(isAlive(report.pid), 'the client runs');
	const killedAt = performance.now();
	run.child.kill('SIGKILL');
	await waitFor(() => !existsSync(report.dir!), {timeoutMs: 3_500, what: `${report.dir} to be removed by the guardian`});
	const removedAfter = performance.now() - killedAt;
	// About 2 s: client and server exit at the guardian's SIGTERM at once, but the guardian keeps
	// polling until their zombies are reaped by PID 1 (1.3 to 2.3 s on these machines) before it
	// removes the directory (where orphans are never reaped, it waits the whole --kill-timeout).
	assert.ok(removedAfter < 3_000, `removed ${Math.round(removedAfter)} ms after the SIGKILL`);
	await waitGone([report.pid, serverPid], 2_000);
	const result = await run.exited;
	assert.equal(result.signal, 'SIGKILL');
	assert.deepEqual(readJson<ConfigReport>(clientReport)?.signals, ['SIGTERM'], 'the guardian ended the client with SIGTERM');
});

test('--probe mcp: the ready line names the fixture server, its version and the protocol; the client still connects', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--probe', 'mcp', '--port', 'auto', '--server', serverAt(box.serverReport, ['--boot-delay', '300']), '--timeout', '20s', '--', ...box.client()]).exited;
	assert.equal(result.code, 0, show(result));
	const url = liveUrl(box.serverReport);
	assert.match(result.stderr, new RegExp(`ready ${url.replace(/[.]/g, '\\.')} \\(MCP fixture-server 1\\.2\\.3, protocol \\d{4}-\\d{2}-\\d{2}, after \\d+(\\.\\d+)? m?s\\)`), show(result));
	const report = readClientReport(box.clientReport);
	assert.equal(report?.error, null, `client error: ${report?.error}`);
	assert.deepEqual(report?.tools, ['echo']);
});

test('--server npm:dev from a package directory, --port auto: the dev script gets $PORT; the npm, sh and node layers are gone afterwards', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const release = box.path('release');
	const run = box.start(['--port', 'auto', '--server', 'npm:dev', '--timeout', '30s', '--', ...box.client(['--until-file', release, '--print', 'client done'])], {
		cwd: NPM_PROJECT,
		env: {...process.env, WF_SERVER_REPORT: box.serverReport},
		timeoutMs: 38_000,
	});
	const report = await waitFor(() => {
		const r = readClientReport(box.clientReport);
		return r && (r.connectedAt !== null || r.error !== null) ? r : undefined;
	}, {timeoutMs: 30_000, what: 'the client to connect'});
	assert.equal(report.error, null, `client error: ${report.error}`);
	assert.deepEqual(report.tools, ['echo']);
	const started = findEvent(box.serverReport, 'start');
	assert.ok(started?.pgid, 'the server reported its process group');
	assert.equal(report.url, liveUrl(box.serverReport), 'the server listens on the port given as $PORT');
	// The live tree while the client runs: mcp-launch's sh, npm (node), npm's script shell, the server.
	const members = groupMembers(started.pgid);
	const npm = members.filter((m) => /\bnpm(-cli\.js)?\b/.test(m.cmdline) && !m.cmdline.includes('server.js'));
	assert.ok(npm.length >= 1, `an npm process in the server's group: ${JSON.stringify(members)}`);
	assert.ok(members.some((m) => m.pid === started.pid), 'the node server is in the group');
	assert.ok(members.length >= 3, `npm, a shell and node: ${JSON.stringify(members)}`);
	writeFileSync(release, '');
	const result = await run.exited;
	assert.equal(result.code, 0, show(result));
	assert.equal(result.stdout, 'client done\n', 'npm\'s own banner never reaches stdout');
	await waitGone(members.map((m) => m.pid), 2_000);
	assert.deepEqual(groupMembers(started.pgid), [], 'nothing left in the server\'s process group');
});

for (const [label, file, content] of [
	['.mcp.json (Claude Code)', '.mcp.json', (url: string) => ({mcpServers: {fixture: {type: 'http', url}, other: {command: 'node', args: ['x.js']}}})],
	['.cursor/mcp.json', '.cursor/mcp.json', (url: string) => ({mcpServers: {fixture: {url}}})],
	['.vscode/mcp.json', '.vscode/mcp.json', (url: string) => ({servers: {fixture: {type: 'http', url}}})],
] as const) {
	test(`--from ${file}:fixture: gates on the URL of the ${label} entry`, T, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		mkdirSync(path.dirname(box.path(file)), {recursive: true});
		writeFileSync(box.path(file), JSON.stringify(content(box.url), null, 2));
		const result = await box.start(['--from', `${file}:fixture`, '--server', box.server(['--boot-delay', '800']), '--timeout', '20s', '--', ...box.client()], {cwd: box.dir}).exited;
		assert.equal(result.code, 0, show(result));
		const report = readClientReport(box.clientReport);
		assert.equal(report?.error, null, `client error: ${report?.error}`);
		assert.equal(report?.env.MCP_SERVER_URL, box.url);
		const listening = findEvent(box.serverReport, 'listening');
		assert.ok(report?.connectedAt && listening?.t && report.connectedAt > listening.t, 'the client connected after the server listened');
	});
}

test('--from with a missing name: exit 2, the message names the file, the name and the names it has; nothing started', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	writeFileSync(box.path('.mcp.json'), JSON.stringify({mcpServers: {fixture: {type: 'http', url: box.url}, api: {type: 'http', url: 'http://127.0.0.1:1/mcp'}}}));
	const result = await box.start(['--from', '.mcp.json:nope', '--server', box.server(), '--', ...box.client()], {cwd: box.dir}).exited;
	assert.equal(result.code, 2, show(result));
	assert.match(result.stderr, /\.mcp\.json/);
	assert.match(result.stderr, /"nope"/);
	assert.match(result.stderr, /fixture, api/);
	assert.equal(existsSync(box.serverReport), false, 'the server was never started');
	assert.equal(existsSync(box.clientReport), false, 'the client was never started');
	const missing = await box.start(['--from', 'none.json:fixture', '--server', box.server(), '--', ...box.client()], {cwd: box.dir}).exited;
	assert.equal(missing.code, 2, show(missing));
	assert.match(missing.stderr, /none\.json/);
});

test('--header "Authorization: Bearer s3cret" with --log-level debug --log-format json: sent with every probe, written into {mcp-config}, never on stderr', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const clientReport = box.path('config-client.json');
	// The token reaches the server through its environment: a secret in the server command itself is
	// the user's choice to log (the debug log shows the command).
	const server = `${shellJoin(['node', AUTH_SERVER, '--report', box.serverReport])} --port {port}`;
	const result = await box.start([
		'--header', 'Authorization: Bearer s3cret', '--probe', 'mcp', '--log-level', 'debug', '--log-format', 'json', '--verbose',
		'--port', 'auto', '--name', 'auth', '--server', server, '--timeout', '20s',
		'--', 'node', CONFIG_CLIENT, '--report', clientReport, '--mcp-config', '{mcp-config}',
	], {env: {...process.env, WF_AUTH_TOKEN: 's3cret'}}).exited;
	assert.equal(result.code, 0, show(result));
	assert.doesNotMatch(result.stderr, /s3cret/, 'the secret never appears on stderr');
	const stderrLines = lines(result.stderr).filter((line) => !line.startsWith('[server]'));
	for (const line of stderrLines) assert.equal(typeof JSON.parse(line), 'object', line);
	assert.ok(stderrLines.some((line) => line.includes('auth-fixture-server')), 'the MCP handshake went through the auth');
	const requests = readJsonLines(box.serverReport).filter((e) => e.event === 'request') as unknown as {authorization: string | null}[];
	assert.ok(requests.length >= 2, 'the probe and the client made requests');
	assert.ok(requests.every((r) => r.authorization === 'Bearer s3cret'), `every request carried the header: ${JSON.stringify(requests)}`);
	const report = readJson<ConfigReport>(clientReport);
	assert.deepEqual(report?.entries.map((e) => [e.name, e.error, e.tools]), [['auth', null, ['whoami']]]);
	const written = JSON.parse(report!.content!).mcpServers.auth.headers as Record<string, string>;
	assert.deepEqual(Object.entries(written).map(([name, value]) => [name.toLowerCase(), value]), [['authorization', 'Bearer s3cret']]);
	assert.equal(report?.mode, 0o600);
});

test('--header secret on the failure paths (timeout, wait): still never on stderr', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const common = ['--header', 'Authorization: Bearer s3cret', '--header', 'X-Api-Key: k3y-s3cret', '--log-level', 'debug', '--timeout', '700ms'];
	const [launch, wait, waitJson] = await Promise.all([
		box.start([...common, '--server', box.server(['--never-listen']), '--url', box.url, '--', ...box.client()]).exited,
		box.start(['wait', ...common, box.url]).exited,
		box.start(['wait', ...common, '--log-format', 'json', '--probe', 'mcp', box.url]).exited,
	]);
	for (const result of [launch, wait, waitJson]) {
		assert.equal(result.code, 124, show(result));
		assert.doesNotMatch(result.stderr, /s3cret/, show(result));
	}
});
