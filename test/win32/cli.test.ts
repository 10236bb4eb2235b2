// The built CLI (dist\cli.js) under node.exe (Wine in CI): a real SDK server gated through the
// job helper, a client run through the helper's client mode (found by PATHEXT, a .cmd among
// them), its exit code passed through; the server's whole tree (cmd → node → child, plus a
// detached grandchild) gone when mcp-launch exits, after a normal exit and after a crash on
// boot; the {mcp-config} directory gone every time; a port in use reported.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {freePort} from '../helpers/net.js';
import {alive, fixture, nodeCommand, root, underWine} from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-cli-'));
after(() => rmSync(dir, {recursive: true, force: true}));
const cli = () => path.win32.join(root(), 'dist', 'cli.js');
// CTRL_BREAK does not reach a group under Wine: the kill comes after the grace, kept short there.
const grace = underWine ? '300ms' : '5s';

type Run = {code: number | null; stdout: string; stderr: string; temp: string};
type Pids = {server: number; child: number; grandchild: number; port: number};

let n = 0;
/** Run mcp-launch with a TEMP of its own (where {mcp-config} goes) and node's directory on PATH. */
async function runCli(args: string[]): Promise<Run> {
	const temp = mkdtempSync(path.join(dir, `temp-${n++}-`));
	const env = {...process.env, TEMP: temp, TMP: temp, PATH: `${path.win32.dirname(process.execPath)};${dir};${process.env.PATH ?? ''}`};
	const child = spawn(process.execPath, [cli(), ...args], {env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const code = await new Promise<number | null>(resolve => child.once('close', resolve));
	return {code, stdout, stderr, temp};
}

const show = (run: Run) => `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
const read = <T>(file: string): T | undefined => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as T : undefined);
const treePids = (pids: Pids) => [pids.server, pids.child, pids.grandchild];
const treeServer = (report: string, ...rest: string[]) => `${nodeCommand(fixture('win-tree-server.js'))} {port} "${report}"${rest.map(word => ` ${word}`).join('')}`;

/** Gone when mcp-launch exited: teardown ends only once the job has no process left. */
function assertTreeGone(pids: Pids | undefined, run: Run): void {
	assert.ok(pids, `the server reported its tree\n${show(run)}`);
	assert.deepEqual(treePids(pids).filter(pid => alive(pid)), [], `nothing of the server's tree is left\n${show(run)}`);
}

const assertNoConfigLeft = (run: Run) => assert.deepEqual(readdirSync(run.temp), [], `the {mcp-config} directory is gone\n${show(run)}`);

describe('mcp-launch on Windows (the built CLI)', () => {
	it('gates a real SDK server, runs the client (node, by PATHEXT) and passes its exit code; the tree and {mcp-config} are gone', async () => {
		const report = path.join(dir, 'tree-normal.json');
		const clientReport = path.join(dir, 'client-normal.json');
		const run = await runCli(['-p', 'auto', '--kill-timeout', grace, '-s', treeServer(report), '--', 'node', fixture('win-client.js'), clientReport, '7', '{mcp-config}']);
		assert.equal(run.code, 7, show(run));
		const client = read<{server: string; tools: string[]; mcpConfig: string; mcpConfigExists: boolean; url: string}>(clientReport);
		assert.equal(client?.server, 'win-tree-server', `the client initialized a session with the SDK server\n${show(run)}`);
		assert.deepEqual(client.tools, ['tree']);
		assert.ok(client.mcpConfigExists, 'the client found its {mcp-config} file');
		assert.equal(path.win32.dirname(path.win32.dirname(client.mcpConfig)).toLowerCase(), run.temp.toLowerCase(), 'made in the TEMP given (so an empty TEMP proves it removed)');
		assert.match(run.stderr, /ready http:\/\/127\.0\.0\.1:\d+\/mcp/);
		assert.equal(run.stdout, '', 'mcp-launch writes nothing on stdout');
		assertTreeGone(read<Pids>(report), run);
		assert.equal(existsSync(client.mcpConfig), false);
		assertNoConfigLeft(run);
	});

	it('runs a batch-file client (client.cmd, found by PATHEXT) with its arguments intact', async () => {
		const clientReport = path.join(dir, 'client-cmd.json');
		writeFileSync(path.join(dir, 'client.cmd'), `@${nodeCommand(fixture('win-client.js'))} %*\r\n`);
		const report = path.join(dir, 'tree-cmd.json');
		const run = await runCli(['-p', 'auto', '--kill-timeout', grace, '-s', treeServer(report), '--', 'client', clientReport, '0', '{mcp-config}']);
		assert.equal(run.code, 0, show(run));
		assert.equal(read<{server: string}>(clientReport)?.server, 'win-tree-server');
		assertTreeGone(read<Pids>(report), run);
		assertNoConfigLeft(run);
	});

	it('the client\'s tree ends with it (its own job): a detached child it started is gone when mcp-launch exits', async () => {
		const clientReport = path.join(dir, 'client-detach.json');
		const report = path.join(dir, 'tree-detach.json');
		const run = await runCli(['-p', 'auto', '--kill-timeout', grace, '-s', treeServer(report), '--', 'node', fixture('win-client.js'), clientReport, 'detach']);
		assert.equal(run.code, 0, show(run));
		const {detached} = read<{detached: number}>(clientReport) ?? {};
		assert.ok(detached, `the client started a detached child\n${show(run)}`);
		assert.equal(alive(detached), false, 'the client\'s detached child is gone');
		assertTreeGone(read<Pids>(report), run);
	});

	it('a server that crashes on boot: its stderr shown, exit 125, the tree it left (child, detached grandchild) gone', async () => {
		const report = path.join(dir, 'tree-crash.json');
		const clientReport = path.join(dir, 'client-crash.json');
		const run = await runCli(['-p', 'auto', '--kill-timeout', grace, '-s', treeServer(report, 'crash'), '--', 'node', fixture('win-client.js'), clientReport, '0', '{mcp-config}']);
		assert.equal(run.code, 125, show(run));
		assert.match(run.stderr, /exited with code 3 before/);
		assert.match(run.stderr, /boot: database unreachable at db\.internal:5432/);
		assert.equal(existsSync(clientReport), false, 'the client never ran');
		assertTreeGone(read<Pids>(report), run);
		assertNoConfigLeft(run);
	});

	it('a port in use: reported before anything starts (exit 125), the occupant named where netstat can tell', async t => {
		const port = await freePort();
		const occupant = createServer((_request, response) => response.end('an unrelated server\n'));
		await new Promise<void>(resolve => occupant.listen(port, '127.0.0.1', resolve));
		t.after(() => occupant.close());
		const report = path.join(dir, 'tree-taken.json');
		const run = await runCli(['-u', `http://127.0.0.1:${port}/mcp`, '-s', treeServer(report), '--', 'node', '-e', '0']);
		assert.equal(run.code, 125, show(run));
		assert.match(run.stderr, new RegExp(`port ${port} is already in use`));
		// Wine's netstat lists no listeners and no pids: there, the owner cannot be named.
		assert.match(run.stderr, underWine ? /owner could not be determined/ : new RegExp(`pid ${process.pid}`), show(run));
		assert.equal(existsSync(report), false, 'the server was never started');
	});

	it('doctor --server: starts the server through the job helper, finds it healthy (exit 0), leaves nothing', async () => {
		const port = await freePort();
		const report = path.join(dir, 'tree-doctor.json');
		const run = await runCli(['doctor', `http://127.0.0.1:${port}/mcp`, '--server', treeServer(report).replace('{port}', String(port))]);
		assert.equal(run.code, 0, show(run));
		assert.match(run.stdout, /healthy/i);
		assertTreeGone(read<Pids>(report), run);
	});

	it('a client that is not there: exit 127 before the server starts', async () => {
		const report = path.join(dir, 'tree-noclient.json');
		const run = await runCli(['-p', 'auto', '-s', treeServer(report), '--', 'no-such-client-here']);
		assert.equal(run.code, 127, show(run));
		assert.equal(existsSync(report), false, 'the server was never started');
	});
});
