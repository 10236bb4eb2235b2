import net from 'node:net';
import {type ProbeAnswer, ProbeError, type ProbeOptions} from './probe.js';

/**
 * `--probe tcp`: ready once a TCP connection is accepted. For servers whose HTTP endpoint
 * is not reachable without credentials the probe cannot send, or that are not HTTP at all.
 * The answer's status is 0 (no HTTP was spoken).
 */
export function tcpProbe(url: URL, options: ProbeOptions): Promise<ProbeAnswer> {
	const start = performance.now();
	const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
	const host = options.address ?? url.hostname.replace(/^\[|\]$/g, '');
	return new Promise((resolve, reject) => {
		const socket = net.connect({host, port, timeout: options.timeoutMs});
		socket.once('connect', () => {
			socket.destroy();
			resolve({status: 0, durationMs: performance.now() - start});
		});
		socket.once('timeout', () => socket.destroy(new ProbeError('ETIMEDOUT', `no connection within ${options.timeoutMs} ms`)));
		socket.once('error', (error: NodeJS.ErrnoException) => {
			reject(error instanceof ProbeError ? error : new ProbeError(error.code ?? 'ECONNECT', error.message, {cause: error}));
		});
	});
}
