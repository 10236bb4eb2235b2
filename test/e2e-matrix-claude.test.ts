// Real-world matrix, Claude Code as the client: @anthropic-ai/claude-code 1.0.128 (the last pure-JS
// release, runs on Node 20) with a throwaway HOME: `claude mcp add --transport http NAME URL`, then
// `claude mcp list` health-checks the server with no account (`✓ Connected` / `✗ Failed to connect`).
// The point of the product, deterministic: against a server that boots slowly (it listens only once
// the test says so), Claude Code alone started at the same moment fails, and under mcp-launch connects.
import {test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {FIXTURES, show, startCli, type CliResult} from './helpers/cli.js';
import {assertTreeGone, BIN, display, matrixEnv, matrixTest, saveRowsAfter, tempDir, venvMissing, warnings, watchTree} from './helpers/matrix.js';
import {freePort, portIsFree} from './helpers/net.js';
import type {ProcInfo} from './helpers/soak-procs.js';
import {waitFor} from './helpers/wait.js';

saveRowsAfter(import.meta.filename);
const CLAUDE = path.join(BIN, 'claude');
const CLAUDE_CLIENT = 'Claude Code 1.0.128 (`claude mcp list`)';
const SLOW_BOOT = path.join(FIXTURES, 'matrix-slow-boot.sh');

/** A project dir and a throwaway HOME for Claude Code; the environment to run it in. */
function claudeWorld(t: TestContext): {cwd: string; env: NodeJS.ProcessEnv; dir: string} {
	const dir = tempDir(t, 'mcp-launch-claude-');
	const home = path.join(dir, 'home');
	const cwd = path.join(dir, 'project');
	mkdirSync(home);
	mkdirSync(cwd);
	const env = matrixEnv({HOME: home, DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_TELEMETRY: '1', DISABLE_ERROR_REPORTING: '1'});
	return {cwd, env, dir};
}

const claude = (args: string[], world: {cwd: string; env: NodeJS.ProcessEnv}): Promise<CliResult> =>
	startCli(args, {command: [CLAUDE], cwd: world.cwd, env: world.env, timeoutMs: 60_000}).exited;

matrixTest(
	'Claude Code alone, started at the same moment as a server that boots slowly: ✗ Failed to connect; once the server is up: ✓ Connected',
	{
		server: '@modelcontextprotocol/server-everything (boots slowly)',
		client: 'Claude Code 1.0.128 alone, no mcp-launch',
		command: 'PORT=3000 sh test/fixtures/matrix-slow-boot.sh <file> mcp-server-everything streamableHttp & claude mcp list',
	},
	async (t) => {
	const world = claudeWorld(t);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}/mcp`;
	const added = await claude(['mcp', 'add', '--transport', 'http', 'everything', url], world);
	assert.equal(added.code, 0, show(added));
	const go = path.join(world.dir, 'booted');
	const server = spawn('sh', [SLOW_BOOT, go, 'mcp-server-everything', 'streamableHttp'], {env: {...world.env, PORT: String(port)}, stdio: 'ignore', detached: true});
	t.after(() => {
		try {
			process.kill(-server.pid!, 'SIGKILL');
		} catch {
			// gone
		}
	});
	const alone = await claude(['mcp', 'list'], world);
	assert.match(alone.stdout, new RegExp(`everything: ${url.replace(/[.]/g, '\\.')} \\(HTTP\\) - ✗ Failed to connect`), show(alone));
	writeFileSync(go, '');
	await waitFor(async () => !(await portIsFree(port)), {timeoutMs: 30_000, what: 'the server to listen'});
	const later = await claude(['mcp', 'list'], world);
	assert.match(later.stdout, /everything: .* - ✓ Connected/, `the same server is fine once up\n${show(later)}`);
	return 'as expected without the gate: `✗ Failed to connect` (the race); `✓ Connected` once the server is up';
});

matrixTest(
	'Claude Code under mcp-launch, the same slow-booting server: ✓ Connected, the tree gone, no warning',
	{
		server: '@modelcontextprotocol/server-everything (boots slowly)',
		client: CLAUDE_CLIENT,
		command: `${display(['-p', '3000', '-s', 'sh test/fixtures/matrix-slow-boot.sh <file> mcp-server-everything streamableHttp'])} -- claude mcp list (after claude mcp add --transport http everything http://127.0.0.1:3000/mcp)`,
	},
	async (t) => {
		const world = claudeWorld(t);
		const port = await freePort();
		const added = await claude(['mcp', 'add', '--transport', 'http', 'everything', `http://127.0.0.1:${port}/mcp`], world);
		assert.equal(added.code, 0, show(added));
		const go = path.join(world.dir, 'booted');
		const run = startCli(['-p', String(port), '-s', `sh ${SLOW_BOOT} ${go} mcp-server-everything streamableHttp`, '--', CLAUDE, 'mcp', 'list'], {cwd: world.cwd, env: world.env, timeoutMs: 80_000});
		const watched = watchTree(t, run);
		// The server is started and not listening yet; the client must not have been started.
		await waitFor(() => watched.tree().some((p) => p.argv.includes(SLOW_BOOT)), {timeoutMs: 20_000, what: 'the slow server to start'});
		// No process may be running Claude Code yet: claude is neither the program (argv[0]) nor, run by
		// node through its shebang, the script (argv[1]). Other processes may name it in their argv
		// without running it: mcp-launch's client stub held on a pipe (`/bin/sh -c … claude mcp list`),
		// and, for a moment, any child mcp-launch forks, which shows mcp-launch's own argv until it execs.
		const runsClaude = (p: ProcInfo) => p.argv.slice(0, 2).some((word) => word.endsWith('claude'));
		assert.ok(!watched.tree().some(runsClaude), `Claude Code waits for the gate: ${JSON.stringify(watched.tree().filter(runsClaude).map((p) => p.argv))}`);
		writeFileSync(go, '');
		const result = await run.exited;
		watched.stop();
		assert.equal(result.code, 0, show(result));
		assert.match(result.stdout, new RegExp(`everything: http://127\\.0\\.0\\.1:${port}/mcp \\(HTTP\\) - ✓ Connected`), show(result));
		await assertTreeGone(watched.tree(), [run.pid]);
		assert.deepEqual(warnings(result.stderr), [], `no warning on a working run\n${show(result)}`);
		return '`✓ Connected` (alone, started at the same moment: `✗ Failed to connect`), tree gone, no warning';
	},
);

{
	const flags = ['-p', 'auto', '-s', `python ${path.join(FIXTURES, 'py-mcp-server.py')} --port {port}`];
	const client = ['sh', '-c', 'claude mcp add --transport http py "$MCP_SERVER_URL" >/dev/null && claude mcp list'];
	matrixTest(
		'Claude Code under mcp-launch with a Python SDK server on a free port (MCP_SERVER_URL): ✓ Connected, no warning',
		{server: 'mcp 2.x (Python SDK, MCPServer)', client: CLAUDE_CLIENT, command: `${display([...flags, '--', ...client])}`, skip: venvMissing()},
		async (t) => {
			const world = claudeWorld(t);
			const run = startCli([...flags, '--', ...client], {cwd: world.cwd, env: world.env, timeoutMs: 80_000});
			const watched = watchTree(t, run);
			const result = await run.exited;
			watched.stop();
			assert.equal(result.code, 0, show(result));
			assert.match(result.stdout, /py: http:\/\/127\.0\.0\.1:\d+\/mcp \(HTTP\) - ✓ Connected/, show(result));
			await assertTreeGone(watched.tree(), [run.pid]);
			const warned = warnings(result.stderr);
			assert.deepEqual(warned, [], `no warning on a working run (got: ${warned[0]?.trim()})\n${show(result)}`);
			return '`✓ Connected`, tree gone, no warning';
		},
	);
}
