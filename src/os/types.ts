/**
 * The OS seam: everything mcp-launch asks of the operating system about processes and
 * sockets, in one interface with one implementation per platform. Lifecycle code and
 * diagnosis ask it; nothing outside src/os/ reads /proc, runs lsof or netstat, signals a
 * process group or checks `process.platform`.
 *
 * | operation            | procfs (Linux)                    | lsof (macOS)            | win32                              |
 * | -------------------- | --------------------------------- | ----------------------- | ---------------------------------- |
 * | spawn held, release  | sh waits for a stdin line; setsid | same                    | job helper: suspended, `go`        |
 * | stop gracefully      | SIGTERM to the group              | same                    | CTRL_BREAK to the group            |
 * | kill the tree        | SIGKILL to the group              | same                    | TerminateJobObject                 |
 * | is it gone           | kill(-g, 0), zombies via /proc    | zombies via lsof -g     | the job's active process count = 0 |
 * | listeners, owners    | /proc/net/tcp + /proc/PID/fd      | lsof -iTCP -sTCP:LISTEN | netstat -ano (LISTEN rows)         |
 * | the client's tree    | descendants by parent (/proc)     | the client alone        | a second job (the helper's client mode) |
 * | foreground           | tpgid = pgrp (/proc/self/stat)    | stdin is a TTY          | stdin is a TTY                     |
 * | if the launcher dies | a /bin/sh guardian on a pipe      | same                    | the kernel (KILL_ON_JOB_CLOSE)     |
 *
 * Queries about sockets are synchronous: that is what /proc and lsof are (a read, one
 * execFileSync), the diagnosis rules take them as plain functions, and netstat is run the same
 * way. Questions to a running tree are asynchronous: win32 asks its job helper over a pipe.
 */
import type {ChildProcess} from 'node:child_process';
import type {Readable} from 'node:stream';

/** Which implementation: Linux's /proc, macOS's lsof, or Windows' Job Objects and netstat. */
export type OsName = 'procfs' | 'lsof' | 'win32';

/** A TCP socket in LISTEN state, and the process that owns it when that can be found out. */
export type Listener = {
	/** The bound address: `127.0.0.1`, `::1`, `0.0.0.0`, `::`, `::ffff:127.0.0.1`. */
	address: string;
	port: number;
	family: 4 | 6;
	/** The owning process (the lowest pid when several share the socket after a fork). */
	pid?: number;
	/** Its command line, arguments joined by spaces (an executable's name where that is all the OS tells). */
	command?: string;
};

/** How the top process of a tree ended. */
export type TreeExit = {
	/** Exit code, or undefined when it died of a signal (or could not start). */
	code: number | undefined;
	signal: string | undefined;
	/** Why it could not even be started (bad cwd, no shell, no helper). */
	spawnError?: string;
};

/** What a stop did: the last step it had to take, how long, and whether anything survived it. */
export type StopResult = {
	/** `graceful` (SIGTERM / CTRL_BREAK sufficed), `kill` (SIGKILL / TerminateJobObject), undefined: already gone. */
	step: 'graceful' | 'kill' | undefined;
	durationMs: number;
	/** Members still alive after the kill settled (never expected on win32: the kernel ends a job). */
	leftover: boolean;
};

export type SpawnTreeOptions = {
	/** A command line for the platform's shell (`/bin/sh -c`, `cmd.exe /d /s /c`), already filled. */
	command: string;
	cwd: string;
	env: Record<string, string | undefined>;
	/** Unix: a held shell the CLI spawned early for exactly this command, cwd and env (early-spawn.ts): it is used. */
	adopt?: ChildProcess | undefined;
};

/**
 * A command started held, in a tree the OS can end as a whole: its own process group (so a
 * Ctrl-C on the terminal never reaches it) and, on win32, its own Job Object. Stdin is the null
 * device; stdout and stderr are pipes the caller reads.
 */
export type ProcessTree = {
	/** The top process (sh, or cmd.exe): the group id on Unix; known once `started` resolved (at once on Unix). */
	readonly pid: number | undefined;
	/** Resolves once the held process exists (its pid is known), or with a spawn error. */
	readonly started: Promise<void>;
	readonly stdout: Readable;
	readonly stderr: Readable;
	/** Resolves when the top process exits (its descendants may live on). */
	readonly exited: Promise<TreeExit>;
	/**
	 * Resolves once the tree is known empty (Unix: the group's id may then be handed to an
	 * unrelated process, so nothing signals it any more; the guardian is told to forget it).
	 */
	readonly gone: Promise<void>;
	/** Let the command run; until then it has run nothing, and never will if the launcher dies. */
	release(): void;
	/** Ask the whole tree to stop (SIGTERM to the group; CTRL_BREAK_EVENT to the group). */
	stopGracefully(): void;
	/** End the whole tree now (SIGKILL to the group; TerminateJobObject). */
	killTree(): void;
	/** Whether no member of the tree runs any more (zombies do not count). */
	isGone(): Promise<boolean>;
	/** The LISTEN sockets of the tree's live members ("which ports does the server listen on"). */
	listeners(): Promise<Listener[]>;
	/** Graceful stop, then kill after `graceMs` (0: kill at once); resolves once the tree is gone (bounded). */
	stop(graceMs: number): Promise<StopResult>;
	/** A private temporary directory to remove if the launcher dies (the `{mcp-config}` directory; win32: by the helper). */
	removeOnOrphan(directory: string): void;
	/**
	 * The launcher is done with the tree: drop the control channel (win32: the helper ends the
	 * job when its stdin closes, then exits). Resolves once the controlling process has exited.
	 */
	dispose(): Promise<void>;
};

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

/** The client, started held in the foreground: argv verbatim, stdio inherited, its tree ended with it. */
export type RunningClient = {
	readonly pid: number | undefined;
	readonly exited: Promise<ClientExit>;
	/** Let the client run. */
	release(): void;
	/** The client is not wanted after all: it exits without running. */
	cancel(): void;
	/** True while it still waits for release() or cancel(). */
	waiting(): boolean;
	/** Send a signal to the client and every descendant it has now (win32: a graceful ask, then the job ends). */
	kill(signal: NodeJS.Signals): void;
	/**
	 * After the client exited: wait until every process that got a signal through kill() is
	 * gone, killing the rest after `graceMs`. True when nothing is left.
	 */
	reap(graceMs: number): Promise<boolean>;
};

/**
 * What ends the trees if mcp-launch dies (Node runs no code on SIGKILL): a /bin/sh guardian on
 * a pipe on Unix; on win32 the job helpers are their own guardians, so this only hands them the
 * temporary directory.
 */
export type Guardian = {
	readonly pid: number | undefined;
	/** A server's tree to end if mcp-launch dies; forgotten once `tree.gone` resolves. */
	addTree(tree: Pick<ProcessTree, 'pid' | 'gone' | 'removeOnOrphan'>): void;
	/** The client pid (its descendants are found when needed) to end too; undefined: none. */
	setClient(pid: number | undefined): void;
	/** The private temporary directory to remove too. Throws unless it is one mcp-launch made. */
	setTempDir(path: string): void;
	/** The grace between the graceful stop and the kill, when it is not the one the guardian was started with. */
	setGrace(killTimeoutMs: number): void;
	/** Normal teardown is done: the guardian exits without touching anything. */
	dismiss(): void;
};

/** Where a client command was found (or why not): 127 / 126 before anything starts. */
export type ExecutableCheck = {status: 'ok'; path: string} | {status: 'not-found'} | {status: 'not-executable'; path: string};

/** How a platform's stop steps are named in messages: SIGTERM / SIGKILL to a process group, or CTRL_BREAK / TerminateJobObject to a job. */
export type StopWords = {graceful: string; kill: string; tree: string};

/** One implementation per platform; everything else asks this. */
export type Os = {
	readonly name: OsName;
	readonly stopWords: StopWords;
	/** The shell a server command is written for: `/bin/sh -c`, or `cmd.exe /d /s /c` (placeholders follow its rules). */
	readonly shell: 'sh' | 'cmd';
	/** Find the client's program as the platform would (PATH; on Windows PATHEXT too, never the current directory). */
	findClient(command: string, options: {cwd: string; env: Record<string, string | undefined>}): ExecutableCheck;
	/** Whether listeners can be found at all here (false: an unsupported platform reached through the library). */
	readonly seesListeners: boolean;
	/** Start a command held (see {@link ProcessTree}). Never throws: a failure shows in `exited`. */
	spawnTree(options: SpawnTreeOptions): ProcessTree;
	/** Start the client held (see {@link RunningClient}). Never throws. */
	spawnClient(argv: readonly [string, ...string[]], options: {cwd: string; env: Record<string, string | undefined>}): RunningClient;
	/** Start the guardian for one launch. */
	startGuardian(killTimeoutMs: number): Guardian;
	/** Every LISTEN socket on a port, with owners where the OS tells (empty: none, or unknown). */
	listeners(port: number): Listener[];
	/** The LISTEN sockets of a process group's live members (`doctor --pgid`); win32 has no groups: empty. */
	groupListeners(pgid: number): Listener[];
	/** Whether a Ctrl-C typed on the terminal reached the client directly (so it is not forwarded again). */
	inTerminalForeground(stdinIsTty: boolean): boolean;
	/** A one-time note about a weaker mode in use (win32 without its job helper), else undefined. */
	readonly degraded: string | undefined;
};
