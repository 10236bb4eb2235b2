import {execFile, spawn} from 'node:child_process';
import {notStarted} from '../posix/run-client.js';
import type {ClientExit, RunningClient} from '../types.js';
import {clientCommandLine} from './job-client.js';

/**
 * The client without the job helper (the fallback): started at release with the command line
 * built as for the helper, stdio inherited; ended with `taskkill /T /F` (which walks parent pids
 * and misses what left the tree).
 */
export function runClientDirectly(argv: readonly [string, ...string[]], options: {cwd: string; env: Record<string, string | undefined>; comspec: string; taskkill: string}): RunningClient {
	const command = clientCommandLine(argv, options);
	if (command === undefined) {
		return notStarted(Object.assign(new Error(`spawn ${argv[0]} ENOENT`), {code: 'ENOENT'}));
	}

	let child: ReturnType<typeof spawn> | undefined;
	let settle: (exit: ClientExit) => void = () => {};
	const exited = new Promise<ClientExit>(resolve => {
		settle = resolve;
	});
	let held = true;
	return {
		get pid() {
			return child?.pid;
		},
		exited,
		release() {
			held = false;
			// The arguments as quoted for the program (verbatim), after the program's own quoted path.
			child = spawn(command.program, command.args === '' ? [] : [command.args], {argv0: `"${command.program}"`, cwd: options.cwd, env: options.env, stdio: 'inherit', windowsVerbatimArguments: true});
			child.once('error', (error: NodeJS.ErrnoException) => settle({exitCode: 126, code: undefined, signal: undefined, spawnError: {code: error.code ?? 'EACCES', message: error.message}}));
			child.once('exit', code => settle({exitCode: code ?? 1, code: code ?? undefined, signal: undefined}));
		},
		cancel() {
			held = false;
			settle({exitCode: 0, code: 0, signal: undefined});
		},
		waiting: () => held,
		kill() {
			if (child?.pid !== undefined) {
				execFile(options.taskkill, ['/T', '/F', '/PID', String(child.pid)], {windowsHide: true}, () => {});
			}
		},
		reap: async () => true,
	};
}
