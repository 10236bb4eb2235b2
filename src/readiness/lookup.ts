import dns from 'node:dns';
import type net from 'node:net';

/**
 * A lookup that asks the resolver once and answers from memory afterwards (one wait's
 * worth). A failure is remembered for a second, so an unresolvable name costs one lookup
 * per second, not one per probe.
 */
export function cachedLookup({failureTtlMs = 1000, resolve = (host: string) => dns.promises.lookup(host, {all: true, order: 'verbatim'})}: {failureTtlMs?: number; resolve?: (host: string) => Promise<dns.LookupAddress[]>} = {}): net.LookupFunction {
	const cache = new Map<string, Promise<dns.LookupAddress[]>>();
	return ((hostname: string, options: dns.LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
		let entry = cache.get(hostname);
		if (!entry) {
			entry = resolve(hostname);
			cache.set(hostname, entry);
			entry.catch(() => {
				setTimeout(() => cache.delete(hostname), failureTtlMs).unref();
			});
		}

		entry.then(addresses => {
			const wanted = options.family === 4 || options.family === 6 ? addresses.filter(item => item.family === options.family) : addresses;
			if (options.all) {
				callback(null, wanted);
			} else if (wanted[0]) {
				callback(null, wanted[0].address, wanted[0].family);
			} else {
				callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {code: 'ENOTFOUND'}), '');
			}
		}, (error: NodeJS.ErrnoException) => callback(error, ''));
	}) as net.LookupFunction;
}
