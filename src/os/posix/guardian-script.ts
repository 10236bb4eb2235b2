/**
 * The guardian's /bin/sh program (see guardian.ts for the Node side). It reads lines on its
 * stdin, a pipe only mcp-launch holds:
 *
 *   group <pgid>     a server's process group to end if mcp-launch dies
 *   ungroup <pgid>   that group is gone (emptied while the client ran): never signal it again
 *   client <pid>     the client (its descendants are found when needed); `client ` alone: none
 *   tmp <dir>        the private {mcp-config} directory to remove
 *   grace <seconds>  the grace between SIGTERM and SIGKILL (`0.500`; `0`: none), when not $1's
 *   done             teardown is over: exit touching nothing
 *
 * When the pipe closes without `done` (mcp-launch was SIGKILLed or crashed: Node runs no code
 * then), it sends SIGTERM to every group, removes the directory, finds the client's descendants
 * and sends them SIGTERM, then waits up to the grace period while anything is left (checked every
 * 100 ms), and SIGKILLs what is. The grace is timed by one `sleep` started then, not counted in
 * polls: each poll costs a fork and an exec on top of its 100 ms, and on a loaded machine five
 * polls took far longer than the half second they stood for (the timer inherits the ignored
 * TERM: SIGKILL ends it). The groups come first, the walk after. The walk follows
 * /proc/PID/task/TID/children from the client, so it costs the size of the client's tree; where
 * the kernel has no such files it reads every process's parent from /proc/PID/stat, which costs
 * about a second per thousand processes in sh (bench/guardian.js).
 *
 * It trusts nothing it reads, even from mcp-launch (which validates too): a line that is not
 * exactly one of the forms above is ignored. An id is digits only, never 0 or 1 and never with a
 * leading zero, so `kill -- -1` (every process of the user) and `kill 0` (its own group) cannot
 * be written; a directory is absolute and named like mkdtemp's result (`…/mcp-launch-XXXXXX`, no
 * `.` or `..` component), and is removed only if it is still a directory, not a symlink, owned by
 * this user. A group or pid found gone is dropped, so it is never signalled again (its id may
 * be reused). It ignores INT/TERM/HUP so that signals aimed at mcp-launch's terminal or group
 * cannot take it away first.
 *
 * $1 = the grace period in seconds (`0.500`; `0`: none); $2 = mcp-launch's pid (to tell whose guardian it is
 * in `ps`). (`${'$'}{` is how a template literal writes `${`.)
 */
export const guardianScript = String.raw`trap '' INT TERM HUP
grace=$1
groups=
client=
tmp=
id() {
	case $1 in
		'' | 0* | 1 | *[!0-9]*) return 1 ;;
	esac
	return 0
}
while IFS= read -r line; do
	case $line in
		'group '*)
			g=${'$'}{line#group }
			id "$g" && groups="$groups $g" ;;
		'ungroup '*)
			g=${'$'}{line#ungroup }
			left=
			for h in $groups; do [ "$h" = "$g" ] || left="$left $h"; done
			groups=$left ;;
		'client ')
			client= ;;
		'client '*)
			p=${'$'}{line#client }
			id "$p" && client=$p ;;
		'tmp '*)
			d=${'$'}{line#tmp }
			case $d in
				*/./* | */../* | *//*) ;;
				/*) case ${'$'}{d##*/} in mcp-launch-??????) tmp=$d ;; esac ;;
			esac ;;
		'grace '*)
			grace=${'$'}{line#grace } ;;
		done) exit 0 ;;
	esac
done
# Seconds with at most three decimals, else the default 5 (never a word sleep(1) would misread).
case $grace in
	'' | *[!0-9.]* | *.*.* | .* | *.) grace=5 ;;
esac
for g in $groups; do kill -TERM -"$g" 2>/dev/null; done
if [ -n "$tmp" ] && [ -d "$tmp" ] && [ ! -h "$tmp" ] && [ -O "$tmp" ]; then
	rm -rf -- "$tmp"
fi
tree=
if [ -n "$client" ] && [ -e "/proc/$$/task/$$/children" ]; then
	# Each process's children, from /proc/PID/task/TID/children: costs the tree's size only.
	queue=$client
	while [ -n "$queue" ]; do
		next=
		for p in $queue; do
			case "$tree " in *" $p "*) continue ;; esac
			tree="$tree $p"
			for c in /proc/"$p"/task/*/children; do
				kids=
				{ read -r kids <"$c"; } 2>/dev/null
				next="$next $kids"
			done
		done
		queue=$next
	done
elif [ -n "$client" ] && [ -d /proc/1 ]; then
	# No children files (a kernel without CONFIG_PROC_CHILDREN): every process's parent, from its stat.
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
for p in $tree; do id "$p" && kill -TERM "$p" 2>/dev/null; done
# Drops what is gone (never signalled again), and says whether anything is left.
alive() {
	left=
	for g in $groups; do kill -0 -"$g" 2>/dev/null && left="$left $g"; done
	groups=$left
	left=
	for p in $tree; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
	tree=$left
	[ -n "$groups$tree" ]
}
if [ "$grace" != 0 ]; then
	sleep "$grace" &
	timer=$!
	while kill -0 "$timer" 2>/dev/null && alive; do sleep 0.1; done
	kill -KILL "$timer" 2>/dev/null
fi
alive || exit 0
for g in $groups; do kill -KILL -"$g" 2>/dev/null; done
for p in $tree; do id "$p" && kill -KILL "$p" 2>/dev/null; done
exit 0`;
