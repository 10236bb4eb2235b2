// Real-world matrix, Claude Code as the client, two generations: 1.0.128 (the last pure-JS release,
// from node_modules; it runs on Node 20 and 24 and crashes on 26) and today's 2.1.x (a native
// binary, fetched by .ci/fetch into the CI cache; its package wants Node >= 22). Each with a
// throwaway HOME: `claude mcp add --transport http NAME URL`, then `claude mcp list` health-checks
// the server with no account. The point of the product, deterministic: against a server that boots
// slowly (it listens only once the test says so), Claude Code alone started at the same moment
// fails, and under mcp-launch connects.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {FIXTURES, show, startCli} from './helpers/cli.js';
import {claude, claudes, claudeWorld, said} from './helpers/claude.js';
import {assertTreeGone, display, matrixTest, saveRowsAfter, venvMissing, warnings, watchTree} from './helpers/matrix.js';
import {freePort, portIsFree} from './helpers/net.js';
import type {ProcInfo} from './helpers/soak-procs.js';
import {waitFor} from './helpers/wait.js';

saveRowsAfter(import.meta.filename);
const SLOW_BOOT = path.join(FIXTURES, 'matrix-slow-boot.sh');

for (const release of claudes) {
	const client = `Claude Code ${release.version} (\`claude mcp list\`)`;
	const ok = said(release.connected);
	const refused = said(release.failed);

	matrixTest(
		`Claude Code ${release.version} alone, started at the same moment as a server that boots slowly: ${refused}; once the server is up: ${ok}`,
		{
			server: '@modelcontextprotocol/server-everything (boots slowly)',
			client: `Claude Code ${release.version} alone, no mcp-launch`,
			command: 'PORT=3000 sh test/fixtures/matrix-slow-boot.sh <file> mcp-server-everything streamableHttp & claude mcp list',
			skip: release.skip || undefined,
		},
		async (t) => {
			const world = claudeWorld(t, release);
			const port = await freePort();
			const url = `http://127.0.0.1:${port}/mcp`;
			const added = await claude(release, ['mcp', 'add', '--transport', 'http', 'everything', url], world);
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
			const alone = await claude(release, ['mcp', 'list'], world);
			assert.match(alone.stdout, new RegExp(`everything: ${url.replace(/[.]/g, '\\.')} \\(HTTP\\)${release.failed.source}`), show(alone));
			writeFileSync(go, '');
			await waitFor(async () => !(await portIsFree(port)), {timeoutMs: 30_000, what: 'the server to listen'});
			const later = await claude(release, ['mcp', 'list'], world);
			assert.match(later.stdout, new RegExp(`everything: .*${release.connected.source}`), `the same server is fine once up\n${show(later)}`);
			return `as expected without the gate: ${refused} (the race); ${ok} once the server is up`;
		},
	);

	matrixTest(
		`Claude Code ${release.version} under mcp-launch, the same slow-booting server: ${ok}, the tree gone, no warning`,
		{
			server: '@modelcontextprotocol/server-everything (boots slowly)',
			client,
			command: `${display(['-p', '3000', '-s', 'sh test/fixtures/matrix-slow-boot.sh <file> mcp-server-everything streamableHttp'])} -- claude mcp list (after claude mcp add --transport http everything http://127.0.0.1:3000/mcp)`,
			skip: release.skip || undefined,
		},
		async (t) => {
			const world = claudeWorld(t, release);
			const port = await freePort();
			const added = await claude(release, ['mcp', 'add', '--transport', 'http', 'everything', `http://127.0.0.1:${port}/mcp`], world);
			assert.equal(added.code, 0, show(added));
			const go = path.join(world.dir, 'booted');
			const run = startCli(['-p', String(port), '-s', `sh ${SLOW_BOOT} ${go} mcp-server-everything streamableHttp`, '--', release.bin!, 'mcp', 'list'], {cwd: world.cwd, env: world.env, timeoutMs: 80_000});
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
			assert.match(result.stdout, new RegExp(`everything: http://127\\.0\\.0\\.1:${port}/mcp \\(HTTP\\)${release.connected.source}`), show(result));
			await assertTreeGone(watched.tree(), [run.pid]);
			assert.deepEqual(warnings(result.stderr), [], `no warning on a working run\n${show(result)}`);
			return `${ok} (alone, started at the same moment: ${refused}), tree gone, no warning`;
		},
	);

	const flags = ['-p', 'auto', '-s', `python ${path.join(FIXTURES, 'py-mcp-server.py')} --port {port}`];
	const shell = ['sh', '-c', 'claude mcp add --transport http py "$MCP_SERVER_URL" >/dev/null && claude mcp list'];
	matrixTest(
		`Claude Code ${release.version} under mcp-launch with a Python SDK server on a free port (MCP_SERVER_URL): ${ok}, no warning`,
		{server: 'mcp 2.x (Python SDK, MCPServer)', client, command: `${display([...flags, '--', ...shell])}`, skip: (release.skip || undefined) ?? venvMissing()},
		async (t) => {
			const world = claudeWorld(t, release);
			const run = startCli([...flags, '--', ...shell], {cwd: world.cwd, env: world.env, timeoutMs: 80_000});
			const watched = watchTree(t, run);
			const result = await run.exited;
			watched.stop();
			assert.equal(result.code, 0, show(result));
			assert.match(result.stdout, new RegExp(`py: http://127\\.0\\.0\\.1:\\d+/mcp \\(HTTP\\)${release.connected.source}`), show(result));
			await assertTreeGone(watched.tree(), [run.pid]);
			const warned = warnings(result.stderr);
			assert.deepEqual(warned, [], `no warning on a working run (got: ${warned[0]?.trim()})\n${show(result)}`);
			return `${ok}, tree gone, no warning`;
		},
	);
}
