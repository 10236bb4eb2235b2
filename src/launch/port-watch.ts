import {earlyPortWarning, saysItListensElsewhere} from '../diagnose/announced-port.js';
import {readAnnouncement} from '../diagnose/announced.js';
import type {Logger} from '../log-types.js';
import {portOf} from '../readiness/probe.js';
import type {ServerProcess} from '../server/spawn-server.js';
import {messages} from './messages.js';
import type {ServerRecord} from './server-record.js';

/** A listen line on the probed port itself: where it bound is worth a look (`[::1]` while the URL says 127.0.0.1). */
function saysItListensHere(url: URL, line: string): boolean {
	const announcement = readAnnouncement(line);
	return announcement?.listen === true && announcement.port === portOf(url);
}

/**
 * While the gate waits: say it as soon as the server says it listens somewhere the URL does not
 * lead, and its processes really listen there: another port (not the probed one too), or the
 * probed port on another address family (`[::1]` only, the URL on 127.0.0.1). The timeout
 * report repeats it. Returns a stop function; nothing is said once stopped.
 */
export function watchAnnouncedPort(record: ServerRecord, server: ServerProcess, logger: Logger, seesListeners: boolean): () => void {
	let done = false;
	const warn = (fields: Record<string, unknown>, text: string) => {
		if (!done) {
			done = true;
			logger.warn({server: record.name, ...fields}, text);
		}
	};

	const look = (line: string) => {
		if (done) {
			return;
		}

		if (saysItListensElsewhere(record.url, line)) {
			void (seesListeners ? server.listeners() : Promise.resolve(undefined)).then(listeners => {
				const warning = earlyPortWarning(record.url, line, {portGiven: record.portGiven, command: record.command, ...(listeners ? {listeners} : {})});
				if (warning) {
					warn({announced: warning.ports, suggestedUrl: warning.suggestedUrl}, warning.text);
				}
			});
		} else if (seesListeners && saysItListensHere(record.url, line)) {
			void familyWarning(record.url, server).then(found => {
				if (found) {
					warn({cause: found.cause, suggestedUrl: found.suggestedUrl}, messages.finding(record, found.summary, found.fix));
				}
			});
		}
	};

	// What it printed before the gate started watching (a fast server, a slow start-up here) counts too.
	const {stdout, stderr} = server.tail.kept();
	for (const line of [...stdout, ...stderr]) {
		look(line);
	}

	const stopLines = server.onLine(look);
	return () => {
		done = true;
		stopLines();
	};
}

/** The server's processes listen on the probed port, but on no address the URL's host leads to. */
async function familyWarning(url: URL, server: ServerProcess) {
	const [{systemResolver, hostOf}, {boundElsewhereFinding}] = await Promise.all([import('../diagnose/addresses.js'), import('../diagnose/rules.js')]);
	const onPort = (await server.listeners()).filter(listener => listener.port === portOf(url));
	const probed = onPort.length === 0 ? [] : await systemResolver(hostOf(url)).then(found => found.map(entry => entry.address), () => []);
	return boundElsewhereFinding(url, probed, onPort);
}
