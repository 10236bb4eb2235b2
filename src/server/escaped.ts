import {portOf, tcpProbe} from '../readiness/probe.js';

/**
 * After a server's process group is gone: does something still accept connections on its
 * port? Then a process of the server left the group (`setsid … &`, a daemonizing server) and
 * teardown could not reach it. Returns who holds the port, in words, or undefined.
 */
export async function escapedListener(url: URL): Promise<string | undefined> {
	try {
		await tcpProbe(url, {timeoutMs: 200});
	} catch {
		return undefined; // Refused: nothing was left listening.
	}

	const {describeOwner, formatHostPort, listeners} = await import('../diagnose/port-owner.js');
	const port = portOf(url);
	const found = listeners(port);
	return found.length === 0
		? `something still listens on port ${port}`
		: found.map(listener => `${describeOwner(listener)} still listens on ${formatHostPort(listener.address, listener.port)}`).join('; ');
}
