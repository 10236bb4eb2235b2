// Real-world matrix, the front door (--watch, --restart) with third-party pieces: the official Python
// SDK server (`mcp` 2.x, its own session ids; the spec edits its source as a developer would), the
// stdio bridge (mcp-remote under an SDK StdioClientTransport, as an IDE runs it), and Claude Code's
// `claude mcp list` asked while a restart is in progress.
import {test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {ToolListChangedNotificationSchema} from '@modelcontextprotocol/sdk/types.js';
import {defer} from './helpers/cleanup.js';
import {CLI, CLIENT_FIXTURE, show, startCli} from './helpers/cli.js';
import {call, connect, WATCH_SERVER, writeTools} from './helpers/front-door.js';
import {claude, claudes, claudeWorld, said} from './helpers/claude.js';
import {descendants, display, matrixEnv, matrixTest, saveRowsAfter, tempDir, venvMissing, watchTree} from './helpers/matrix.js';
import {freePort} from './helpers/net.js';
import {killHard} from './helpers/proc.js';
import {readJsonLines} from './helpers/report.js';
import {waitFor} from './helpers/wait.js';

saveRowsAfter(import.meta.filename);
const SDK = 'SDK client, one session (the spec)';
const skip = venvMissing();

/** A Python SDK server as a developer writes one: tools are functions; PORT from mcp-launch. */
function pythonServer(tools: string[]): string {
	return [
		'import os',
		'from mcp.server.mcpserver import MCPServer',
		'server = MCPServer("py-dev")',
		'',
		'@server.tool()',
		'def whoami() -> str:',
		'    """This process"""',
		'    return str(os.getpid())',
		...tools.flatMap(name => ['', '@server.tool()', `def ${name}() -> str:`, `    """The ${name} tool"""`, `    return "${name} from " + str(os.getpid())`]),
		'',
		'server.run(transport="streamable-http", port=int(os.environ["PORT"]))',
		'',
	].join('\n');
}

/** mcp-launch in front of `server` (written to src/server.py), a client that waits; ready. */
async function pythonDoor(t: TestContext, flags: string[]) {
	const dir = tempDir(t, 'mcp-launch-door-py-');
	mkdirSync(path.join(dir, 'src'));
	const source = path.join(dir, 'src', 'server.py');
	writeFileSync(source, pythonServer(['add']));
	const port = await freePort();
	const url = `http://127.0.0.1:${port}/mcp`;
	const go = path.join(dir, 'go');
	const run = startCli(['-p', String(port), ...flags, '-s', 'python src/server.py', '--', process.execPath, CLIENT_FIXTURE, '--no-connect', '--until-file', go], {cwd: dir, env: matrixEnv(), timeoutMs: 120_000});
	const watched = watchTree(t, run);
	await run.waitStderr(`ready ${url}`, 60_000);
	return {dir, source, url, run, go, watched};
}

matrixTest(
	'mcp 2.x (Python SDK), --watch: its source edited twice in one client session; each edit restarts it, the session id stays, list_changed, the new tool answers',
	{server: 'mcp 2.x (Python SDK, MCPServer, its own session ids)', client: SDK, command: `${display(['--watch', 'src', '-p', 'auto', '-s', 'python src/server.py'])} -- …`, skip},
	async t => {
		const door = await pythonDoor(t, ['--watch', 'src']);
		const session = await connect(t, door.url);
		const sessionId = session.transport.sessionId;
		assert.ok(sessionId);
		const pids = [await call(session, 'whoami')];
		for (const [n, tool] of ['mul', 'sub'].entries()) {
			writeFileSync(door.source, pythonServer(['add', tool]));
			// eslint-disable-next-line no-await-in-loop
			await waitFor(() => session.listChanged() === n + 1, {timeoutMs: 60_000, what: `list_changed ${n + 1} (stderr: ${door.run.stderr()})`});
			// eslint-disable-next-line no-await-in-loop
			const tools = (await session.client.listTools()).tools.map(item => item.name);
			assert.ok(tools.includes(tool), `the new tool is listed: ${tools.join(', ')}`);
			// eslint-disable-next-line no-await-in-loop
			pids.push(await call(session, 'whoami'));
			// eslint-disable-next-line no-await-in-loop
			assert.equal(await call(session, tool), `${tool} from ${pids.at(-1)}`);
			assert.equal(session.transport.sessionId, sessionId, 'the same session');
		}

		assert.equal(new Set(pids).size, 3, `three Python processes: ${pids.join(', ')}`);
		assert.deepEqual(session.errors.map(error => error.message), []);
		writeFileSync(door.go, '');
		const result = await door.run.exited;
		assert.equal(result.code, 0, show(result));
		assert.equal((result.stderr.match(/src\/server\.py changed: server restarted in/g) ?? []).length, 2, show(result));
		return 'two edits, one session: list_changed each time, the new tools answer, exit 0';
	},
);

matrixTest(
	'mcp 2.x (Python SDK), --restart on-failure: killed mid-session, the next call is held and answered by the restarted server in the same session',
	{server: 'mcp 2.x (Python SDK, MCPServer, its own session ids)', client: SDK, command: `${display(['--restart', 'on-failure', '-p', 'auto', '-s', 'python src/server.py'])} -- …`, skip},
	async t => {
		const door = await pythonDoor(t, ['--restart', 'on-failure']);
		const session = await connect(t, door.url);
		const sessionId = session.transport.sessionId;
		const first = Number(await call(session, 'whoami'));
		process.kill(first, 'SIGKILL');
		// Once the next generation is spawned (Python takes a second to boot), a call is held until it serves.
		// (A call sent in the very instant of the death may have reached the dying server: it gets the error.)
		const python = () => descendants(door.run.pid).filter(p => p.argv.includes('src/server.py') && p.argv[0]!.includes('python') && p.pid !== first);
		await waitFor(() => python().length > 0, {timeoutMs: 30_000, what: `the next Python generation (stderr: ${door.run.stderr()})`});
		const second = Number(await call(session, 'whoami'));
		assert.notEqual(second, first);
		assert.equal(await call(session, 'add'), `add from ${second}`);
		assert.equal(session.transport.sessionId, sessionId, 'the same session');
		await door.run.waitStderr(/killed by SIGKILL.*\(restart 1 of 5\): server restarted in/, 10_000);
		return 'killed, the next call held and answered, the same session';
	},
);

{
	const IDE = 'SDK StdioClientTransport (an IDE) → mcp-remote 0.15';
	const args = ['--watch', 'src', '-p', 'auto', '-s', `node ${WATCH_SERVER} --tools src/tools.json`, '--', 'mcp-remote', '{url}'];
	matrixTest(
		'stdio bridge under --watch: the IDE\'s one stdio session lives through two restarts, hears list_changed, calls the new tools; stdout carries only MCP',
		{server: 'SDK server (stateful), restarted by --watch', client: IDE, command: display(args).replace(WATCH_SERVER, 'test/fixtures/watch-server.js')},
		async t => {
			const dir = tempDir(t, 'mcp-launch-door-bridge-');
			mkdirSync(path.join(dir, 'src'));
			const tools = path.join(dir, 'src', 'tools.json');
			writeTools(tools, ['alpha']);
			const transport = new StdioClientTransport({command: process.execPath, args: [CLI, ...args], env: matrixEnv() as Record<string, string>, stderr: 'pipe', cwd: dir});
			let stderr = '';
			(transport.stderr as Readable | null)?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
			const client = new Client({name: 'matrix-ide', version: '1.0.0'});
			const errors: Error[] = [];
			client.onerror = error => errors.push(error);
			let changed = 0;
			client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
				changed++;
			});
			defer(t, () => {
				const pid = transport.pid ?? undefined;
				const tree = pid ? descendants(pid) : [];
				killHard(pid);
				for (const p of tree) killHard(p.pid);
			});
			await client.connect(transport);
			const text = async (name: string) => ((await client.callTool({name, arguments: {}})).content as Array<{text: string}>)[0]!.text;
			const first = JSON.parse(await text('whoami')).pid as number;
			for (const [n, tool] of ['beta', 'gamma'].entries()) {
				writeTools(tools, ['alpha', tool]);
				// eslint-disable-next-line no-await-in-loop
				await waitFor(() => changed === n + 1, {timeoutMs: 30_000, what: `list_changed ${n + 1} through the bridge (stderr: ${stderr})`});
				// eslint-disable-next-line no-await-in-loop
				assert.match(await text(tool), new RegExp(`^${tool} from \\d+$`));
			}

			assert.notEqual(JSON.parse(await text('whoami')).pid, first, 'a new generation answers');
			assert.deepEqual(errors.map(String), [], `nothing but JSON-RPC on stdout, no transport error\n${stderr}`);
			assert.equal((stderr.match(/src\/tools\.json changed: server restarted in/g) ?? []).length, 2, stderr);
			await client.close();
			return 'one stdio session through two restarts: list_changed, the new tools answer, stdout only JSON-RPC';
		},
	);
}

for (const release of claudes) {
	matrixTest(
		`Claude Code ${release.version} \`claude mcp list\` while a restart is in progress (the server died, the next one boots): ${said(release.connected)}`,
		{server: 'SDK server (stateful), --restart on-failure', client: `Claude Code ${release.version} (\`claude mcp list\`)`, command: `${display(['--restart', 'on-failure', '-p', '3000', '-s', 'node server.js'])} -- …; claude mcp list`, skip: release.skip || undefined},
		async t => {
			const world = claudeWorld(t, release);
			const dir = world.dir;
			const port = await freePort();
			const url = `http://127.0.0.1:${port}/mcp`;
			const boot = path.join(dir, 'boot');
			const report = path.join(dir, 'report.jsonl');
			writeFileSync(boot, '');
			writeTools(path.join(dir, 'tools.json'), ['alpha']);
			const run = startCli(['-p', String(port), '--restart', 'on-failure', '--log-level', 'debug', '-s', `node ${WATCH_SERVER} --tools tools.json --hold-boot ${boot} --report ${report}`, '--', process.execPath, CLIENT_FIXTURE, '--no-connect', '--until-file', path.join(dir, 'go')], {cwd: dir, env: world.env, timeoutMs: 120_000});
			watchTree(t, run);
			await run.waitStderr(`ready ${url}`, 30_000);
			const added = await claude(release, ['mcp', 'add', '--transport', 'http', 'dev', url], world);
			assert.equal(added.code, 0, show(added));
			const starts = () => readJsonLines(report).filter(event => event.event === 'start');
			rmSync(boot);
			process.kill(readJsonLines(report).find(event => event.event === 'listening')!.pid, 'SIGKILL');
			await waitFor(() => starts().length === 2, {timeoutMs: 30_000, what: 'the next generation to start booting'});
			const listing = claude(release, ['mcp', 'list'], world);
			await run.waitStderr(/initialize waits: no server serves yet/, 60_000); // Claude Code's health check is held.
			writeFileSync(boot, '');
			const listed = await listing;
			assert.equal(listed.code, 0, show(listed));
			assert.match(listed.stdout, new RegExp(`dev: ${url.replaceAll('.', '\\.')} \\(HTTP\\)${release.connected.source}`), show(listed));
			assert.equal(readJsonLines(report).filter(event => event.event === 'listening').length, 2, 'answered by the restarted server');
			return `${said(release.connected)}: its check was held while the server restarted`;
		},
	);
}
