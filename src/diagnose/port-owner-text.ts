// The human words for port owners and addresses, used by PORT_IN_USE, EADDRINUSE, the
// timeout report and doctor. Pure. (Who listens is the OS seam's to find: src/os/.)
import type {Listener} from '../os/types.js';

export type {Listener} from '../os/types.js';

/** Whether a socket bound to `bound` accepts connections to `target` (wildcards and v4-mapped addresses included). */
export function addressCovers(bound: string, target: string): boolean {
	const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.)/i, '').toLowerCase();
	const b = plain(bound);
	const t = plain(target);
	if (b === t || b === '::') {
		return true;
	}

	return b === '0.0.0.0' && !t.includes(':');
}

/** `127.0.0.1:3000`, `[::1]:3000`. */
export function formatHostPort(address: string, port: number): string {
	return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** `pid 4242 (node old-server.js)`, or `an unknown process` when the owner is not visible. */
export function describeOwner(listener: Pick<Listener, 'pid' | 'command'>): string {
	if (listener.pid === undefined) {
		return 'a process mcp-launch cannot see (another user or container?)';
	}

	return listener.command ? `pid ${listener.pid} (${listener.command})` : `pid ${listener.pid}`;
}

/**
 * One line naming who holds a port, for PORT_IN_USE and EADDRINUSE messages:
 * `port 3000 is already in use by pid 4242 (node old-server.js) on 127.0.0.1:3000`.
 */
export function describePortOwners(port: number, found: readonly Listener[]): string {
	if (found.length === 0) {
		return `port ${port} is already in use (the owner could not be determined on this system)`;
	}

	const byOwner = new Map<string, string[]>();
	for (const listener of found) {
		const owner = describeOwner(listener);
		byOwner.set(owner, [...(byOwner.get(owner) ?? []), formatHostPort(listener.address, listener.port)]);
	}

	const parts = [...byOwner].map(([owner, addresses]) => `${owner} on ${addresses.join(', ')}`);
	return `port ${port} is already in use by ${parts.join('; ')}`;
}
