import {http} from '../http-module.js';
import type {AddressInfo} from 'node:net';
import {probe} from './probe.js';

let warming: Promise<void> | undefined;

/**
 * Run one probe against a throwaway in-process HTTP server, once per process. While the
 * real server boots, every probe is refused at TCP level, so the HTTP client and parser
 * code would otherwise run for the first time (and be compiled: ~15 ms here) exactly when
 * the server is ready, the one moment that counts. Costs a few ms of CPU during the boot.
 */
export function warmUpHttp(): Promise<void> {
	warming ??= new Promise<void>(resolve => {
		const server = http().createServer((_request, response) => {
			response.writeHead(400).end();
		});
		server.unref();
		server.once('error', () => resolve());
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as AddressInfo;
			probe(new URL(`http://127.0.0.1:${port}/mcp`), {timeoutMs: 1000})
				.catch(() => {})
				.finally(() => {
					server.close();
					resolve();
				});
		});
	});
	return warming;
}
