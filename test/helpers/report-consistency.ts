// What a failure report must never do: name a cause that its own evidence lines rule out
// (issue 20, item 6: "no HTTP answer … may be stuck" under "127.0.0.1:P answered HTTP 200").
// Reads a Diagnosis, or the report text as the CLI prints it.
import type {Diagnosis} from '../../src/diagnose/types.js';

/** The reason the report contradicts itself, or undefined when it does not. */
export function contradiction(report: Diagnosis | string): string | undefined {
	const text = typeof report === 'string' ? report : [`likely cause: ${report.summary}`, ...report.evidence, `fix: ${report.fix}`].join('\n');
	const claim = text.split('\n').filter(line => /likely cause:|^\s*fix:/.test(line)).join(' ');
	const evidence = text.split('\n').filter(line => !/likely cause:|^\s*fix:/.test(line)).join('\n');
	if (/answered HTTP \d+/.test(evidence) && /gives no HTTP answer|may be stuck|listens on no port|nothing listens/.test(claim)) {
		return 'says it never answered, while its evidence shows an answer';
	}

	if (/its processes listen on no TCP port/.test(evidence) && /accepts connections|the server listens on/.test(claim)) {
		return 'says it listens, while its evidence shows no listener';
	}

	const addresses = /addresses of [^:]+: (.*)/.exec(evidence)?.[1] ?? '';
	if (addresses !== '' && addresses.split('; ').every(part => /ECONNREFUSED/.test(part)) && /accepts connections/.test(claim)) {
		return 'says it accepts connections, while every probe of the report was refused';
	}

	return undefined;
}
