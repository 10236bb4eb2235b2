import {probe as httpProbe, type ProbeAnswer, type ProbeOptions} from '../readiness/probe.js';
import {classifyAnswer, otherLoopbackUrls} from './answer.js';

export type HostCheckOptions = {
	headers?: Record<string, string>;
	announcedPaths?: readonly string[];
	timeoutMs?: number;
	probe?: (url: URL, options: ProbeOptions) => Promise<ProbeAnswer>;
};

/**
 * After a Host/Origin rejection (403/421): the URL under the other loopback spelling
 * (`127.0.0.1` → `localhost`, `localhost` → `127.0.0.1`, `[::1]`) when the server answers it
 * like an MCP endpoint, else undefined. One bare probe per spelling, as the gate sends.
 *
 * @example
 * await acceptedLoopbackUrl(new URL('http://127.0.0.1:8931/mcp')) // 'http://localhost:8931/mcp' for @playwright/mcp --port 8931
 */
export async function acceptedLoopbackUrl(url: URL, options: HostCheckOptions = {}): Promise<string | undefined> {
	const probe = options.probe ?? httpProbe;
	for (const other of otherLoopbackUrls(url)) {
		try {
			const answer = await probe(new URL(other), {timeoutMs: options.timeoutMs ?? 1_000, ...(options.headers ? {headers: options.headers} : {})});
			if (classifyAnswer(answer, new URL(other), {announcedPaths: options.announcedPaths ?? []}).severity === 'ok') {
				return other;
			}
		} catch {
			// Nothing listens under that spelling (the other address family): try the next.
		}
	}

	return undefined;
}
