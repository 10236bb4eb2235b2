// The win32 OS seam's process tree, under node.exe (Wine in CI): a real SDK server started
// held through the job helper, its whole tree (cmd → node → child, plus a detached grandchild)
// gone after stop, after the helper's stdin closes, and after the launcher is killed outright.
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {createWin32Os} from '../../src/os/win32/index.js';
import type {JobTree} from '../../src/os/win32/job-tree.js';
import {freePort} from '../helpers/net.js';
import {waitFor} from '../helpers/wait.js';
import {alive, fixture, jobHelper, nodeCommand, probe, underWine} from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-win-'));
const os = createWin32Os({jobHelper: jobHelper()});
// Not in `dir`: Windows cannot remove a directory that is some process's current directory.
const spawnOptions = (command: string) => ({command, cwd: tmpdir(), env: {...process.env}});
// Whatever a failed assertion left running ends with its helper's stdin, here.
const trees: JobTree[] = [];
after(async () => {
	await Promise.all(trees.map(async tree => tree.dispose()));
	rmSync(dir, {recursive: true, force: true});
});
const spawnTree = (command: string) => {
	const tree = os.spawnTree(spawnOptions(command)) as JobTree; // The helper's tree: its members can be listed.
	trees.push(tree);
	return tree;
};

type Pids = {server: number; child: number; grandchild: number; port: number};

/** Start the tree fixture held, release it, wait for its pids (bounded). */
async function startTreeServer(name: string): Promise<{tree: JobTree; pids: Pids; report: string}> {
	const port = await freePort();
	const report = path.join(dir, `${name}.json`);
	const tree = spawnTree(nodeCommand(fixture('win-tree-server.js'), String(port), report));
	await tree.started;
	tree.release();
	const pids = await waitFor(() => existsSync(report) && JSON.parse(readFileSync(report, 'utf8')) as Pids, {timeoutMs: 20_000, what: `${name}: the server's pids`});
	return {tree, pids, report};
}

const treePids = (pids: Pids) => [pids.server, pids.child, pids.grandchild];

async function assertGone(pids: Pids, what: string): Promise<void> {
	await waitFor(() => treePids(pids).every(pid => !alive(pid)), {timeoutMs: 3_000, what: `${what}: every process of the tree gone`});
}

describe('win32 process tree through the job helper', () => {
	it('holds the command: only the suspended cmd.exe exists until release, then the command runs', async () => {
		const marker = path.join(dir, 'held-ran');
		const tree = spawnTree(nodeCommand('-e', `require('fs').writeFileSync(String.raw\`${marker}\`, 'x')`));
		await tree.started;
		assert.ok(Number.isInteger(tree.pid));
		assert.deepEqual(await tree.members(), [tree.pid], 'the job holds the suspended cmd.exe alone');
		assert.equal(existsSync(marker), false);
		tree.release();
		assert.deepEqual(await tree.exited, {code: 0, signal: undefined});
		assert.ok(existsSync(marker), 'released, the command ran');
		await tree.dispose();
	});

	it('a real SDK server answers, its tree is the job, and stop() leaves none of it (cmd, node, child, detached grandchild)', async () => {
		const {tree, pids} = await startTreeServer('stop');
		assert.equal(await probe(`http://127.0.0.1:${pids.port}/mcp`), 200, 'the stateless SDK server answers a bare ping');
		const members = await tree.members();
		for (const pid of [tree.pid!, ...treePids(pids)]) {
			assert.ok(members.includes(pid), `pid ${pid} is in the job (${members.join(' ')})`);
		}

		const result = await tree.stop(underWine ? 200 : 5_000);
		assert.equal(result.leftover, false);
		assert.equal(await tree.isGone(), true);
		await assertGone(pids, 'stop');
		assert.notEqual((await tree.exited).code, 0, 'the server was ended, it did not exit by itself');
		await tree.dispose();
	});

	it('netstat names the server as the owner of its port', {skip: underWine && 'Wine\'s netstat -ano lists no listeners and no pids'}, async () => {
		const {tree, pids} = await startTreeServer('netstat');
		const owners = os.listeners(pids.port);
		assert.deepEqual(owners.map(listener => listener.pid), [pids.server]);
		assert.deepEqual(await tree.listeners(), owners);
		await tree.stop(0);
	});

	it('asking netstat never throws, whatever it prints', async () => {
		assert.ok(Array.isArray(os.listeners(1)));
		assert.deepEqual(os.groupListeners(1), [], 'Windows has no process groups to ask about');
	});

	it('passes exit codes through: a program\'s and cmd\'s own', async () => {
		for (const [command, code] of [[nodeCommand('-e', 'process.exit(7)'), 7], ['exit /b 3', 3], [nodeCommand('-e', '0'), 0]] as const) {
			const tree = spawnTree(command);
			tree.release();
			// eslint-disable-next-line no-await-in-loop
			assert.equal((await tree.exited).code, code, command);
			await tree.dispose();
		}
	});

	it('gives the command stdout and stderr as pipes, and NUL as stdin', async () => {
		const tree = spawnTree(nodeCommand('-e', 'process.stdin.resume().on(\'end\', () => { console.log(\'out:eof\'); console.error(\'err:line\'); })'));
		const read = (stream: NodeJS.ReadableStream) => new Promise<string>(resolve => {
			let text = '';
			stream.setEncoding('utf8');
			stream.on('data', chunk => {
				text += chunk;
			}).on('end', () => resolve(text));
		});
		const [out, error] = [read(tree.stdout), read(tree.stderr)];
		tree.release();
		assert.equal((await tree.exited).code, 0);
		await tree.dispose();
		assert.equal((await out).trim(), 'out:eof');
		assert.equal((await error).trim(), 'err:line');
	});

	it('when the helper\'s stdin closes without a word (the launcher died), the kernel ends the tree and the temp directory is removed', async () => {
		const {tree, pids} = await startTreeServer('orphan');
		const temporary = mkdtempSync(path.join(dir, 'mcp-config-'));
		writeFileSync(path.join(temporary, 'mcp-config.json'), '{}');
		tree.removeOnOrphan(temporary);
		void tree.dispose(); // Not awaited: as when mcp-launch dies, nobody waits.
		await assertGone(pids, 'stdin closed');
		await waitFor(() => !existsSync(temporary), {timeoutMs: 3_000, what: 'the {mcp-config} directory removed'});
	});

	it('when the launcher is killed outright (TerminateProcess), the tree and the temp directory go with it', async () => {
		const state = path.join(dir, 'launcher-state.json');
		const port = await freePort();
		const launcher = spawn(process.execPath, [path.join(import.meta.dirname, 'launcher.mjs'), state, String(port), jobHelper(), fixture('win-tree-server.js')], {stdio: 'ignore'});
		const {pids, temporary} = await waitFor(() => existsSync(state) && JSON.parse(readFileSync(state, 'utf8')) as {pids: Pids; temporary: string}, {timeoutMs: 20_000, what: 'the launcher\'s tree'});
		after(() => launcher.kill());
		assert.ok(treePids(pids).every(pid => alive(pid)));
		launcher.kill('SIGKILL');
		await assertGone(pids, 'launcher killed');
		await waitFor(() => !existsSync(temporary), {timeoutMs: 3_000, what: 'the {mcp-config} directory removed'});
	});

	it('a graceful stop reaches the server as SIGBREAK (CTRL_BREAK_EVENT to its group)', {skip: underWine && 'Wine 8 does not deliver CTRL_BREAK_EVENT'}, async () => {
		const {tree, pids, report} = await startTreeServer('break');
		const result = await tree.stop(5_000);
		assert.equal(result.step, 'graceful');
		assert.ok(existsSync(`${report}.break`), 'the server saw SIGBREAK');
		assert.equal((await tree.exited).code, 21);
		await assertGone(pids, 'graceful stop');
		await tree.dispose();
	});
});

describe('win32 without the job helper (the fallback)', () => {
	it('says so once, and still runs the command and passes its exit code', async () => {
		const fallback = createWin32Os({jobHelper: false});
		assert.match(fallback.degraded ?? '', /job helper .* is missing: .*taskkill/);
		const tree = fallback.spawnTree(spawnOptions(nodeCommand('-e', 'process.exit(5)')));
		tree.release();
		assert.equal((await tree.exited).code, 5);
		await tree.dispose();
	});
});

describe('a job helper that is not there', () => {
	it('is a spawn error in exited, never a throw', async () => {
		const missing = createWin32Os({jobHelper: path.join(dir, 'no-such-helper.exe')});
		const tree = missing.spawnTree(spawnOptions('exit 0'));
		const exit = await tree.exited;
		assert.match(exit.spawnError ?? '', /ENOENT/);
		assert.equal(await tree.isGone(), true);
		await tree.dispose();
	});
});
