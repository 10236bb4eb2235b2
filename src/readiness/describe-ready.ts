import {formatDuration} from '../duration.js';
import type {ReadyInfo} from './wait-until-ready.js';

/**
 * What made an endpoint ready, for the log line: `406 after 612 ms`,
 * `TCP connect after 5 ms`, `MCP fixture-server 1.2.3, protocol 2025-06-18, after 40 ms`.
 */
export function describeReady(ready: ReadyInfo, probe: 'http' | 'tcp' | 'mcp' | string): string {
	const after = `after ${formatDuration(ready.elapsedMs)}`;
	if (ready.server) {
		return `MCP ${ready.server.name ?? '?'} ${ready.server.version ?? ''}, protocol ${ready.server.protocolVersion ?? '?'}, ${after}`;
	}

	return probe === 'tcp' ? `TCP connect ${after}` : `${ready.status} ${after}`;
}
