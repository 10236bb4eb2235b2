import type {Diagnosis, DiagnosisCause} from './types.js';

/** Short human names of the causes, as the messages print them. */
export const causeLabels: Record<DiagnosisCause, string> = {
	ok: 'healthy',
	race: 'still booting (race)',
	'address-family': 'address family',
	'wrong-port': 'wrong port',
	'wrong-path': 'wrong path',
	'legacy-sse': 'old HTTP+SSE transport',
	scheme: 'wrong scheme (http vs https)',
	redirect: 'redirect',
	auth: 'authentication needed',
	'host-check': 'Host/Origin check',
	'server-error': 'server error',
	'unexpected-status': 'unexpected answer',
	'no-answer': 'no HTTP answer',
	'not-listening': 'nothing listens',
	unresolved: 'host does not resolve',
	crash: 'crash on boot',
	'port-in-use': 'port already in use',
};

/**
 * A diagnosis as indented text for an error message:
 * ```
 * likely cause: wrong port: the server listens on 127.0.0.1:8080, you probe :3000
 *   waited 30 s, 1200 probes of http://127.0.0.1:3000/mcp
 *   ...
 * fix: use http://127.0.0.1:8080/mcp
 * ```
 */
export function formatDiagnosis(diagnosis: Diagnosis, {indent = '  '} = {}): string {
	const lines = [`likely cause: ${causeLabels[diagnosis.cause]}: ${diagnosis.summary}`];
	for (const line of diagnosis.evidence) {
		lines.push(...line.split('\n').map(part => `${indent}${part}`));
	}

	if (diagnosis.fix) {
		lines.push(`fix: ${diagnosis.fix}`);
	}

	return lines.join('\n');
}
