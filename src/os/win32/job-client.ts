import {spawn} from 'node:child_process';
import type {Readable} from 'node:stream';
import {notStarted} from '../posix/run-client.js';
import type {ClientExit, RunningClient} from '../types.js';
import {batchCommand, commandLine} from './argv-quote.js';
import {findWindowsExecutable, isBatchFile, isFile} from './find-executable.js';
import {readLines} from './job-tree.js';

/**
 * The client as CreateProcess takes it: the program found by PATH and PATHEXT (a batch file runs
 * through cmd.exe, its arguments quoted for it) and the whole command line, `"<program>" <args>`.
 */
export function clientCommandLine(argv: readonly [string, ...string[]], options: {cwd: string; env: Record<string, string | undefined>; comspec: string}): {program: string; args: string; line: string} | undefined {
	const found = findWindowsExecutable(argv[0], {path: options.env.PATH ?? options.env.Path, pathext: options.env.PATHEXT, cwd: options.cwd, isFile});
	if (found === undefined) {
		return undefined;
	}

	const batch = isBatchFile(found) ? batchCommand(found, argv.slice(1)) : undefined;
	if (isBatchFile(found) && batch === undefined) {
		return undefined;
	}

	const program = batch ? options.comspec : found;
	const args = batch ? batch.join(' ') : commandLine(argv.slice(1));
	return {program, args, line: `${commandLine([program])} ${args}`.trimEnd()};
}

/**
 * The client on Windows: run by the job helper in client mode (job-helper.c), in a Job Object
 * of its own, so its whole tree ends when it exits (or when mcp-launch dies: the helper is not
 * detached, and dies with it). It shares mcp-launch's console and stdio: a Ctrl-C typed there
 * reaches it. Held until release() (the helper starts it suspended). Control lines go to the
 * helper's fd 4 (its stdin is the client's), answers come on fd 3.
 */
export function spawnJobClient(helper: string, argv: readonly [string, ...string[]], options: {cwd: string; env: Record<string, string | undefined>; comspec: string}): RunningClient {
	const command = clientCommandLine(argv, options);
	if (command === undefined) {
		return notStarted(Object.assign(new Error(`spawn ${argv[0]} ENOENT`), {code: 'ENOENT'}));
	}

	const child = spawn(helper, ['--client', command.line], {cwd: options.cwd, env: options.env, stdio: ['inherit', 'inherit', 'inherit', 'pipe', 'pipe'], windowsHide: true});
	const control = child.stdio[4] as NodeJS.WritableStream | null;
	control?.on('error', () => {});
	const send = (text: string) => control?.write(`${text}\n`);
	let held = true;
	let done = false;
	let spawnError: ClientExit['spawnError'];
	readLines(child.stdio[3] as Readable | null, text => {
		const [verb, what, code] = text.trim().split(' ');
		if (verb === 'error') {
			const notFound = code === '2' || code === '3';
			spawnError = {code: notFound ? 'ENOENT' : 'EACCES', message: `the job helper could not ${what ?? 'start'} the client (Windows error ${code ?? '?'})`};
		}
	});
	const exited = new Promise<ClientExit>(resolve => {
		child.once('error', (error: NodeJS.ErrnoException) => {
			done = true;
			resolve({exitCode: 126, code: undefined, signal: undefined, spawnError: {code: error.code ?? 'EACCES', message: error.message}});
		});
		child.once('close', code => {
			done = true;
			resolve(spawnError
				? {exitCode: spawnError.code === 'ENOENT' ? 127 : 126, code: undefined, signal: undefined, spawnError}
				: {exitCode: code ?? 1, code: code ?? undefined, signal: undefined});
		});
	});
	return {
		get pid() {
			return child.pid;
		},
		exited,
		release() {
			held = false;
			send('go');
		},
		cancel() {
			held = false;
			control?.end(); // The helper ends the job: the suspended client never ran.
		},
		waiting: () => held && !done,
		kill() {
			send('kill'); // No signals on Windows: the job ends (a Ctrl-C typed on the console reached it already).
		},
		async reap(graceMs) {
			// The helper ends the client's job as the client exits, then exits itself.
			let timer: NodeJS.Timeout | undefined;
			const ended = await Promise.race([exited.then(() => true), new Promise<boolean>(resolve => {
				timer = setTimeout(() => resolve(false), graceMs + 2_000);
			})]);
			clearTimeout(timer);
			return ended;
		},
	};
}
