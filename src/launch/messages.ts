import {formatDuration} from '../duration.js';
import {describeReady} from '../readiness/describe-ready.js';
import type {ReadyInfo} from '../readiness/wait-until-ready.js';
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

/** `ready …` alone, `server "api" ready …` among several. */
const named = (record: ServerRecord, text: string) => (record.prefix === '' ? text : `${record.label} ${text}`);

export const messages = {
	started: (record: ServerRecord, pid: number) => `started ${record.label} (pid ${pid}): ${record.command}`,
	waiting: (record: ServerRecord) => `waiting for ${record.url.href}`,
	ready: (record: ServerRecord, ready: ReadyInfo, probe: string) => named(record, `ready ${ready.url} (${describeReady(ready, probe)})`),
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

export function abortSignalName(reason: unknown): NodeJS.Signals {
	return reason === 'SIGINT' || reason === 'SIGHUP' || reason === 'SIGTERM' ? reason : 'SIGTERM';
}
