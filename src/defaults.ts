/**
 * Every default in one place: the yargs definition and the library both read these,
 * so `--help` can never drift from what `launch()` does.
 */
export const defaults = {
	url: 'http://127.0.0.1:3000/mcp',
	/** The URL of a server given `--port` and no `--url`. */
	portUrl: 'http://127.0.0.1:{port}/mcp',
	/** Readiness budget. */
	timeoutMs: 30_000,
	/** Grace between SIGTERM and SIGKILL at teardown. */
	killTimeoutMs: 5_000,
	/** How many recent server output lines are kept for error messages. */
	tailLines: 40,
	/** What a server death while the client runs does: warn, or exit (end the client, exit 125). */
	onServerExit: 'warn',
	/** How readiness is judged. */
	probe: 'http',
	logLevel: 'info',
	logFormat: 'pretty',
	/** doctor --server: how long to let the server boot before checking. */
	doctorBootMs: 10_000,
	/** doctor: the bound of each probe. */
	doctorProbeTimeoutMs: 2_000,
} as const;

/**
 * Bounds of the checks around the gate. Loopback answers within a millisecond, so each is
 * short: they sit on the way to the client (or to the report) and must never hold it up.
 */
export const bounds = {
	/** Each pre-flight probe of a server's port. */
	preflightMs: 500,
	/** Each per-address check after the gate opened (address family, Host check). */
	answerCheckMs: 500,
	/** After a 404 with no path announced yet: how long the server may take to say where it serves MCP (it often does a line later). */
	announceWaitMs: 300,
	/** Each per-address probe of a timeout report, taken after --timeout ran out. */
	reportProbeMs: 300,
	/** How long a dead server's pipes may drain so its last words are in the message. */
	drainMs: 250,
	/** How many of the server's last lines a failure message shows. */
	shownLines: 15,
} as const;

/**
 * `--restart on-failure[:N]`: Docker's schedule. The first restart waits 100 ms, each next one
 * twice as long (capped); a generation that stayed up 10 s starts the count and the delay over.
 */
export const restartBackoff = {
	/** N of a bare `on-failure`: restarts in a row before mcp-launch gives up on the server. */
	defaultMaxRestarts: 5,
	firstDelayMs: 100,
	factor: 2,
	maxDelayMs: 10_000,
	resetAfterMs: 10_000,
} as const;

/** The front door (`--watch`, `--restart`): see src/front-door/. */
export const frontDoor = {
	/** `--watch`: a change is acted on once the files were quiet this long (an editor's save is a burst of events). */
	quietMs: 10,
	/** ... or after this long, if events never stop (a build writing a tree). */
	maxQuietWaitMs: 300,
	/** Names never watched, at any depth. Editors' swap and backup files are ignored too (watch.ts). */
	ignoredNames: ['.git', 'node_modules', '__pycache__', '.venv'],
	/** A request body larger than this is refused (413); MCP messages are small JSON. */
	maxBodyBytes: 16 * 1024 * 1024,
	/** An initialize answer read whole (to map its session and advertise listChanged) is at most this big. */
	maxInitAnswerBytes: 1024 * 1024,
	/** Client sessions remembered; the least recently used goes first. */
	maxSessions: 256,
	/** Sessions replayed to a new generation before it takes traffic (the most recently used); the others on their next request. */
	eagerReplays: 16,
	/** A comment line on each client event stream this often, so an idle stream is never timed out. */
	keepAliveMs: 15_000,
} as const;

/**
 * The readiness backoff. A refused probe on loopback is one TCP connect (a fraction of a
 * millisecond of CPU), so the schedule starts almost at once and stays short while servers
 * usually come up; after `slowAfterMs` without an answer it stretches, so a long silent boot
 * costs little CPU. Server output triggers an extra probe at once in either phase
 * (see wait-until-ready.ts). Figures behind these numbers: BENCHMARKS.md.
 */
export const backoff = {
	/** Delay after the first failed probe. */
	minTimeoutMs: 5,
	factor: 1.5,
	/** Longest delay between two probes in the first phase (a silent server is seen within ~10 ms of listen()). */
	maxTimeoutMs: 10,
	/**
	 * When the second phase starts, counted from the start of the wait. Most servers are up (or
	 * print, which wakes a probe at once) well before; a silent one that boots longer costs up
	 * to slowMaxTimeoutMs of latency, and far less CPU while it boots (BENCHMARKS.md).
	 */
	slowAfterMs: 3_000,
	/** Longest delay between two probes in the second phase. */
	slowMaxTimeoutMs: 100,
	/** One probe may take at most this long (a server that accepts but never answers). */
	probeTimeoutMs: 2_000,
} as const;
