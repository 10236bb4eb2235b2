import {spawn} from 'node:child_process';
import {constants} from 'node:os';

export type ClientExit = {
	/** The exit code mcp-launch passes on: the client's own, or 128+N when it died of signal N. */
	exitCode: number;
	/** The client's own exit code, when it exited normally. */
	code: number | undefined;
	/** The signal that ended the client, if any. */
	signal: string | undefined;
	/** Set when the client could not be started: ENOENT, EACCES, ... */
	spawnError?: {code: string; message: string};
};

export type RunningClient = {
	readonly pid: number | undefined;
	readonly exited: Promise<ClientExit>;
	kill(signal: NodeJS.Signals): void;
};

/** 128 + the signal's number, as shells report a death by signal. */
export function signalExitCode(signal: string): number {
	const number = (constants.signals as Record<string, number>)[signal];
	return 128 + (number ?? 15);
}

/**
 * Run the client in the foreground: argv verbatim (no shell), stdio inherited (it owns the
 * terminal), in mcp-launch's own process group so a Ctrl-C typed there reaches it directly.
 *
 * node:child_process, not execa: this spawn is on the critical path between "the server
 * answered" and "the client runs". execa's first call in a process measured 19-23 ms here
 * against 7-8 ms for child_process.spawn (whose code the server spawn has already warmed),
 * and all that is needed of it is an exit code, a signal and ENOENT/EACCES, below.
 */
export function runClient(argv: readonly [string, ...string[]], options: {cwd: string; env: Record<string, string | undefined>}): RunningClient {
	const [file, ...args] = argv;
	const subprocess = spawn(file, args, {cwd: options.cwd, env: options.env, stdio: 'inherit'});
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

	return {
		pid: subprocess.pid,
		exited,
		kill(signal) {
			if (subprocess.exitCode === null && subprocess.signalCode === null) {
				subprocess.kill(signal);
			}
		},
	};
}
