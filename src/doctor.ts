import {toEndpointUrl} from './options.js';
import {probe as httpProbe, type ProbeAnswer, type ProbeOptions} from './readiness/probe.js';
import {type AddressResult, type AddressVerdict, checkAddresses, hostOf, portOf, type Resolver, workingUrl} from './diagnose/addresses.js';
import {type Announced, announcedPortMismatch, parseAnnounced} from './diagnose/announced.js';
import {type AnswerVerdict, classifyAnswer} from './diagnose/answer.js';
import {causeLabels} from './diagnose/format.js';
import {addressCovers, describeOwner, formatHostPort, type Listener, listeners, listeningPortsOfGroup} from './diagnose/port-owner.js';
import {detectSchemeMismatch, otherScheme, type SchemeMismatch} from './diagnose/scheme.js';
import type {Diagnosis} from './diagnose/types.js';
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
	/** Process group of an already running server (mcp-launch --server): its LISTEN sockets are checked too. */
	pgid?: number;
	/** Recent output lines of that server, for the URLs and ports it announced. */
	serverOutput?: readonly string[];
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
 * throws a TypeError for a URL that is not http(s).
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
	const timeoutMs = options.timeoutMs ?? 2_000;
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

	if (tree !== undefined) {
		listenerLines.push(tree.length > 0 ? `the server's processes listen on ${tree.map(listener => formatHostPort(listener.address, listener.port)).join(', ')}` : 'the server\'s processes listen on no TCP port');
	}

	check('listener', (covering.length > 0 || answered.length > 0) && strangers.length === 0, listenerLines.join('; '));

	// The HTTP answer, the path and the scheme.
	const announced = parseAnnounced(options.serverOutput ?? []);
	const first = answered[0];
	let answer: AnswerVerdict | undefined;
	if (first?.ok) {
		answer = classifyAnswer({status: first.status, ...(first.location === undefined ? {} : {location: first.location})}, url, {announcedPaths: announced.paths});
		const meaning = answer.severity === 'ok' ? (first.status >= 200 && first.status < 300 ? 'an MCP answer' : 'normal for a bare MCP probe') : causeLabels[answer.cause];
		check('endpoint', answer.severity === 'ok', `POST ${url.pathname} → HTTP ${first.status} (${meaning})`);
		check('path', answer.cause !== 'wrong-path', answer.cause === 'wrong-path' ? answer.message : `${url.pathname} is served`);
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

	return finish(verdictOf({url, port, results, addressVerdict, answer, scheme, covering, portListeners, strangers, tree, announced, checks}));
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
			await probe(otherScheme(url), {timeoutMs, address: result.address, ...(headers ? {headers} : {})});
			return {mismatch: suspect, confirmed: true};
		} catch {
			if (suspect.confidence === 'certain') {
				return {mismatch: suspect, confirmed: false};
			}
		}
	}

	return undefined;
}

type VerdictInput = {
	url: URL;
	port: number;
	results: AddressResult[];
	addressVerdict: AddressVerdict;
	answer: AnswerVerdict | undefined;
	scheme: SchemeMismatch | undefined;
	covering: Listener[];
	portListeners: Listener[];
	strangers: Listener[];
	tree: Listener[] | undefined;
	announced: Announced;
	checks: DoctorCheck[];
};

function verdictOf(input: VerdictInput): Diagnosis {
	const {url, port, answer, scheme, tree, announced} = input;
	const evidence = input.checks.filter(check => !check.ok && !check.skipped).map(check => `${check.step}: ${check.evidence}`);
	const make = (cause: Diagnosis['cause'], summary: string, fix: string, suggestedUrl?: string): Diagnosis =>
		({cause, summary, evidence, fix, ...(suggestedUrl === undefined ? {} : {suggestedUrl})});

	if (scheme) {
		return make('scheme', scheme.message, scheme.fix, scheme.suggestedUrl);
	}

	const verdict = input.addressVerdict;
	if (verdict.kind === 'split' && verdict.firstFails && verdict.workingAddress) {
		return make('address-family', verdict.message.split('\n')[0]!, verdict.fix ?? '', workingUrl(url, verdict.workingAddress).href);
	}

	if (!answer) {
		const otherPorts = (tree ?? []).filter(listener => listener.port !== port);
		if (otherPorts.length > 0) {
			const suggested = new URL(url.href);
			suggested.port = String(otherPorts[0]!.port);
			return make('wrong-port', `the server listens on ${otherPorts.map(listener => formatHostPort(listener.address, listener.port)).join(', ')}, you probe :${port}`, `use ${suggested.href}`, suggested.href);
		}

		const mismatch = announcedPortMismatch(url, announced);
		if (mismatch) {
			return make('wrong-port', mismatch.message, `use ${mismatch.suggestedUrl}`, mismatch.suggestedUrl);
		}

		const elsewhere = input.portListeners.filter(listener => !input.covering.includes(listener));
		if (input.covering.length === 0 && elsewhere.length > 0) {
			const bound = elsewhere[0]!;
			const suggested = workingUrl(url, bound.address === '0.0.0.0' ? '127.0.0.1' : (bound.address === '::' ? '::1' : bound.address)).href;
			return make('address-family', `the server listens on ${formatHostPort(bound.address, port)}, but ${url.hostname} means ${input.results.map(result => result.address).join(', ')}`, `use ${suggested}, or bind the server to both loopback addresses (127.0.0.1 and ::1); prefer loopback binds over 0.0.0.0, which exposes an unauthenticated server to the network`, suggested);
		}

		if (input.covering.length > 0) {
			return make('no-answer', `${input.covering.map(listener => listenerText(listener)).join(', ')} accepts connections on :${port} but gives no HTTP answer`, 'the server may be stuck or not speak HTTP on that port; look at its output');
		}

		if (tree !== undefined) {
			return make('race', 'the server is running but listens on no TCP port yet: still booting, or it never serves HTTP', 'wait for it to finish booting; a stdio-only MCP server never listens: start it in HTTP mode');
		}

		return make('not-listening', `nothing listens on port ${port}: the server is not running, or listens on another port`, `start the server, or check the port it prints at startup (mcp-launch --server "<command>" starts it and waits for it)`);
	}

	if (answer.severity === 'warn') {
		return make(answer.cause, answer.message, answer.fix, answer.suggestedUrl);
	}

	if (input.strangers.length > 0) {
		return make('port-in-use', `port ${port} is answered by ${input.strangers.map(listener => listenerText(listener)).join(', ')}, not by the server's processes`, 'stop the other process (a stale instance?), or give the server another port');
	}

	return {cause: 'ok', summary: `${url.href} answers HTTP ${answer.status}: ready for MCP clients`, evidence: [], fix: ''};
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

	return lines.join('\n');
}
