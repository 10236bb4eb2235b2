import type {Os} from '../os/types.js';
import {portOf, tcpProbe} from '../readiness/probe.js';

/**
 * After a server's process group is gone: does something still accept connections on its
 * port? Then a process of the server left the group (`setsid … &`, a daemonizing server) and
 * teardown could not reach it. Returns who holds the port, in words, or undefined.
 */
export async function escapedListener(url: URL, os: Pick<Os, 'listeners'>): Promise<string | undefined> {
	if (!(await stillAccepts(url))) {
		return undefined;
	}

	// Only a process that can be named counts: a socket with no owner left is one being closed.
	const {describeOwner, formatHostPort} = await import('../diagnose/port-owner-text.js');
	const found = os.listeners(portOf(url)).filter(listener => listener.pid !== undefined);
	return found.length === 0 ? undefined : found.map(listener => `${describeOwner(listener)} still listens on ${formatHostPort(listener.address, listener.port)}`).join('; ');
}

/** Still accepting after a short grace (a closing socket may linger for a moment): one connect every 20 ms up to 300 ms. */
async function stillAccepts(url: URL): Promise<boolean> {
	const deadline = performance.now() + 300;
	for (;;) {
		try {
			// eslint-disable-next-line no-await-in-loop
			await tcpProbe(url, {timeoutMs: 200});
		} catch {
			return false; // Refused: nothing was left listening.
		}

		if (performance.now() >= deadline) {
			return true;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
	}
}
