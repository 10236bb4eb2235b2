import path from 'node:path';
import {bounds} from '../defaults.js';
import {portOf} from '../readiness/probe.js';
import {type AnyLaunchError, LaunchError} from '../errors.js';
import type {ResolvedOptions} from '../options.js';
import {formatTail} from '../server/output-tail.js';
import type {ServerProcess} from '../server/spawn-server.js';
import type {GateOutcome} from './gate-server.js';
import {abortSignalName, messages} from './messages.js';
import type {ServerRecord} from './server-record.js';

/**
 * A gate that did not end ready, as the LaunchError the user reads: the crash explained, the
 * timeout diagnosed (evidence gathered now, before the server is stopped), or the signal
 * named. The diagnosis code is loaded only on these paths.
 */
export async function gateFailure(record: ServerRecord, server: ServerProcess, outcome: Exclude<GateOutcome, {kind: 'ready'}>, plan: ResolvedOptions): Promise<AnyLaunchError> {
	switch (outcome.kind) {
		case 'exited': {
			await server.drained(bounds.drainMs);
			const [{explainCrash}, {lookFor}] = await Promise.all([import('../diagnose/crash.js'), import('../diagnose/nearby-files.js')]);
			// Its first lines too: a fatal error is often line 1, above a usage text longer than the tail.
			const tail = server.tail.kept();
			const crash = explainCrash(outcome.exit, tail, {
				findOccupants: port => plan.os.listeners(port),
				...(record.portGiven ? {givenPort: portOf(record.url)} : {}),
				command: record.command,
				lookFor: file => lookFor(path.resolve(plan.cwd, file)),
			});
			return new LaunchError('SERVER_EXITED', messages.exitedBeforeReady(record, outcome.exit, crash.reason, crash.fix, formatTail(server.tail, bounds.shownLines)), {
				details: {server: record.name, exitCode: outcome.exit.code, signal: outcome.exit.signal, crashCause: crash.kind, ...(crash.port === undefined ? {} : {port: crash.port}), ...tail},
			});
		}

		case 'aborted': {
			if (outcome.reason instanceof LaunchError) {
				return outcome.reason as AnyLaunchError; // Another server failed first; that is the story.
			}

			const signal = abortSignalName(outcome.reason);
			return new LaunchError('ABORTED', `${messages.interrupted(signal, `while waiting for ${record.url.href}`)}; stopped`, {details: {signal}});
		}

		case 'timeout': {
			const {timeout} = outcome;
			const [{diagnoseTimeout, gatherTimeoutEvidence}, {formatDiagnosis}] = await Promise.all([import('../diagnose/timeout.js'), import('../diagnose/format.js')]);
			const evidence = await gatherTimeoutEvidence({
				url: record.url,
				elapsedMs: timeout.elapsedMs,
				attempts: timeout.attempts,
				...(timeout.lastError ? {lastError: timeout.lastError} : {}),
				server,
				portGiven: record.portGiven,
				command: record.command,
				os: plan.os,
			});
			const diagnosis = diagnoseTimeout(evidence);
			return new LaunchError('READY_TIMEOUT', `${record.prefix}${timeout.message}\n${formatDiagnosis(diagnosis)}`, {
				cause: timeout.lastError,
				details: {
					server: record.name,
					url: record.url.href,
					attempts: timeout.attempts,
					elapsedMs: timeout.elapsedMs,
					...(timeout.lastError ? {lastError: timeout.lastError.message} : {}),
					cause: diagnosis.cause,
					...(diagnosis.suggestedUrl === undefined ? {} : {suggestedUrl: diagnosis.suggestedUrl}),
					stderr: [...evidence.tail.stderr],
					stdout: [...evidence.tail.stdout],
				},
			});
		}
	}
}
