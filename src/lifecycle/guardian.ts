import {spawn} from 'node:child_process';

/**
 * The guardian: a tiny /bin/sh process, in a session of its own, that reads commands on a
 * pipe from mcp-launch. When the pipe closes without `done` (mcp-launch was SIGKILLed or
 * crashed: Node runs no code then), it ends the client and the server's process group:
 * SIGTERM, then SIGKILL once the grace period is over, and removes the private temporary
 * directory of a generated client config. It ignores INT/TERM/HUP so that
 * signals aimed at mcp-launch's terminal or group cannot take it away first.
 *
 * $1 = the server's process group id, $2 = the grace period in tenths of a second.
 */
const script = String.raw`trap '' INT TERM HUP
client=
tmp=
while read -r verb arg; do
	case $verb in
		client) client=$arg ;;
		tmp) tmp=$arg ;;
		done) exit 0 ;;
	esac
done
[ -n "$client" ] && kill -TERM "$client" 2>/dev/null
kill -TERM -"$1" 2>/dev/null
[ -n "$tmp" ] && rm -rf -- "$tmp"
i=0
while [ "$i" -lt "$2" ] && { kill -0 -"$1" || { [ -n "$client" ] && kill -0 "$client"; }; } 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
kill -KILL -"$1" 2>/dev/null
[ -n "$client" ] && kill -KILL "$client" 2>/dev/null
exit 0`;

export type Guardian = {
	readonly pid: number | undefined;
	/** Tell the guardian which client pid to end too if mcp-launch dies (undefined: none). */
	setClient(pid: number | undefined): void;
	/** A private temporary directory to remove too if mcp-launch dies. */
	setTempDir(path: string): void;
	/** Normal teardown is done: the guardian exits without touching anything. */
	dismiss(): void;
};

/** A guardian for nothing: no process was spawned. */
export const inertGuardian: Guardian = {pid: undefined, setClient() {}, setTempDir() {}, dismiss() {}};

export function startGuardian(pgid: number, killTimeoutMs: number): Guardian {
	if (!Number.isInteger(pgid) || pgid <= 1) {
		return inertGuardian; // Nothing was spawned; and never let a bad id become kill(-1).
	}

	const child = spawn('/bin/sh', ['-c', script, 'mcp-launch-guardian', String(pgid), String(Math.ceil(killTimeoutMs / 100))], {
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
		setClient(pid) {
			send(`client ${pid ?? ''}`);
		},
		setTempDir(path) {
			send(`tmp ${path}`);
		},
		dismiss() {
			send('done');
			input.end();
		},
	};
}
