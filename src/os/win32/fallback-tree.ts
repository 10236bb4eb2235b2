import {execFile, spawn, type ChildProcess} from 'node:child_process';
import {PassThrough} from 'node:stream';
import {stopTree} from '../stop-tree.js';
import type {Listener, ProcessTree, SpawnTreeOptions, TreeExit} from '../types.js';

/** Where Windows' own tools are: by full path, never looked up in the current directory. */
export type Win32Tools = {comspec: string; taskkill: string; node: string};

/**
 * The guardian without the job helper: a detached node process reading a pipe. When the pipe
 * closes without `done` (mcp-launch died), it runs `taskkill /T /F` on each command and removes
 * the temporary directory. $1 is unused; lines: `pid N`, `tmp DIR`, `done`.
 */
const guardianScript = String.raw`const {execFileSync} = require('node:child_process');
const {rmSync} = require('node:fs');
const [taskkill] = process.argv.slice(1);
const pids = []; let tmp; let done = false; let rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => {
	const lines = (rest + chunk).split('\n'); rest = lines.pop();
	for (const line of lines) {
		const [verb, ...words] = line.trim().split(' ');
		if (verb === 'pid' && /^\d+$/.test(words[0])) pids.push(words[0]);
		else if (verb === 'tmp') tmp = words.join(' ');
		else if (verb === 'done') done = true;
	}
});
process.stdin.on('close', () => {
	if (done) return;
	for (const pid of pids) { try { execFileSync(taskkill, ['/T', '/F', '/PID', pid], {stdio: 'ignore', windowsHide: true}); } catch {} }
	if (tmp) rmSync(tmp, {recursive: true, force: true});
});`;

/**
 * The command without the job helper (not shipped for this machine, or removed): `cmd.exe`
 * started at release (there is no suspended start), ended with `taskkill /T /F`, which walks
 * parent pids: it races pid reuse and misses what left the tree (a detached grandchild whose
 * parent exited). No graceful step (CTRL_BREAK needs the helper's shared console group);
 * "gone" means cmd.exe has exited. The weaker mode is named once by the caller (Os.degraded).
 */
export function spawnFallbackTree(tools: Win32Tools, options: SpawnTreeOptions, listenersOf: (pids: readonly number[]) => Listener[]): ProcessTree {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	const guardian = spawn(tools.node, ['-e', guardianScript, tools.taskkill], {detached: true, stdio: ['pipe', 'ignore', 'ignore'], windowsHide: true});
	guardian.on('error', () => {});
	guardian.stdin!.on('error', () => {});
	guardian.unref();
	const tell = (line: string) => guardian.stdin!.writable && guardian.stdin!.write(`${line}\n`);
	let child: ChildProcess | undefined;
	let settleExit: (exit: TreeExit) => void = () => {};
	const exited = new Promise<TreeExit>(resolve => {
		settleExit = resolve;
	});
	const gone = () => child === undefined || child.exitCode !== null || child.signalCode !== null;
	const kill = () => {
		if (child?.pid !== undefined && !gone()) {
			execFile(tools.taskkill, ['/T', '/F', '/PID', String(child.pid)], {windowsHide: true}, () => {});
			child.kill();
		}
	};

	let start: () => void = () => {};
	const started = new Promise<void>(resolve => {
		start = resolve;
	});
	const tree: ProcessTree = {
		get pid() {
			return child?.pid;
		},
		started,
		stdout,
		stderr,
		exited,
		release() {
			child = spawn(tools.comspec, ['/d', '/v:off', '/s', '/c', `"${options.command}"`], {cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true, windowsVerbatimArguments: true});
			tell(`pid ${child.pid ?? ''}`);
			child.stdout!.pipe(stdout);
			child.stderr!.pipe(stderr);
			child.once('error', error => settleExit({code: undefined, signal: undefined, spawnError: error.message}));
			child.once('exit', (code, signal) => settleExit({code: code ?? undefined, signal: signal ?? undefined}));
			start();
		},
		stopGracefully: kill,
		killTree: kill,
		async isGone() {
			return gone();
		},
		gone: exited.then(() => {}),
		async listeners() {
			return gone() || child?.pid === undefined ? [] : listenersOf([child.pid]);
		},
		async stop(graceMs) {
			return stopTree(tree, graceMs, exited);
		},
		removeOnOrphan(directory) {
			tell(`tmp ${directory}`);
		},
		async dispose() {
			if (child === undefined) {
				stdout.end();
				stderr.end();
				settleExit({code: undefined, signal: undefined, spawnError: 'never released'});
			}

			tell('done');
			guardian.stdin!.end();
		},
	};
	return tree;
}
