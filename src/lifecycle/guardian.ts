import {spawn} from 'node:child_process';

/**
 * The guardian: one tiny /bin/sh process per launch, in a session of its own, started before
 * anything it guards, that reads commands on a pipe from mcp-launch. When the pipe closes
 * without `done` (mcp-launch was SIGKILLed or crashed: Node runs no code then), it ends
 * everything it was told about: SIGTERM to each server's process group and to the client and
 * every descendant the client has then (found through /proc: the client shares mcp-launch's
 * group, so it cannot be reached as a group), removes the private temporary directory of a
 * generated client config, and SIGKILLs what is left once the grace period is over. It
 * ignores INT/TERM/HUP so that signals aimed at mcp-launch's terminal or group cannot take
 * it away first.
 *
 * The grace is timed by one `sleep` started with it, not counted in polls: each poll costs a
 * fork and an exec on top of its 100 ms, and on a loaded machine five polls took far longer
 * than the half second they stood for. (The timer inherits the ignored TERM: SIGKILL ends it.)
 *
 * $1 = the grace period in seconds (`0.500`; `0`: none; a `grace` line changes it); $2 = mcp-launch's pid (to tell whose guardian it is in `ps`). (`${'$'}{` is how a template literal writes `${`.)
 */
const script = String.raw`trap '' INT TERM HUP
grace=$1
groups=
client=
tmp=
while read -r verb arg; do
	case $verb in
		group) groups="$groups $arg" ;;
		client) client=$arg ;;
		tmp) tmp=$arg ;;
		grace) grace=$arg ;;
		done) exit 0 ;;
	esac
done
tree=
if [ -n "$client" ] && [ -d /proc/1 ]; then
	table=$(for f in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$f" || continue
		rest=${'$'}{line##*) }
		set -- $rest
		echo "${'$'}{line%% *} $2"
	done)
	tree=" $client "
	changed=1
	while [ -n "$changed" ]; do
		changed=
		for entry in $(printf '%s\n' "$table" | tr ' ' ':'); do
			pid=${'$'}{entry%:*}
			ppid=${'$'}{entry#*:}
			case $tree in *" $ppid "*) case $tree in *" $pid "*) ;; *) tree="$tree$pid "; changed=1 ;; esac ;; esac
		done
	done
elif [ -n "$client" ]; then
	tree=$client
fi
for g in $groups; do kill -TERM -"$g" 2>/dev/null; done
for p in $tree; do kill -TERM "$p" 2>/dev/null; done
[ -n "$tmp" ] && rm -rf -- "$tmp"
alive() {
	for g in $groups; do kill -0 -"$g" 2>/dev/null && return 0; done
	for p in $tree; do kill -0 "$p" 2>/dev/null && return 0; done
	return 1
}
if [ "$grace" != 0 ]; then
	sleep "$grace" &
	timer=$!
	while kill -0 "$timer" 2>/dev/null && alive; do sleep 0.1; done
	kill -KILL "$timer" 2>/dev/null
fi
for g in $groups; do kill -KILL -"$g" 2>/dev/null; done
for p in $tree; do kill -KILL "$p" 2>/dev/null; done
exit 0`;

export type Guardian = {
	readonly pid: number | undefined;
	/** A server's process group to end if mcp-launch dies. */
	addGroup(pgid: number): void;
	/** The client pid (its descendants are found when needed) to end too if mcp-launch dies; undefined: none. */
	setClient(pid: number | undefined): void;
	/** A private temporary directory to remove too if mcp-launch dies. */
	setTempDir(path: string): void;
	/** The grace between SIGTERM and SIGKILL, when it is not the one the guardian was started with. */
	setGrace(killTimeoutMs: number): void;
	/** Normal teardown is done: the guardian exits without touching anything. */
	dismiss(): void;
};

/** A guardian for nothing: no process was spawned. */
export const inertGuardian: Guardian = {pid: undefined, addGroup() {}, setClient() {}, setTempDir() {}, setGrace() {}, dismiss() {}};

/** A grace for sleep(1): `0.500`, or `0` for none. */
const seconds = (ms: number): string => (ms > 0 ? (ms / 1000).toFixed(3) : '0');

/**
 * Start the guardian. Every line written to it lands in its pipe at once (a synchronous pipe
 * write), so what it was told survives a SIGKILL of mcp-launch right after.
 */
export function startGuardian(killTimeoutMs: number): Guardian {
	const child = spawn('/bin/sh', ['-c', script, 'mcp-launch-guardian', seconds(killTimeoutMs), String(process.pid)], {
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
		addGroup(pgid) {
			// Never let a bad id become kill(-1) or kill(0).
			if (Number.isInteger(pgid) && pgid > 1) {
				send(`group ${pgid}`);
			}
		},
		setClient(pid) {
			send(`client ${pid ?? ''}`);
		},
		setTempDir(path) {
			send(`tmp ${path}`);
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
