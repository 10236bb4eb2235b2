import {type ChildProcess, spawn} from 'node:child_process';

/** What the server's shell runs before the command: wait for the go, then stdin is /dev/null. */
export const heldShellPrefix = 'read -r _ || exit 0; exec </dev/null\n';

/** What a held shell is made of: compared as a whole when an early spawn is adopted. */
export type HeldShellSpec = {command: string; cwd: string; env: Record<string, string | undefined>};

/**
 * The server's shell, in a session and process group of its own (so a Ctrl-C on the terminal
 * never reaches it, and teardown reaches all of it), held: it waits for a line on stdin before
 * it runs the command, so the command cannot start before the guardian knows its group
 * (release is written once it does): if mcp-launch dies before that, the read sees EOF and
 * nothing was started. Then stdin is /dev/null, as the server's stdin always is.
 */
export function spawnHeldShell({command, cwd, env}: HeldShellSpec): ChildProcess {
	const subprocess = spawn('/bin/sh', ['-c', `${heldShellPrefix}${command}`], {
		detached: true,
		cwd,
		env,
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	subprocess.stdin?.on('error', () => {}); // EPIPE: the shell is gone already (bad cwd, killed).
	return subprocess;
}
