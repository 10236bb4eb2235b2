import {spawn} from 'node:child_process';
import {lstatSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Guardian} from '../types.js';
import {guardianScript} from './guardian-script.js';

/**
 * The guardian exists because Node runs no code on SIGKILL: one tiny /bin/sh process per launch
 * (its program and line protocol: guardian-script.ts), in a session of its own, started before
 * anything it guards, told each server's process group, the client and the {mcp-config}
 * directory. Only ids and a directory mcp-launch created ever reach it: every value is checked
 * here before it is written (and the script checks again).
 */

/** A guardian for nothing: no process was spawned. */
export const inertGuardian: Guardian = {pid: undefined, addTree() {}, setClient() {}, setTempDir() {}, setGrace() {}, dismiss() {}};

/** A grace for sleep(1): `0.500`, or `0` for none. */
const seconds = (ms: number): string => (ms > 0 ? (ms / 1000).toFixed(3) : '0');

/** A process or group id the guardian may signal: an integer above 1 (never kill(-1), never kill(0)). */
export const isSignalableId = (id: number): boolean => Number.isSafeInteger(id) && id > 1;

/**
 * Whether `dir` is a directory mcp-launch made with mkdtemp for {mcp-config}: an absolute path
 * with no control character, right under the temp directory, named `mcp-launch-XXXXXX`, a real
 * directory (not a symlink) owned by this user with mode 0700.
 */
export function isOwnTempDir(dir: string, parent: string = tmpdir()): boolean {
	// eslint-disable-next-line no-control-regex
	if (!path.isAbsolute(dir) || /[\u0000-\u001F\u007F]/.test(dir) || path.dirname(dir) !== path.resolve(parent) || !/^mcp-launch-[A-Za-z\d]{6}$/.test(path.basename(dir))) {
		return false;
	}

	const stat = lstatSync(dir, {throwIfNoEntry: false});
	return stat !== undefined && stat.isDirectory() && stat.uid === process.geteuid?.() && (stat.mode & 0o777) === 0o700;
}

/**
 * Start the guardian. Every line written to it lands in its pipe at once (a synchronous pipe
 * write), so what it was told survives a SIGKILL of mcp-launch right after.
 */
export function startGuardian(killTimeoutMs: number): Guardian {
	const child = spawn('/bin/sh', ['-c', guardianScript, 'mcp-launch-guardian', seconds(killTimeoutMs), String(process.pid)], {
		detached: true,
		stdio: ['pipe', 'ignore', 'ignore'],
	});
	child.on('error', () => {}); // No /bin/sh: nothing to guard with; teardown still runs in-process.
	const input = child.stdin!;
	input.on('error', () => {}); // EPIPE if it is gone already.
	// Never keep a library user's process alive for the guardian's sake.
	child.unref();
	(input as unknown as {unref?: () => void}).unref?.();

	const send = (line: string) => {
		if (!input.destroyed && input.writable) {
			input.write(`${line}\n`);
		}
	};

	return {
		pid: child.pid,
		addTree({pid: pgid, gone}) {
			// Once the group is known empty (its id may then be reused by anyone), it is forgotten.
			if (pgid !== undefined && isSignalableId(pgid)) {
				send(`group ${pgid}`);
				void gone.then(() => {
					send(`ungroup ${pgid}`);
				});
			}
		},
		setClient(pid) {
			send(pid !== undefined && isSignalableId(pid) ? `client ${pid}` : 'client ');
		},
		setTempDir(dir) {
			if (!isOwnTempDir(dir)) {
				throw new Error(`refusing to hand the guardian \`${JSON.stringify(dir)}\`: not a private directory mcp-launch created`);
			}

			send(`tmp ${dir}`);
		},
		setGrace(ms) {
			send(`grace ${seconds(ms)}`);
		},
		dismiss() {
			send('done');
			input.end();
		},
	};
}
