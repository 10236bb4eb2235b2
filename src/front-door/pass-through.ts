import type {IncomingMessage, ServerResponse} from 'node:http';
import {frontDoor} from '../defaults.js';
import type {Generation} from './generation.js';
import type {Generations} from './generations.js';
import {FailureError} from './json-rpc.js';
import {backwardHeaders, forwardHeaders, readBody, Refused, sendUpstream} from './upstream.js';

/**
 * Anything that is not the MCP endpoint's POST, GET or DELETE (another path, such as OAuth
 * metadata, or an OPTIONS preflight): held like any request, then passed to the serving
 * generation and its answer back as it comes. Only a refused connect is tried again.
 */
export async function passThrough(req: IncomingMessage, res: ServerResponse, generations: Generations, timeoutMs: number): Promise<void> {
	const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req, frontDoor.maxBodyBytes).catch(() => undefined);
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		let gen: Generation;
		try {
			// eslint-disable-next-line no-await-in-loop
			gen = await generations.acquire(deadline);
		} catch (error) {
			const text = error instanceof FailureError ? error.failure.message : String(error);
			res.writeHead(503, {'content-type': 'text/plain; charset=utf-8'}).end(text);
			return;
		}

		try {
			// eslint-disable-next-line no-await-in-loop
			const answer = await sendUpstream(gen, {method: req.method ?? 'GET', headers: forwardHeaders(req.headers, gen, req.headers['mcp-session-id'] as string | undefined), body});
			res.writeHead(answer.statusCode ?? 502, backwardHeaders(answer.headers));
			answer.pipe(res);
			return;
		} catch (error) {
			// eslint-disable-next-line no-await-in-loop
			if (!(error instanceof Refused) || !(await gen.goneWithin(1000))) {
				res.writeHead(502, {'content-type': 'text/plain; charset=utf-8'}).end(`mcp-launch: the server did not answer: ${(error as Error).message}`);
				return;
			}
		}
	}
}
