import {bounds} from '../defaults.js';
import type {ProbeAnswer, ProbeOptions} from '../readiness/probe.js';
import {type AddressResult, checkAddresses, portOf, type Resolver} from './addresses.js';
import {addressCovers, describePortOwners, type Listener} from './port-owner-text.js';
import type {Diagnosis} from './types.js';

/** The URL's port is taken before the server was started. */
export type PortInUse = {
	port: number;
	/** The LISTEN sockets on the port that cover the URL's addresses, with owners when known. */
	occupants: Listener[];
	/** The endpoint already answers HTTP (what `--reuse` wants): the first status seen. */
	answerStatus?: number;
	diagnosis: Diagnosis;
};

/**
 * Decide whether the URL's port is already taken, from one probe per resolved address and
 * the LISTEN sockets on that port. Taken means: an address accepted the connection (any
 * answer or error other than ECONNREFUSED), or a socket bound to the port covers one of the
 * URL's addresses (wildcards included). Pure.
 */
export function classifyPreflight(url: URL, results: readonly AddressResult[], portListeners: readonly Listener[]): PortInUse | undefined {
	const port = portOf(url);
	const accepted = results.filter(result => result.ok || (result.code !== 'ECONNREFUSED' && result.code !== 'EADDRNOTAVAIL' && result.code !== 'ENETUNREACH'));
	const occupants = portListeners.filter(listener => results.some(result => addressCovers(listener.address, result.address)));
	if (accepted.length === 0 && occupants.length === 0) {
		return undefined;
	}

	const answer = results.find(result => result.ok);
	const status = answer?.ok ? answer.status : undefined;
	const owner = describePortOwners(port, occupants);
	const what = status === undefined
		? (accepted.length > 0 ? `; it accepts connections (${accepted.map(result => (result.ok ? '' : result.code)).filter(Boolean).join(', ') || 'no HTTP answer'})` : '')
		: `; it answers HTTP ${status} at ${url.href}`;
	const pid = occupants.find(listener => listener.pid !== undefined)?.pid;
	const stop = pid === undefined ? 'stop the process that holds it' : `stop it (kill ${pid}) if it is a stale instance`;
	return {
		port,
		occupants,
		...(status === undefined ? {} : {answerStatus: status}),
		diagnosis: {
			cause: 'port-in-use',
			summary: `${owner}${what}`,
			evidence: [
				...occupants.map(listener => `listening: ${listener.address}:${listener.port}${listener.pid === undefined ? '' : ` pid ${listener.pid}${listener.command ? ` (${listener.command})` : ''}`}`),
				...results.map(result => (result.ok ? `${result.address}: HTTP ${result.status}` : `${result.address}: ${result.code}`)),
			],
			fix: `${stop}; or, if it is the server you want, use it as is (--reuse); or give the new server another port`,
		},
	};
}

export type PreflightOptions = {
	/** Bound for each probe. Default 500 ms (loopback answers in well under a millisecond). */
	timeoutMs?: number;
	headers?: Record<string, string>;
	/** Send headers over unverified TLS too. */
	insecure?: boolean;
	/** Ends the probes at once. */
	signal?: AbortSignal;
	resolve?: Resolver;
	probe?: (url: URL, options: ProbeOptions) => Promise<ProbeAnswer>;
	/** Who listens on a port (the OS seam's `listeners`). */
	findListeners: (port: number) => Listener[];
};

/**
 * Before spawning: is something already serving on the URL's port? Resolves with the
 * occupant (pid and command when visible) and whether it answers HTTP, or undefined when free.
 *
 * @example
 * const taken = await checkPortFree(new URL('http://127.0.0.1:3000/mcp'), {findListeners: port => osFor().listeners(port)});
 * if (taken) throw new LaunchError('PORT_IN_USE', `${taken.diagnosis.summary}\nfix: ${taken.diagnosis.fix}`);
 */
export async function checkPortFree(url: URL, options: PreflightOptions): Promise<PortInUse | undefined> {
	const {results} = await checkAddresses(url, {
		timeoutMs: options.timeoutMs ?? bounds.preflightMs,
		...(options.headers ? {headers: options.headers} : {}),
		...(options.insecure ? {insecure: true} : {}),
		...(options.signal ? {signal: options.signal} : {}),
		...(options.resolve ? {resolve: options.resolve} : {}),
		...(options.probe ? {probe: options.probe} : {}),
	});
	// All refused: nothing covers these addresses, so the /proc (or lsof) scan is skipped: it
	// costs ~10 ms on the way to spawning the server, where every millisecond shows.
	if (results.every(result => !result.ok && result.code === 'ECONNREFUSED')) {
		return undefined;
	}

	const found = options.findListeners(portOf(url));
	return classifyPreflight(url, results, found);
}
