import {toDurationMs, toEndpointUrl} from './option-values.js';
import {toHeaders} from './workflow/headers.js';
import {probe as httpProbe, type ProbeAnswer, type ProbeOptions} from './readiness/probe.js';
import {type AddressResult, checkAddresses, hostOf, portOf, type Resolver, workingUrl} from './diagnose/addresses.js';
import {parseAnnounced} from './diagnose/announced.js';
import type {CrashExit} from './diagnose/crash.js';
import {type AnswerVerdict, classifyAnswer} from './diagnose/answer.js';
import {verdictOf} from './doctor-verdict.js';
import {causeLabels} from './diagnose/format.js';
import {addressCovers, describeOwner, formatHostPort, type Listener, listeners, listeningPortsOfGroup} from './diagnose/port-owner.js';
import {detectSchemeMismatch, otherSchemeProbe, type SchemeMismatch} from './diagnose/scheme.js';
import type {Diagnosis} from './diagnose/types.js';
import {redactText} from './redact.js';
import {defaultEvidenceSource, type EvidenceSource} from './platform.js';

export type DoctorStep = 'address' | 'resolve' | 'addresses' | 'listener' | 'endpoint' | 'path' | 'scheme';

export type DoctorCheck = {
	step: DoctorStep;
	ok: boolean;
	/** Set when an earlier failure made this step meaningless (then `ok` is false). */
	skipped?: boolean;
	evidence: string;
};

export type DoctorReport = {
	url: string;
	checks: DoctorCheck[];
	verdict: Diagnosis;
	/** 0 when healthy, 1 when a problem was found (usage errors are a TypeError before any check). */
	exitCode: 0 | 1;
};

export type DoctorOptions = {
	/** Bound for each probe. Default 2 s. */
	timeoutMs?: number;
	headers?: Record<string, string>;
	/** Send `headers` to an https endpoint whose certificate cannot be verified. */
	insecure?: boolean;
	/** Process group of an already running server (mcp-launch --server): its LISTEN sockets are checked too. */
	pgid?: number;
	/** Recent output lines of that server, for the URLs and ports it announced. */
	serverOutput?: readonly string[];
	/** How that server ended, when it is no longer running (it crashed on boot): the verdict is the crash. */
	serverExit?: CrashExit;
	resolve?: Resolver;
	probe?: (url: URL, options: ProbeOptions) => Promise<ProbeAnswer>;
	/** Who listens on a port / in a process group; defaults read /proc or lsof. */
	findListeners?: (port: number) => Listener[];
	findGroupListeners?: (pgid: number) => Listener[];
	/** Where the default finders look: /proc (`procfs`) or `lsof`. Default from `process.platform`. */
	evidenceSource?: EvidenceSource;
};

const listenerText = (listener: Listener) => {
	const where = formatHostPort(listener.address, listener.port);
	return listener.pid === undefined ? where : `${where} ← ${describeOwner(listener)}`;
};

function resultText(result: AddressResult, port: number): string {
	const where = formatHostPort(result.address, port);
	return result.ok ? `${where} answered HTTP ${result.status}` : `${where} failed: ${result.message}`;
}

/**
 * Check an MCP endpoint the way a person should, in order: the address, each resolved
 * address, what listens on the port and who owns it, the HTTP answer, the path and the
 * scheme; then a verdict with the fix. Never throws for a broken setup (that is the report);
 * throws an OptionError (a TypeError) for a URL that is not http(s) or a bad header.
 *
 * @example
 * const report = await doctor('http://localhost:3000/mcp');
 * process.stdout.write(formatDoctor(report) + '\n');
 * process.exitCode = report.exitCode;
 */
export async function doctor(input: string | URL, options: DoctorOptions = {}): Promise<DoctorReport> {
	const url = toEndpointUrl(input);
	const port = portOf(url);
	const host = hostOf(url);
	const timeoutMs = toDurationMs(options.timeoutMs ?? 2_000, '--probe-timeout');
	if (options.headers !== undefined) {
		toHeaders(options.headers);
	}

	const probe = options.probe ?? httpProbe;
	const checks: DoctorCheck[] = [];
	const check = (step: DoctorStep, ok: boolean, evidence: string, skipped = false) => {
		checks.push({step, ok, evidence, ...(skipped ? {skipped: true} : {})});
	};

	const finish = (verdict: Diagnosis): DoctorReport => ({url: url.href, checks, verdict, exitCode: verdict.cause === 'ok' ? 0 : 1});
	const skipRest = (from: DoctorStep, why: string) => {
		const steps: DoctorStep[] = ['resolve', 'addresses', 'listener', 'endpoint', 'path', 'scheme'];
		for (const step of steps.slice(steps.indexOf(from))) {
			check(step, false, `skipped: ${why}`, true);
		}
	};

	check('address', true, `${url.protocol.slice(0, -1)}, host ${host}, port ${port}, path ${url.pathname}`);

	// Resolve and probe every address.
	const {results, verdict: addressVerdict} = await checkAddresses(url, {
		timeoutMs,
		probe,
		...(options.headers ? {headers: options.headers} : {}),
		...(options.insecure ? {insecure: true} : {}),
		...(options.resolve ? {resolve: options.resolve} : {}),
	});
	if (results.length === 0) {
		check('resolve', false, `${host} resolves to no address`);
		skipRest('addresses', 'the host does not resolve');
		return finish({cause: 'unresolved', summary: `${host} does not resolve`, evidence: [], fix: `check the host name, or use ${workingUrl(url, '127.0.0.1').href}`});
	}

	check('resolve', true, `${host} → ${results.map(result => result.address).join(', ')}`);
	const answered = results.filter(result => result.ok);
	const addressesOk = addressVerdict.kind === 'all-answer' || (addressVerdict.kind === 'split' && !addressVerdict.firstFails);
	const note = addressVerdict.kind === 'split' && !addressVerdict.firstFails ? ' (the first address answers, so clients connect)' : '';
	check('addresses', addressesOk, results.map(result => resultText(result, port)).join('; ') + note);

	// What listens on the port, and on which ports the server's own processes listen.
	const source = options.evidenceSource ?? defaultEvidenceSource();
	const portListeners = (options.findListeners ?? (() => listeners(port, {source})))(port);
	const tree = options.pgid === undefined ? undefined : (options.findGroupListeners ?? (pgid => listeningPortsOfGroup(pgid, {source})))(options.pgid);
	const covering = portListeners.filter(listener => results.some(result => addressCovers(listener.address, result.address)));
	const strangers = tree === undefined ? [] : covering.filter(listener => !tree.some(own => own.port === listener.port && own.address === listener.address));
	const listenerLines: string[] = [];
	if (portListeners.length > 0) {
		listenerLines.push(portListeners.map(listener => listenerText(listener)).join(', '));
	} else if (source !== undefined || options.findListeners) {
		listenerLines.push(`nothing listens on port ${port}`);
	} else {
		listenerLines.push('cannot tell who listens on this platform');
	}

	if (options.serverExit) {
		listenerLines.push(`the server is not running: it ${options.serverExit.signal ? `was killed by ${options.serverExit.signal}` : `exited with code ${options.serverExit.code}`}`);
	} else if (tree !== undefined) {
		listenerLines.push(tree.length > 0 ? `the server's processes listen on ${tree.map(listener => formatHostPort(listener.address, listener.port)).join(', ')}` : 'the server\'s processes listen on no TCP port');
	}

	check('listener', (covering.length > 0 || answered.length > 0) && strangers.length === 0, listenerLines.join('; '));

	// The HTTP answer, the path and the scheme.
	const announced = parseAnnounced(options.serverOutput ?? []);
	const first = answered[0];
	let answer: AnswerVerdict | undefined;
	if (first?.ok) {
		answer = classifyAnswer({status: first.status, ...(first.location === undefined ? {} : {location: first.location}), ...(first.bodySnippet === undefined ? {} : {bodySnippet: first.bodySnippet})}, url, {announcedPaths: announced.paths, serverOutput: options.serverOutput ?? []});
		const meaning = answer.severity === 'ok'
			? (first.status >= 200 && first.status < 300 ? 'an MCP answer' : (answer.message.includes('JSON-RPC') ? 'a JSON-RPC answer: it speaks MCP' : 'normal for a bare MCP probe'))
			: causeLabels[answer.cause];
		check('endpoint', answer.severity === 'ok', `POST ${url.pathname} → HTTP ${first.status} (${meaning})`);
		// One story per step: a redirect is not "served", a 401 or 403 proves the path exists but not that it serves.
		if (answer.cause === 'wrong-path') {
			check('path', false, answer.message);
		} else if (answer.cause === 'redirect') {
			check('path', false, `${url.pathname} is not served itself: ${answer.message.split(';')[0]}`);
		} else {
			check('path', true, answer.severity === 'ok' ? `${url.pathname} is served` : `${url.pathname} exists (HTTP ${first.status})`);
		}
		check('scheme', true, `${url.protocol.slice(0, -1)} answered`);
	} else {
		check('endpoint', false, 'no HTTP answer on any address');
		check('path', false, 'skipped: no HTTP answer', true);
	}

	let scheme: SchemeMismatch | undefined;
	if (!first) {
		const found = await confirmedScheme(results, url, probe, timeoutMs, options.headers);
		scheme = found?.mismatch;
		const how = found?.confirmed ? ` (confirmed: ${found.mismatch.suggestedUrl} answers)` : '';
		check('scheme', scheme === undefined, scheme ? `${scheme.message}${how}` : 'no sign of an http/https mismatch');
	}

	return finish(verdictOf({url, port, results, addressVerdict, answer, scheme, covering, portListeners, strangers, tree, announced, checks, serverExit: options.serverExit, serverOutput: options.serverOutput ?? []}));
}

async function confirmedScheme(results: AddressResult[], url: URL, probe: NonNullable<DoctorOptions['probe']>, timeoutMs: number, headers?: Record<string, string>): Promise<{mismatch: SchemeMismatch; confirmed: boolean} | undefined> {
	for (const result of results) {
		if (result.ok) {
			continue;
		}

		const suspect = detectSchemeMismatch({code: result.code, message: result.message}, url);
		if (!suspect) {
			continue;
		}

		try {
			const other = otherSchemeProbe(url, headers);
			await probe(other.url, {timeoutMs, address: result.address, ...(other.headers ? {headers: other.headers} : {})});
			return {mismatch: suspect, confirmed: true};
		} catch {
			if (suspect.confidence === 'certain') {
				return {mismatch: suspect, confirmed: false};
			}
		}
	}

	return undefined;
}

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

	return redactText(lines.join('\n'));
}
