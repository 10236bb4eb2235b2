import {earlyPortWarning, saysItListensElsewhere} from '../diagnose/announced-port.js';
import type {Logger} from '../log-types.js';
import type {EvidenceSource} from '../platform.js';
import type {ServerProcess} from '../server/spawn-server.js';
import type {ServerRecord} from './server-record.js';

/**
 * While the gate waits: say it as soon as the server says it listens on another port than
 * the one probed and its processes really listen there (not on the probed one too). The
 * timeout report repeats it. Returns a stop function; nothing is said once stopped.
 */
export function watchAnnouncedPort(record: ServerRecord, server: ServerProcess, logger: Logger, source: EvidenceSource | undefined): () => void {
	let done = false;
	const stopLines = server.onLine(line => {
		if (done || !saysItListensElsewhere(record.url, line)) {
			return;
		}

		void import('../diagnose/port-owner.js').then(({listeningPortsOfGroup}) => {
			const listeners = source === undefined ? undefined : listeningPortsOfGroup(server.pid, {source});
			const warning = earlyPortWarning(record.url, line, {portGiven: record.portGiven, command: record.command, ...(listeners ? {listeners} : {})});
			if (warning && !done) {
				done = true;
				logger.warn({server: record.name, announced: warning.ports, suggestedUrl: warning.suggestedUrl}, warning.text);
			}
		});
	});
	return () => {
		done = true;
		stopLines();
	};
}
