import {causeLabels} from '../diagnose/format.js';
import type {Diagnosis} from '../diagnose/types.js';
import {redactText} from '../redact.js';
import type {DoctorCheck} from './steps.js';

export type DoctorReport = {
	url: string;
	checks: DoctorCheck[];
	verdict: Diagnosis;
	/** 0 when healthy, 1 when a problem was found (usage errors are a TypeError before any check). */
	exitCode: 0 | 1;
	/** The last lines of the server doctor started, when it is not running (it crashed on boot). */
	serverLines?: string[];
};

/**
 * The report as a checklist for people, one line per step, then the verdict and the fix:
 * ```
 * mcp-launch doctor http://localhost:3000/mcp
 *   ✓ address    http, host localhost, port 3000, path /mcp
 *   ✗ addresses  [::1]:3000 failed: connect ECONNREFUSED ::1:3000; 127.0.0.1:3000 answered HTTP 400
 * verdict: address family: localhost resolves to ::1, 127.0.0.1 (in this order): ...
 * fix: use http://127.0.0.1:3000/mcp in the client, or ...
 * ```
 * For machines: `JSON.stringify(report)`.
 */
export function formatDoctor(report: DoctorReport): string {
	const width = Math.max(...report.checks.map(check => check.step.length));
	const lines = [`mcp-launch doctor ${report.url}`];
	for (const check of report.checks) {
		const mark = check.skipped ? '-' : (check.ok ? '✓' : '✗');
		lines.push(`  ${mark} ${check.step.padEnd(width)}  ${check.evidence}`);
	}

	const {verdict} = report;
	lines.push(verdict.cause === 'ok' ? `verdict: healthy: ${verdict.summary}` : `verdict: ${causeLabels[verdict.cause]}: ${verdict.summary}`);
	if (verdict.fix) {
		lines.push(`fix: ${verdict.fix}`);
	}

	if (report.serverLines) {
		lines.push('its last lines:', ...report.serverLines.map(line => `    ${line}`));
	}

	return redactText(lines.join('\n'));
}
