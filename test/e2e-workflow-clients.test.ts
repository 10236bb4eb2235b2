// End-to-end: real third-party clients through the gate (the MCP Inspector CLI, the mcp-remote
// stdio bridge driven by a stdio MCP client, as an editor would), and every runnable file in
// examples/ (npm scripts, the shell alias, Claude Code with {mcp-config}, Cursor and VS Code configs).
//
// mcp-remote is optional: its specs skip, saying what to install, when node_modules/.bin (or PATH)
// does not have it. The Inspector 2.x CLI comes from the CI cache (.ci/fetch inspector) and needs
// Node >= 22.19: .ci/run runs its specs on Node 24; elsewhere they skip, saying so. `claude` is replaced by a stand-in that reads
// --mcp-config like Claude Code does (test/fixtures/wf-config-client.js); `npx` in the editor
// configs by a stand-in that runs the built CLI and the installed mcp-remote.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {CLI, FIXTURES, ROOT, SERVER_FIXTURE, shellJoin, show, sq} from './helpers/cli.js';
import {portIsFree} from './helpers/net.js';
import {waitGone} from './helpers/proc.js';
import {findEvent, readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {ciTool, ciVersion, nodeAtLeast, skipUnlessFetched} from './helpers/ci-tools.js';
import {EXAMPLES, binDir, fakeNpx, findTool, skipUnless} from './helpers/wf-tools.js';

const T = {timeout: 60_000};
const STDIO_CLIENT = path.join(FIXTURES, 'wf-stdio-client.js');
const CONFIG_CLIENT = path.join(FIXTURES, 'wf-config-client.js');
const NPM_PROJECT = path.join(FIXTURES, 'npm-project');
const INSPECTOR = ciTool('inspector');
const inspectorSkip = skipUnlessFetched('inspector') || (nodeAtLeast('22.19.0') ? false : `the Inspector ${ciVersion('inspector')} needs Node >= 22.19 (this is ${process.versions.node}): .ci/run runs it on Node 24`);
const MCP_REMOTE = {tool: 'mcp-remote', pkg: 'mcp-remote'};

/** A project directory for the Inspector to run in. */
function inspectorCwd(box: Sandbox): string {
	const dir = box.path('project/app');
	mkdirSync(dir, {recursive: true});
	return dir;
}

const serverAt = (report: string, flags: readonly string[] = []) => `${shellJoin(['node', SERVER_FIXTURE, '--report', report, ...flags])} --port {port}`;

function readJson<T>(file: string): T | undefined {
	if (!existsSync(file)) return undefined;
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch {
		return undefined;
	}
}

interface StdioReport {
	pid: number;
	tools: string[];
	serverVersion: {name: string; version: string} | null;
	called: string | null;
	result: string | null;
	pollution: string[];
	stderr: string;
	error: string | null;
	stdinClosedAt: number | null;
	exit: {code: number | null; signal: string | null} | null;
	exitAt: number | null;
}

interface ConfigReport {
	argv: string[];
	path: string | null;
	mode: number | null;
	content: string | null;
	entries: {name: string; type: string | null; url: string | null; tools: string[]; serverVersion: {name: string} | null; error: string | null}[];
	error: string | null;
}

/** Checks a stdio session through mcp-launch + mcp-remote: it worked, stdout stayed JSON-RPC, mcp-launch exited 0 by itself once stdin closed. */
function assertStdioSession(report: StdioReport | undefined, expected: {tools: string[]; server: string; result: string}): asserts report is StdioReport {
	assert.ok(report, 'stdio client report written');
	assert.equal(report.error, null, `stdio session error: ${report.error}\n--- bridge stderr ---\n${report.stderr}`);
	assert.deepEqual(report.tools, expected.tools);
	assert.equal(report.serverVersion?.name, expected.server);
	assert.equal(report.result, expected.result);
	assert.deepEqual(report.pollution, [], 'nothing but JSON-RPC on the bridge\'s stdout');
	assert.deepEqual(report.exit, {code: 0, signal: null}, `mcp-launch exited 0 on its own after stdin closed\n${report.stderr}`);
	assert.ok(report.exitAt !== null && report.stdinClosedAt !== null && report.exitAt > report.stdinClosedAt);
}

test(`the MCP Inspector ${ciVersion('inspector')} CLI as the client: tools/list and tools/call through the gate`, {...T, skip: inspectorSkip}, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const inspector = INSPECTOR!;
	const list = await box.start(['-p', 'auto', '-s', serverAt(box.serverReport, ['--boot-delay', '800']), '--timeout', '20s', '--', inspector, '--cli', '{url}', '--transport', 'http', '--method', 'tools/list'], {cwd: inspectorCwd(box), timeoutMs: 50_000}).exited;
	assert.equal(list.code, 0, show(list));
	const tools = (JSON.parse(list.stdout) as {tools: {name: string}[]}).tools.map((tool) => tool.name);
	assert.deepEqual(tools, ['echo'], 'stdout is the Inspector\'s JSON, nothing else');
	await waitGone(box.serverTreePids(), 2_000);
	const call = await box.start(['-p', 'auto', '-s', serverAt(box.path('second.jsonl')), '--', inspector, '--cli', '{url}', '--transport', 'http', '--method', 'tools/call', '--tool-name', 'echo', '--tool-arg', 'text=through the gate'], {cwd: inspectorCwd(box), timeoutMs: 50_000}).exited;
	assert.equal(call.code, 0, show(call));
	assert.match(call.stdout, /through the gate/);
});

test('mcp-remote as a stdio bridge: an editor-like stdio client spawns `mcp-launch ... -- mcp-remote {url}`', {...T, skip: skipUnless(MCP_REMOTE.tool, MCP_REMOTE.pkg)}, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const report = box.path('stdio.json');
	const launcher = [process.execPath, CLI, '-p', 'auto', '-s', serverAt(box.serverReport, ['--boot-delay', '800']), '--timeout', '20s', '--', findTool(MCP_REMOTE.tool)!, '{url}'];
	const result = await box.start(['--report', report, '--', ...launcher], {
		command: [process.execPath, STDIO_CLIENT],
		env: {...process.env, MCP_REMOTE_CONFIG_DIR: box.path('mcp-auth')},
		timeoutMs: 50_000,
	}).exited;
	const session = readJson<StdioReport>(report);
	assert.equal(result.code, 0, `${show(result)}\n${JSON.stringify(session, null, 2)}`);
	assertStdioSession(session, {tools: ['echo'], server: 'fixture-server', result: 'hello through stdio'});
	const listening = findEvent(box.serverReport, 'listening');
	assert.ok(listening?.port, 'the server listened');
	assert.match(session.stderr, new RegExp(`ready http://127\\.0\\.0\\.1:${listening.port}/mcp`), 'mcp-launch\'s own lines go to stderr');
	await waitGone(box.serverTreePids(), 2_000);
	assert.ok(await portIsFree(listening.port), 'the server\'s port is released');
});

for (const [file, entryOf] of [
	['cursor-mcp.json', (json: any) => json.mcpServers['my-server']],
	['vscode-mcp.json', (json: any) => json.servers['my-server']],
] as const) {
	test(`examples/${file}: the editor's stdio entry (npx mcp-launch ... -- npx mcp-remote {url}) serves a session`, {...T, skip: skipUnless(MCP_REMOTE.tool, MCP_REMOTE.pkg)}, async (t) => {
		const box = await Sandbox.create();
		const bin = binDir({npx: fakeNpx(findTool(MCP_REMOTE.tool)!)});
		t.after(async () => {
			await box.cleanup();
			bin.remove();
		});
		const entry = entryOf(JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8'))) as {type?: string; command: string; args: string[]};
		if (file.startsWith('vscode')) assert.equal(entry.type, 'stdio');
		assert.equal(entry.command, 'npx');
		assert.ok(entry.args.includes('{url}'), 'mcp-remote gets the live URL');
		// What the editor does: ${workspaceFolder} is the project (here: examples/, where server.js is).
		const args = entry.args.map((arg) => arg.replaceAll('${workspaceFolder}', EXAMPLES));
		const report = box.path('stdio.json');
		const result = await box.start(['--report', report, '--call', 'add', '--args', '{"a":2,"b":3}', '--', entry.command, ...args], {
			command: [process.execPath, STDIO_CLIENT],
			cwd: box.dir,
			env: bin.env({MCP_REMOTE_CONFIG_DIR: box.path('mcp-auth'), BOOT_DELAY_MS: '500'}),
			timeoutMs: 50_000,
		}).exited;
		const session = readJson<StdioReport>(report);
		assert.equal(result.code, 0, `${show(result)}\n${JSON.stringify(session, null, 2)}`);
		assertStdioSession(session, {tools: ['add', 'now'], server: 'example-server', result: '5'});
		assert.doesNotMatch(session.stderr, /mcp-launch: ready/, '--quiet keeps the editor\'s MCP log to warnings');
	});
}

test('examples/mcp-remote.sh: the same bridge as a script', {...T, skip: skipUnless(MCP_REMOTE.tool, MCP_REMOTE.pkg)}, async (t) => {
	const box = await Sandbox.create();
	const bin = binDir({npx: fakeNpx(findTool(MCP_REMOTE.tool)!)});
	t.after(async () => {
		await box.cleanup();
		bin.remove();
	});
	const report = box.path('stdio.json');
	const result = await box.start(['--report', report, '--call', 'add', '--args', '{"a":2,"b":3}', '--', path.join(EXAMPLES, 'mcp-remote.sh')], {
		command: [process.execPath, STDIO_CLIENT],
		env: bin.env({MCP_REMOTE_CONFIG_DIR: box.path('mcp-auth'), BOOT_DELAY_MS: '500'}),
		timeoutMs: 50_000,
	}).exited;
	const session = readJson<StdioReport>(report);
	assert.equal(result.code, 0, `${show(result)}\n${JSON.stringify(session, null, 2)}`);
	assertStdioSession(session, {tools: ['add', 'now'], server: 'example-server', result: '5'});
});

test(`examples/inspector.sh: the Inspector ${ciVersion('inspector')} CLI lists the example server's tools`, {...T, skip: inspectorSkip}, async (t) => {
	const box = await Sandbox.create();
	const bin = binDir();
	t.after(async () => {
		await box.cleanup();
		bin.remove();
	});
	const inspectorDir = path.dirname(INSPECTOR!);
	const env = bin.env({BOOT_DELAY_MS: '500'});
	env.PATH = `${env.PATH}${path.delimiter}${inspectorDir}`;
	const result = await box.start([path.join(EXAMPLES, 'inspector.sh')], {command: ['/bin/sh'], cwd: inspectorCwd(box), env, timeoutMs: 50_000}).exited;
	assert.equal(result.code, 0, show(result));
	assert.deepEqual((JSON.parse(result.stdout) as {tools: {name: string}[]}).tools.map((tool) => tool.name), ['add', 'now']);
	const call = await box.start([path.join(EXAMPLES, 'inspector.sh'), '--method', 'tools/call', '--tool-name', 'add', '--tool-arg', 'a=2', '--tool-arg', 'b=3'], {command: ['/bin/sh'], cwd: inspectorCwd(box), env, timeoutMs: 50_000}).exited;
	assert.equal(call.code, 0, show(call));
	assert.match(call.stdout, /"text": "5"/);
});

test('examples/package.json: `npm run dev:client` (mcp-launch --port auto --server npm:dev -- node client.js)', T, async (t) => {
	const box = await Sandbox.create();
	const bin = binDir();
	t.after(async () => {
		await box.cleanup();
		bin.remove();
	});
	const scripts = (JSON.parse(readFileSync(path.join(EXAMPLES, 'package.json'), 'utf8')) as {scripts: Record<string, string>}).scripts;
	assert.equal(scripts['dev:claude'], 'mcp-launch --server npm:dev -- claude');
	const result = await box.start(['run', '--silent', 'dev:client'], {command: ['npm'], cwd: EXAMPLES, env: bin.env({BOOT_DELAY_MS: '500'}), timeoutMs: 50_000}).exited;
	assert.equal(result.code, 0, show(result));
	assert.match(result.stdout, /connected to http:\/\/127\.0\.0\.1:\d+\/mcp; tools: add, now/);
	assert.match(result.stdout, /add\(2, 3\) = 5/);
	assert.doesNotMatch(result.stdout, /example-server: (booting|listening)/, 'the server\'s output stays off the terminal');
});

test('examples/package.json: `npm run dev:claude:auto` hands Claude Code a generated --mcp-config', T, async (t) => {
	const box = await Sandbox.create();
	const claudeReport = box.path('claude.json');
	// `npm run` puts every node_modules/.bin above examples/ first on PATH, and the repo's own holds the
	// real Claude Code (a devDependency for the matrix specs): a script shell puts the stand-in first again.
	const bin = binDir({
		claude: `exec ${sq(process.execPath)} ${sq(CONFIG_CLIENT)} --report ${sq(claudeReport)} "$@"`,
		'script-shell': 'PATH="$(dirname "$0"):$PATH" exec /bin/sh "$@"',
	});
	t.after(async () => {
		await box.cleanup();
		bin.remove();
	});
	const env = bin.env({BOOT_DELAY_MS: '500', npm_config_script_shell: path.join(bin.dir, 'script-shell')});
	const result = await box.start(['run', '--silent', 'dev:claude:auto'], {command: ['npm'], cwd: EXAMPLES, env, timeoutMs: 50_000}).exited;
	assert.equal(result.code, 0, show(result));
	const report = readJson<ConfigReport>(claudeReport);
	assert.ok(report, 'the stand-in claude ran');
	assert.equal(report.error, null, `error: ${report.error}`);
	assert.equal(report.mode, 0o600);
	assert.deepEqual(report.entries.map((e) => [e.name, e.type, e.error, e.tools]), [['example', 'http', null, ['add', 'now']]]);
	assert.equal(existsSync(report.path!), false, 'the config is gone after exit');
});

test('examples/claude-code.sh: Claude Code gets --mcp-config with the live URL, extra arguments pass through', T, async (t) => {
	const box = await Sandbox.create();
	const claudeReport = box.path('claude.json');
	const bin = binDir({claude: `exec ${sq(process.execPath)} ${sq(CONFIG_CLIENT)} --report ${sq(claudeReport)} "$@"`});
	t.after(async () => {
		await box.cleanup();
		bin.remove();
	});
	const result = await box.start([path.join(EXAMPLES, 'claude-code.sh'), '-p', 'list the tools'], {command: ['/bin/sh'], env: bin.env({BOOT_DELAY_MS: '500'}), timeoutMs: 50_000}).exited;
	assert.equal(result.code, 0, show(result));
	const report = readJson<ConfigReport>(claudeReport);
	assert.ok(report, 'the stand-in claude ran');
	assert.equal(report.error, null, `error: ${report.error}`);
	assert.deepEqual(report.argv.slice(-3), [`--mcp-config=${report.path}`, '-p', 'list the tools']);
	assert.deepEqual(report.entries.map((e) => [e.name, e.type, e.error, e.tools, e.serverVersion?.name]), [['example', 'http', null, ['add', 'now'], 'example-server']]);
	assert.equal(existsSync(path.dirname(report.path!)), false, 'the config directory is gone after exit');
});

for (const [version, claude, skip] of [
	['1.0.128', path.join(ROOT, 'node_modules', '.bin', 'claude'), nodeAtLeast('26.0.0') ? 'Claude Code 1.0.128 crashes on Node 26' : false],
	[ciVersion('claude-code'), ciTool('claude-code'), skipUnlessFetched('claude-code') || (nodeAtLeast('22.0.0') ? false : 'Claude Code 2.x wants Node >= 22: .ci/run runs it on Node 24')],
] as const) {
	test(`examples/claude-code.sh mcp list with the real Claude Code ${version}: the words after {mcp-config} stay claude's command`, {...T, skip}, async (t) => {
		const box = await Sandbox.create();
		const home = box.path('home');
		mkdirSync(home);
		const bin = binDir({claude: `exec ${sq(claude!)} "$@"`});
		t.after(async () => {
			await box.cleanup();
			bin.remove();
		});
		const env = bin.env({BOOT_DELAY_MS: '300', HOME: home, DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_TELEMETRY: '1', DISABLE_ERROR_REPORTING: '1'});
		const result = await box.start([path.join(EXAMPLES, 'claude-code.sh'), 'mcp', 'list'], {command: ['/bin/sh'], cwd: home, env, timeoutMs: 50_000}).exited;
		assert.equal(result.code, 0, show(result));
		// `claude mcp list` ran (it lists the user's servers: none in a fresh HOME), rather than
		// --mcp-config taking `mcp` and `list` as config files.
		assert.match(result.stdout, /No MCP servers configured/, show(result));
		assert.doesNotMatch(`${result.stdout}${result.stderr}`, /took "mcp" as its value|Invalid MCP configuration/, show(result));
	});
}

test('examples/shell-alias.sh: the mcp-dev alias (npm:dev on a free port) and the with_mcp function', T, async (t) => {
	const box = await Sandbox.create();
	const bin = binDir();
	t.after(async () => {
		await box.cleanup();
		bin.remove();
	});
	// Aliases expand in a non-interactive bash with expand_aliases, when defined on an earlier line.
	const aliasScript = [
		'shopt -s expand_aliases',
		`. ${sq(path.join(EXAMPLES, 'shell-alias.sh'))}`,
		`mcp-dev node ${sq(path.join(FIXTURES, 'client.js'))} --url {url} --report ${sq(box.clientReport)}`,
	].join('\n');
	const viaAlias = await box.start(['-c', aliasScript], {command: ['bash'], cwd: NPM_PROJECT, env: bin.env({WF_SERVER_REPORT: box.serverReport}), timeoutMs: 50_000}).exited;
	assert.equal(viaAlias.code, 0, show(viaAlias));
	const report = readClientReport(box.clientReport);
	assert.equal(report?.error, null, `client error: ${report?.error}`);
	assert.deepEqual(report?.tools, ['echo']);
	const listening = findEvent(box.serverReport, 'listening');
	assert.equal(report?.url, `http://127.0.0.1:${listening?.port}/mcp`);
	await waitGone(readJsonLines(box.serverReport).filter((e) => e.event === 'start').map((e) => e.pid), 2_000);

	const functionScript = [
		`. ${sq(path.join(EXAMPLES, 'shell-alias.sh'))}`,
		`with_mcp ${sq(`node ${sq(path.join(EXAMPLES, 'server.js'))}`)} node ${sq(path.join(EXAMPLES, 'client.js'))}`,
	].join('\n');
	const viaFunction = await box.start(['-c', functionScript], {command: ['sh'], env: bin.env({BOOT_DELAY_MS: '300'}), timeoutMs: 50_000}).exited;
	assert.equal(viaFunction.code, 0, show(viaFunction));
	assert.match(viaFunction.stdout, /tools: add, now/);
});
