import {constants} from 'node:os';
import {formatDuration} from '../duration.js';
import {describeReady} from '../readiness/describe-ready.js';
import type {ReadyInfo} from '../readiness/wait-until-ready.js';
import type {RestartDecision} from '../front-door/restart-policy.js';
import type {ServerExit} from '../server/spawn-server.js';
import type {StopWords} from '../os/types.js';
import type {ServerRecord} from './server-record.js';

/**
 * Every line the launcher itself writes about its servers and client, in one place. The
 * diagnosis texts (causes, evidence, fixes) live with their rules in diagnose/.
 */
export function describeExit(exit: ServerExit): string {
	if (exit.spawnError) {
		return `could not be started (${exit.spawnError})`;
	}

	return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** 128+N from the server's shell: its command died of signal N. */
function shellSignal(exit: ServerExit): string {
	const name = exit.code !== undefined && exit.code > 128 ? Object.entries(constants.signals).find(([, number]) => number === exit.code! - 128)?.[0] : undefined;
	return name ? ` (its command was killed by ${name})` : '';
}

/** `ready …` alone, `server "api" ready …` among several. */
const named = (record: ServerRecord, text: string) => (record.prefix === '' ? text : `${record.label} ${text}`);

export const messages = {
	started: (record: ServerRecord, pid: number) => `started ${record.label} (pid ${pid}): ${record.command}`,
	waiting: (record: ServerRecord) => `waiting for ${record.url.href}`,
	ready: (record: ServerRecord, ready: ReadyInfo, probe: string) => named(record, record.frontDoorUrl
		? `ready ${record.frontDoorUrl.href} (front door; the server on ${ready.url}: ${describeReady(ready, probe)})`
		: `ready ${ready.url} (${describeReady(ready, probe)})`),
	reused: (record: ServerRecord, status: number) => named(record, `reusing the server already answering at ${record.url.href} (${status}); it is left running`),
	headersWithheld: (record: ServerRecord, code: string) => `${record.url.href} answered, but its certificate could not be verified (${code}): the --header values were not sent to it. The client will verify the certificate itself (NODE_EXTRA_CA_CERTS adds a local CA); --insecure sends the headers anyway`,
	clientGets: (url: string) => `the client gets ${url}`,
	finding: (record: ServerRecord, message: string, fix: string | undefined) => `${record.prefix}${message}${fix ? `\nfix: ${fix}` : ''}`,
	hostCheckPassed: (record: ServerRecord, message: string, accepted: string) => `${record.prefix}${message}; it accepts ${new URL(accepted).host}: the client gets ${accepted}`,
	strict: (text: string) => `${text}\n(--strict turns this warning into a failure)`,
	exitedBeforeReady: (record: ServerRecord, exit: ServerExit, reason: string | undefined, fix: string, tail: string) => `${record.label} ${describeExit(exit)} before ${record.url.href} answered${reason ? `: ${reason}` : ''}\nfix: ${fix}\n${tail}`,
	interrupted: (signal: string, when: string) => `interrupted by ${signal} ${when}`,
	clientNotFound: (command: string) => `client command not found: ${command} (check the spelling, or that it is installed and on PATH)`,
	clientTooLong: (command: string) => `client command could not be run: ${command} (E2BIG: its arguments and environment together are over the system's limit)`,
	clientNotExecutable: (path: string) => `client command is not executable: ${path} (chmod +x it, or run it through its interpreter)`,
	diedWhileClientRuns: (record: ServerRecord, exit: ServerExit, last: readonly string[], ending: boolean) =>
		`${record.label} ${describeExit(exit)} while the client runs${last.length > 0 ? `; last stderr: ${last.join(' | ')}` : ''}${ending ? '; ending the client (--on-server-exit exit)' : ''}`,
	ignoredSigterm: (record: ServerRecord, killTimeoutMs: number, words: StopWords) => `${record.label} ignored ${words.graceful} for ${formatDuration(killTimeoutMs)}; killed it (${words.kill})`,
	survivedSigkill: (record: ServerRecord, pgid: number, words: StopWords) => `${record.label}: ${words.tree} ${pgid} survived ${words.kill}`,
	stopped: (record: ServerRecord, durationMs: number) => `${record.label} stopped in ${formatDuration(durationMs)}`,
	escaped: (record: ServerRecord, who: string) => `${record.label}: ${who} after its process group was stopped: a process left the group (setsid, a daemon), so mcp-launch could not stop it; stop it yourself, and keep the server in the foreground of its command`,
};

/** What the front door says (--watch, --restart): lines on stderr, and the errors a client's requests get. */
export const frontDoorTexts = {
	restarted: (record: ServerRecord, why: string, ms: number) => `${why}: ${record.label} restarted in ${formatDuration(ms)}`,
	changed: (files: readonly string[]) => `${files[0]}${files.length > 1 ? ` and ${files.length - 1} more` : ''} changed`,
	died: (exit: ServerExit, last: readonly string[]) => `${describeExit(exit)}${shellSignal(exit)}${last.length > 0 ? ` (last stderr: ${last.join(' | ')})` : ''}`,
	restartCount: (attempt: number, of: number) => `restart ${attempt} of ${of}`,
	/** After a death or a failed boot: what happens next, for the log and for the requests that fail meanwhile. */
	next: (decision: RestartDecision, watching: readonly string[] | undefined) => {
		if (decision.restart) {
			return `mcp-launch restarts it in ${formatDuration(decision.delayMs)} (--restart on-failure, restart ${decision.attempt} of ${decision.of})`;
		}

		const why = decision.why === 'exhausted' ? `${decision.of} restarts in a row failed (--restart on-failure:${decision.of})` : (decision.why === 'clean-exit' ? 'it exited cleanly (--restart on-failure restarts only a failure)' : '');
		const until = watching ? `until a change under ${watching.join(', ')} starts it cleanly` : 'for the rest of the session';
		return `${why === '' ? '' : `not restarted: ${why}; `}requests get this error ${until}`;
	},
	held: (record: ServerRecord, what: string) => `${what} waits: no ${record.label} serves yet (it is starting)`,
	diedWhileServing: (record: ServerRecord, died: string, next: string) => `${record.label} ${died}; ${next}`,
	bootFailed: (report: string, next: string) => `${report}\n${next}`,
	failure: (text: string, data: Record<string, unknown>) => ({message: `mcp-launch: ${text}`, data}),
	cannotListen: (url: URL, error: unknown) => `cannot listen on ${url.host} (${(error as NodeJS.ErrnoException)?.code ?? String(error)}): with --watch or --restart mcp-launch listens on the server's URL itself; the port must be free (or use -p auto)`,
	sessionNotFound: {message: 'Session not found (mcp-launch does not know this Mcp-Session-Id: start a new session)'},
	sessionLost: {message: 'mcp-launch: the server forgot this session twice in a row; start a new session'},
	tooLarge: (max: number) => ({message: `mcp-launch: the request body is larger than ${max} bytes`}),
	forbiddenOrigin: (origin: string) => ({message: `Forbidden: Origin ${origin} is not a local origin (mcp-launch listens on loopback for local clients only)`}),
	refused: (url: URL) => ({message: `mcp-launch: the server refused the connection on ${url.host}, although it answered before`}),
	brokeOff: (url: URL) => ({message: `mcp-launch: the server on ${url.host} closed the connection without answering`}),
	replayFailed: (error: unknown) => ({message: `mcp-launch: could not restore this session on the restarted server: ${error instanceof Error ? error.message : String(error)}`}),
	replaced: (ms: number) => ({message: `mcp-launch: the server was replaced after a change, and did not answer this request within ${formatDuration(ms)} after that`}),
	closing: {message: 'mcp-launch: the server was stopped (mcp-launch is exiting) before it answered'},
	notReady: (ms: number) => ({message: `mcp-launch: the server did not become ready within ${formatDuration(ms)} of this request (--timeout); it is being restarted`}),
};

export function abortSignalName(reason: unknown): NodeJS.Signals {
	return reason === 'SIGINT' || reason === 'SIGHUP' || reason === 'SIGTERM' ? reason : 'SIGTERM';
}
