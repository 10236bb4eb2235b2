// The evidence gatherer behind "a metrics port taken for the MCP port": after a 404, what do the
// server tree's other ports answer at the same path? (kubernetes-mcp-server --port A
// --metrics-port B with the URL on B: B says 404, A answers MCP.)
import {portOf, probe as httpProbe, type ProbeAnswer, type ProbeOptions} from '../readiness/probe.js';
import {classifyAnswer} from './answer.js';
import type {OtherPortAnswer} from './evidence.js';
import type {Listener} from './port-owner-text.js';

/** At most this many other ports are tried (a server tree rarely has more; a bound on the probes). */
const maxPorts = 8;

/**
 * Probe the URL's path on each other port the server's processes listen on, in parallel,
 * without the user's headers (credentials go only where the user sent them). A port that does
 * not answer HTTP is left out.
 */
export async function probeOtherPorts(url: URL, tree: readonly Listener[], options: {timeoutMs: number; probe?: (url: URL, options: ProbeOptions) => Promise<ProbeAnswer>}): Promise<OtherPortAnswer[]> {
	const ports = [...new Set(tree.map(listener => listener.port))].filter(port => port !== portOf(url)).slice(0, maxPorts);
	const probe = options.probe ?? httpProbe;
	const answers = await Promise.all(ports.map(async (port): Promise<OtherPortAnswer | undefined> => {
		const other = new URL(url.href);
		other.port = String(port);
		try {
			const answer = await probe(other, {timeoutMs: options.timeoutMs});
			return {port, status: answer.status, ok: classifyAnswer(answer, other).severity === 'ok'};
		} catch {
			return undefined;
		}
	}));
	return answers.filter(answer => answer !== undefined);
}
