import net from 'node:net';
import {type ProbeAnswer, type ProbeError, type ProbeOptions, quietError} from './probe-types.js';

/**
 * One bound for a whole probe: its own timeout and the caller's abort signal, as one signal
 * whose reason is the ProbeError to fail with. Every step of the probe listens to it, so no
 * step (a connect that hangs, a server that accepts and never answers, a slow TLS handshake)
 * can outlive it.
 */
export function probeBound(timeoutMs: number, outer: AbortSignal | undefined): {signal: AbortSignal; done: () => void} {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(quietError('ETIMEDOUT', `no answer within ${Math.round(timeoutMs)} ms`)), Math.max(1, timeoutMs));
	const onAbort = () => controller.abort(quietError('ABORT_ERR', 'aborted'));
	if (outer?.aborted) {
		onAbort();
	} else {
		outer?.addEventListener('abort', onAbort, {once: true});
	}

	return {
		signal: controller.signal,
		done() {
			clearTimeout(timer);
			outer?.removeEventListener('abort', onAbort);
		},
	};
}

/** The URL's host without IPv6 brackets. */
export function hostOf(url: URL): string {
	return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** The port the URL points at, with the scheme's default. */
export function portOf(url: URL): number {
	return url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
}

/**
 * Open a TCP connection to the URL's host and port, bounded by `timeoutMs` (the lookup
 * included) and `signal`. This is all a probe costs while the server is not listening yet (a
 * refused connect, hundreds per wait), so it is kept lean: one timer, one abort listener.
 */
export function connectTcp(url: URL, options: ProbeOptions): Promise<net.Socket> {
	const {signal} = options;
	if (signal?.aborted) {
		return Promise.reject(quietError('ABORT_ERR', 'aborted'));
	}

	return new Promise((resolve, reject) => {
		const socket = net.connect({
			host: options.address ?? hostOf(url),
			port: portOf(url),
			...(options.address === undefined && options.lookup ? {lookup: options.lookup} : {}),
		});
		const finish = (error?: ProbeError) => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
			socket.removeListener('error', onError);
			if (error) {
				socket.destroy();
				reject(error);
			} else {
				resolve(socket);
			}
		};

		const onAbort = () => finish(quietError('ABORT_ERR', 'aborted'));
		const onError = (error: NodeJS.ErrnoException) => finish(quietError(error.code ?? 'ECONNECT', error.message, error));
		const timer = setTimeout(() => finish(quietError('ETIMEDOUT', `no connection within ${Math.round(options.timeoutMs)} ms`)), Math.max(1, options.timeoutMs));
		signal?.addEventListener('abort', onAbort, {once: true});
		socket.once('error', onError);
		socket.once('connect', () => finish());
	});
}

/**
 * `--probe tcp`: ready once a TCP connection is accepted, and nothing is sent. For servers
 * whose HTTP endpoint the probe cannot reach (credentials), for non-HTTP servers, and for
 * checks after the gate where an extra HTTP request could cost the server a session
 * (stateful FastMCP never reaps sessionless requests). The answer's status is 0.
 */
export async function tcpProbe(url: URL, options: ProbeOptions): Promise<ProbeAnswer> {
	const start = performance.now();
	const socket = await connectTcp(url, options);
	socket.destroy();
	return {status: 0, durationMs: performance.now() - start};
}

