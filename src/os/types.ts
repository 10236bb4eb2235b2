/**
 * The OS seam (a proposal; win32 implements it now, procfs and lsof move behind it next):
 * everything mcp-launch asks of the operating system about processes and sockets, in one
 * interface with one implementation per platform. Lifecycle code and diagnosis ask it; neither
 * reads /proc, runs lsof or netstat, or checks `process.platform` itself.
 *
 * | operation           | procfs (Linux)                   | lsof (macOS)          | win32                              |
 * | ------------------- | -------------------------------- | --------------------- | ---------------------------------- |
 * | spawn held, release | sh waits for a stdin line; setsid | same                 | job helper: suspended, `go`        |
 * | stop gracefully     | SIGTERM to the group             | same                  | CTRL_BREAK to the group            |
 * | kill the tree       | SIGKILL to the group             | same                  | TerminateJobObject                 |
 * | is it gone          | kill(-g, 0), zombies via /proc   | zombies via lsof -g   | the job's active process count = 0 |
 * | listeners, owners   | /proc/net/tcp + /proc/PID/fd     | lsof -iTCP -sTCP:LISTEN | netstat -ano -p TCP (LISTENING)  |
 * | foreground          | tpgid = pgrp (/proc/self/stat)   | stdin is a TTY        | stdin is a TTY                     |
 * | if the launcher dies | a /bin/sh guardian on a pipe    | same                  | the kernel (KILL_ON_JOB_CLOSE)     |
 */
import type {Readable} from 'node:stream';

/** Which implementation: Linux's /proc, macOS's lsof, or Windows' Job Objects and netstat. */
export type OsName = 'procfs' | 'lsof' | 'win32';

/** A TCP socket in LISTEN state, and the process that owns it when that can be found out. */
export type OsListener = {
	/** The bound address: `127.0.0.1`, `::1`, `0.0.0.0`, `::`. */
	address: string;
	port: number;
	family: 4 | 6;
	/** The owning process, when the OS tells. */
	pid?: number;
	/** Its command line (or executable name), when the OS tells. */
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
};

/**
 * A command started held, in a tree the OS can end as a whole: its own process group (so a
 * Ctrl-C on the terminal never reaches it) and, on win32, its own Job Object. Stdin is the null
 * device; stdout and stderr are pipes the caller reads.
 */
export type ProcessTree = {
	/** The top process (sh, or cmd.exe): the group id on Unix; known once `started` resolved. */
	readonly pid: number | undefined;
	/** Resolves once the held process exists (its pid is known), or with a spawn error. */
	readonly started: Promise<void>;
	readonly stdout: Readable;
	readonly stderr: Readable;
	/** Resolves when the top process exits (its descendants may live on). */
	readonly exited: Promise<TreeExit>;
	/** Let the command run; until then it has run nothing, and never will if the launcher dies. */
	release(): void;
	/** Ask the whole tree to stop (SIGTERM to the group; CTRL_BREAK_EVENT to the group). */
	stopGracefully(): void;
	/** End the whole tree now (SIGKILL to the group; TerminateJobObject). */
	killTree(): void;
	/** Whether no member of the tree runs any more (zombies do not count). */
	isGone(): Promise<boolean>;
	/** The live members' pids (for "which ports does the tree listen on"). */
	members(): Promise<number[]>;
	/** Graceful stop, then kill after `graceMs` (0: kill at once); resolves once the tree is gone (bounded). */
	stop(graceMs: number): Promise<StopResult>;
	/** A private temporary directory to remove if the launcher dies (the `{mcp-config}` directory). */
	removeOnOrphan(directory: string): void;
	/**
	 * The launcher is done with the tree (stopped or not): drop the control channel. What was not
	 * stopped ends now (win32: the helper ends the job when its stdin closes). Resolves once the
	 * controlling process (the job helper) has exited.
	 */
	dispose(): Promise<void>;
};

/** One implementation per platform; everything else asks this. */
export type Os = {
	readonly name: OsName;
	/** Start a command held (see {@link ProcessTree}). Never throws: a failure shows in `exited`. */
	spawnTree(options: SpawnTreeOptions): ProcessTree;
	/** Every LISTEN socket on a port, with owners where the OS tells (empty: none, or unknown). */
	listeners(port: number): Promise<OsListener[]>;
	/** The LISTEN sockets owned by these processes (a tree's members). */
	listenersOf(pids: readonly number[]): Promise<OsListener[]>;
	/** Whether a Ctrl-C typed on the terminal reached the client directly (so it is not forwarded again). */
	inTerminalForeground(stdinIsTty: boolean): boolean;
	/** A one-time note about a weaker mode in use (win32 without its job helper), else undefined. */
	readonly degraded: string | undefined;
};
