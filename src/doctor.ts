import {type AddressResult, checkAddresses, portOf, type Resolver} from './diagnose/addresses.js';
import {parseAnnounced} from './diagnose/announced.js';
import {answerInput, classifyAnswer} from './diagnose/answer.js';
import type {CrashExit} from './diagnose/crash.js';
import type {Listener} from './diagnose/port-owner-text.js';
import {probeOtherPorts} from './diagnose/other-ports.js';
import {diagnose} from './diagnose/rules.js';
import {detectSchemeMismatch, otherSchemeProbe, type SchemeMismatch} from './diagnose/scheme.js';
import {defaults} from './defaults.js';
import type {DoctorReport} from './doctor/format.js';
import {addressSteps, answerSteps, listenerStep, noAnswerSteps} from './doctor/steps.js';
import {toDurationMs, toEndpointUrl} from './option-values.js';
import {osFor} from './os/index.js';
import type {EvidenceSource} from './os/name.js';
import {probe as httpProbe, type ProbeAnswer, type ProbeOptions} from './readiness/probe.js';
import {toHeaders} from './workflow/headers.js';

export {formatDoctor, type DoctorReport} from './doctor/format.js';
export type {DoctorCheck, DoctorStep} from './doctor/steps.js';

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
	/** Who listens on a port / in a process group; defaults ask the OS seam (/proc, lsof, netstat). */
	findListeners?: (port: number) => Listener[];
	findGroupListeners?: (pgid: number) => Listener[] | Promise<Listener[]>;
	/** Which OS implementation the default finders ask: `procfs`, `lsof` or `win32`. Default from `process.platform`. */
	evidenceSource?: EvidenceSource;
};

/**
 * Check an MCP endpoint the way a person should, in order: the address, each resolved
 * address, what listens on the port and who owns it, the HTTP answer, the path and the
 * scheme; then the verdict with the fix, from the same ordered rules as the launcher's timeout
 * report. Never throws for a broken setup (that is the report); throws an OptionError (a
 * TypeError) for a URL that is not http(s) or a bad header.
 *
 * @example
 * const report = await doctor('http://localhost:3000/mcp');
 * process.stdout.write(formatDoctor(report) + '\n');
 * process.exitCode = report.exitCode;
 */
export async function doctor(input: string | URL, options: DoctorOptions = {}): Promise<DoctorReport> {
	const url = toEndpointUrl(input);
	const port = portOf(url);
	const timeoutMs = toDurationMs(options.timeoutMs ?? defaults.doctorProbeTimeoutMs, '--probe-timeout');
	const headers = options.headers === undefined ? undefined : toHeaders(options.headers);
	const probe = options.probe ?? httpProbe;
	const addresses = await checkAddresses(url, {timeoutMs, probe, ...(headers ? {headers} : {}), ...(options.insecure ? {insecure: true} : {}), ...(options.resolve ? {resolve: options.resolve} : {})});
	const checks = addressSteps(url, addresses.results, addresses.verdict);
	const output = options.serverOutput ?? [];
	const server = options.pgid === undefined ? undefined : {pid: options.pgid, alive: options.serverExit === undefined, ...(options.serverExit ? {exit: options.serverExit} : {})};
	if (addresses.results.length === 0) {
		return report(url, checks, {url, addresses, announced: parseAnnounced(output), output: {stderr: output, stdout: []}});
	}

	const os = osFor(options.evidenceSource);
	const portListeners = (options.findListeners ?? (() => os.listeners(port)))(port);
	const tree = options.pgid === undefined ? undefined : await (options.findGroupListeners ?? (pgid => os.groupListeners(pgid)))(options.pgid);
	checks.push(listenerStep(port, {results: addresses.results, portListeners, tree, serverExit: options.serverExit, canTell: os.seesListeners || options.findListeners !== undefined}));
	const announced = parseAnnounced(output);
	const first = addresses.results.find(result => result.ok);
	const answer = first?.ok ? classifyAnswer(answerInput(first), url, {announcedPaths: announced.paths, serverOutput: output}) : undefined;
	const scheme = first ? undefined : await confirmedScheme(addresses.results, url, probe, timeoutMs, headers);
	// A 404 while another port of the server's tree answers MCP there: the port is wrong, not the path.
	const otherPorts = answer?.cause === 'wrong-path' && tree && tree.length > 0 ? await probeOtherPorts(url, tree, {timeoutMs, probe}) : undefined;
	checks.push(...(first?.ok && answer ? answerSteps(url, first.status, answer) : noAnswerSteps(scheme)));
	return report(url, checks, {
		url, addresses, announced, output: {stderr: output, stdout: []}, portListeners,
		...(server ? {server} : {}), ...(tree ? {treeListeners: tree} : {}), ...(answer ? {answer} : {schemeTried: true}), ...(scheme ? {scheme: scheme.mismatch} : {}),
		...(otherPorts ? {otherPorts} : {}),
	});
}

/** The verdict from the shared rules; its evidence is the failed steps (and, for a crash, the last lines). */
function report(url: URL, checks: DoctorReport['checks'], evidence: Parameters<typeof diagnose>[0]): DoctorReport {
	const found = diagnose(evidence);
	const failed = checks.filter(check => !check.ok && !check.skipped).map(check => `${check.step}: ${check.evidence}`);
	const tail = found.cause === 'crash' || evidence.server?.exit ? evidence.output.stderr.filter(line => line.trim() !== '').slice(-8) : [];
	const lines = found.cause === 'ok' ? [] : [...failed, ...(tail.length > 0 ? [`its last lines:\n${tail.map(line => `    ${line}`).join('\n')}`] : [])];
	return {url: url.href, checks, verdict: {...found, evidence: lines}, exitCode: found.cause === 'ok' ? 0 : 1, ...(tail.length > 0 ? {serverLines: tail} : {})};
}

/** A probe error that looks like the other scheme, checked by trying it (without the user's headers: a downgrade). */
async function confirmedScheme(results: readonly AddressResult[], url: URL, probe: NonNullable<DoctorOptions['probe']>, timeoutMs: number, headers?: Record<string, string>): Promise<{mismatch: SchemeMismatch; confirmed: boolean} | undefined> {
	for (const result of results) {
		const suspect = result.ok ? undefined : detectSchemeMismatch({code: result.code, message: result.message}, url);
		if (!suspect || result.ok) {
			continue;
		}

		try {
			const other = otherSchemeProbe(url, headers);
			// eslint-disable-next-line no-await-in-loop
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
