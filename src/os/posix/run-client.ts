import {spawn} from 'node:child_process';
import {signalExitCode} from '../../exit-codes.js';
import {pollUntil} from '../poll.js';
import type {ClientExit, RunningClient} from '../types.js';
import type {PosixEvidence, ProcessRef} from './evidence.js';

/**
 * The client starts as a tiny /bin/sh that waits for a line on fd 3 and then execs the client
 * (same pid, argv verbatim, signal handlers back to default at exec): so the guardian learns
 * the pid before the client can run, and if mcp-launch dies in between, the read sees EOF
 * and the client never starts.
 */
const stub = 'read -r _ <&3 || exit 0; exec 3<&-; exec "$@"';

/**
 * Run the client in the foreground: argv verbatim (no shell parses it), stdio inherited (it
 * owns the terminal), in mcp-launch's own process group so a Ctrl-C typed there reaches it
 * directly. It runs once release() is called.
 *
 * node:child_process, not execa: this spawn is on the critical path between "the server
 * answered" and "the client runs". execa's first call in a process measured 19-23 ms here
 * against 7-8 ms for child_process.spawn (whose code the server spawn has already warmed),
 * and all that is needed of it is an exit code, a signal and ENOENT/EACCES, below.
 */
export function runClient(argv: readonly [string, ...string[]], options: {cwd: string; env: Record<string, string | undefined>}, evidence: PosixEvidence): RunningClient {
	let subprocess: ReturnType<typeof spawn>;
	try {
		subprocess = spawn('/bin/sh', ['-c', stub, 'mcp-launch-client', ...argv], {cwd: options.cwd, env: options.env, stdio: ['inherit', 'inherit', 'inherit', 'pipe']});
	} catch (error) {
		// E2BIG is thrown, not emitted: the arguments and environment together exceed the system's limit.
		return notStarted(error as NodeJS.ErrnoException);
	}

	const go = subprocess.stdio[3] as NodeJS.WritableStream | null;
	go?.on('error', () => {});
	const exited = new Promise<ClientExit>(resolve => {
		subprocess.once('error', (error: NodeJS.ErrnoException) => {
			// Spawning failed (no 'exit' follows): 127 when not found, 126 when not executable.
			const code = error.code ?? 'EACCES';
			resolve({exitCode: code === 'ENOENT' ? 127 : 126, code: undefined, signal: undefined, spawnError: {code, message: error.message}});
		});
		subprocess.once('exit', (code, signal) => {
			resolve(signal
				? {exitCode: signalExitCode(signal), code: undefined, signal}
				: {exitCode: code ?? 1, code: code ?? undefined, signal: undefined});
		});
	});

	const signalled = new Map<number, ProcessRef>();
	const running = (ref: ProcessRef) => stillRunning(ref, evidence);
	const signalTree = (tree: readonly ProcessRef[], signal: NodeJS.Signals) => {
		for (const ref of tree.filter(running)) {
			try {
				process.kill(ref.pid, signal);
			} catch {}
		}
	};

	const treeGone = async (tree: readonly ProcessRef[], ms: number) => pollUntil(() => !tree.some(running), ms);
	let held = true;
	return {
		pid: subprocess.pid,
		exited,
		release() {
			held = false;
			go?.end('go\n');
		},
		cancel() {
			held = false;
			go?.end();
		},
		waiting: () => held && subprocess.exitCode === null && subprocess.signalCode === null,
		kill(signal) {
			if (subprocess.pid === undefined) {
				return;
			}

			// The client's children too (`sh -c 'node client.js; …'`): a terminal would reach them
			// as a group; here they are found by parent pid while the client is still there.
			for (const ref of subprocess.exitCode === null && subprocess.signalCode === null ? evidence.descendants(subprocess.pid) : []) {
				signalled.set(ref.pid, ref);
			}

			signalTree([...signalled.values()], signal);
		},
		async reap(graceMs) {
			const tree = [...signalled.values()];
			if (await treeGone(tree, graceMs)) {
				return true;
			}

			signalTree(tree, 'SIGKILL');
			return treeGone(tree, 2_000);
		},
	};
}

/** A client that could not even be forked: it exits at once with 126 and the reason. */
export function notStarted(error: NodeJS.ErrnoException): RunningClient {
	const spawnError = {code: error.code ?? 'EACCES', message: error.message};
	return {
		pid: undefined,
		exited: Promise.resolve({exitCode: 126, code: undefined, signal: undefined, spawnError}),
		release() {},
		cancel() {},
		waiting: () => false,
		kill() {},
		reap: async () => true,
	};
}

/** Whether the process is still the one that was looked at (same start time), and not a zombie. */
function stillRunning(ref: ProcessRef, evidence: PosixEvidence): boolean {
	try {
		process.kill(ref.pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}

	return ref.start === undefined ? true : evidence.startOf(ref.pid) === ref.start;
}
