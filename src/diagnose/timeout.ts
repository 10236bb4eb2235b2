import {bounds} from '../defaults.js';
import {formatDuration} from '../duration.js';
import type {Os} from '../os/types.js';
import type {ProbeAnswer, ProbeOptions} from '../readiness/probe.js';
import type {OutputTail} from '../server/output-tail.js';
import type {ServerExit} from '../server/spawn-server.js';
import {type AddressResult, type AddressVerdict, checkAddresses, hostOf, portOf, type Resolver} from './addresses.js';
import {type Announced, parseAnnounced} from './announced.js';
import {classifyAnswer} from './answer.js';
import {diagnose} from './rules.js';
import {describeOwner, formatHostPort, type Listener} from './port-owner-text.js';
import type {ErrorLike} from './scheme.js';
import type {Diagnosis} from './types.js';

/** Everything known when the readiness budget ran out. Gathered by {@link gatherTimeoutEvidence}; injected in unit specs. */
export type TimeoutEvidence = {
	url: URL;
	elapsedMs: number;
	attempts: number;
	/** The gate's last probe error. */
	lastError?: ErrorLike;
	/** One fresh probe per resolved address of the URL's host, in OS order. */
	addresses?: {results: AddressResult[]; verdict: AddressVerdict};
	server: {pid?: number; alive: boolean; exit?: ServerExit};
	/** LISTEN sockets of the server's process tree; undefined when the platform cannot tell. */
	treeListeners?: Listener[];
	/** Everything listening on the URL's port, whoever owns it. */
	portListeners?: Listener[];
	announced: Announced;
	tail: {stderr: readonly string[]; stdout: readonly string[]};
	/** mcp-launch chose the port (`-p`: PORT and `{port}`), so a server elsewhere ignored it. */
	portGiven?: boolean;
	/** The server command, for naming the flag that sets its port. */
	command?: string;
};

const shownTailLines = 8;

function listenerText(listener: Listener): string {
	const where = formatHostPort(listener.address, listener.port);
	return listener.pid === undefined ? where : `${where}, ${describeOwner(listener)}`;
}

function addressText(result: AddressResult, port: number): string {
	const where = formatHostPort(result.address, port);
	return result.ok ? `${where} answered HTTP ${result.status}` : `${where}: ${result.message}`;
}

function evidenceLines(evidence: TimeoutEvidence): string[] {
	const {url} = evidence;
	const port = portOf(url);
	const lines = [`waited ${formatDuration(evidence.elapsedMs)}, ${evidence.attempts} probes of ${url.href}`];
	if (evidence.addresses && evidence.addresses.results.length > 0) {
		lines.push(`addresses of ${hostOf(url)}: ${evidence.addresses.results.map(result => addressText(result, port)).join('; ')}`);
	} else if (evidence.lastError) {
		lines.push(`last error: ${evidence.lastError.message}`);
	}

	const {server} = evidence;
	if (server.alive) {
		lines.push(`the server is still running${server.pid === undefined ? '' : ` (process group ${server.pid})`}`);
	} else if (server.exit) {
		lines.push(`the server ${server.exit.signal ? `was killed by ${server.exit.signal}` : `exited with code ${server.exit.code}`}`);
	}

	if (evidence.treeListeners !== undefined) {
		lines.push(evidence.treeListeners.length > 0
			? `its processes listen on ${evidence.treeListeners.map(listener => listenerText(listener)).join(', ')}`
			: 'its processes listen on no TCP port');
	}

	const strangers = (evidence.portListeners ?? []).filter(listener => !evidence.treeListeners?.some(own => own.pid !== undefined && own.pid === listener.pid));
	if (strangers.length > 0 && evidence.treeListeners !== undefined) {
		lines.push(`port ${port} is held by ${strangers.map(listener => listenerText(listener)).join(', ')}`);
	}

	const {announced} = evidence;
	const said = [...announced.urls, ...announced.hostPorts.filter(hostPort => !announced.urls.some(text => text.includes(hostPort)))];
	lines.push(said.length > 0 ? `it announced ${said.join(', ')}` : (announced.ports.length > 0 ? `it announced port ${announced.ports.join(', ')}` : 'it announced no address or port'));
	const tail = [...evidence.tail.stderr, ...evidence.tail.stdout].filter(line => line.trim() !== '').slice(-shownTailLines);
	lines.push(tail.length > 0 ? `its last lines:\n${tail.map(line => `    ${line}`).join('\n')}` : 'it printed nothing');
	return lines;
}

/**
 * The likely cause of a readiness timeout, from the same ordered rules as doctor's verdict
 * (rules.ts: crash, scheme, address family, wrong port or host, accepted-but-silent, still
 * booting), with the evidence a person reads under it. Pure: `evidence` comes from
 * {@link gatherTimeoutEvidence} or a unit spec.
 */
export function diagnoseTimeout(evidence: TimeoutEvidence): Diagnosis {
	// It may answer by the time the report looks: what that answer means is evidence like any other.
	const first = evidence.addresses?.results.find(result => result.ok);
	const answer = first?.ok ? classifyAnswer(first, evidence.url, {announcedPaths: evidence.announced.paths, serverOutput: [...evidence.tail.stdout, ...evidence.tail.stderr]}) : undefined;
	return {...diagnose({...evidence, output: evidence.tail, ...(answer ? {answer} : {})}), evidence: evidenceLines(evidence)};
}

/** What {@link gatherTimeoutEvidence} needs of the spawned server (a `ServerProcess` fits). */
export type ServerLike = {
	pid: number;
	tail: Pick<OutputTail, 'kept'>;
	exit(): ServerExit | undefined;
	/** Whether no process of its tree runs any more. */
	isGone(): Promise<boolean>;
	/** The LISTEN sockets of its tree. */
	listeners(): Promise<Listener[]>;
};

export type GatherOptions = {
	url: URL;
	elapsedMs: number;
	attempts: number;
	lastError?: ErrorLike;
	server: ServerLike;
	/** Bound for each per-address probe. Default 1 s. */
	probeTimeoutMs?: number;
	headers?: Record<string, string>;
	resolve?: Resolver;
	probe?: (url: URL, options: ProbeOptions) => Promise<ProbeAnswer>;
	/** mcp-launch chose the port (see TimeoutEvidence.portGiven). */
	portGiven?: boolean;
	/** The server command (see TimeoutEvidence.command). */
	command?: string;
	/** Who listens on the URL's port (the OS seam). */
	os: Pick<Os, 'listeners' | 'seesListeners'>;
};

/**
 * Collect the evidence for {@link diagnoseTimeout}: one probe per address, the LISTEN
 * sockets of the server's process group and of the URL's port, what it printed. Call it
 * before the server is stopped.
 */
export async function gatherTimeoutEvidence(options: GatherOptions): Promise<TimeoutEvidence> {
	const {url, server} = options;
	const exit = server.exit();
	const {os} = options;
	const alive = exit === undefined || !(await server.isGone());
	const addresses = await checkAddresses(url, {
		// Loopback answers within a millisecond; this bound keeps the report close to --timeout.
		timeoutMs: options.probeTimeoutMs ?? bounds.reportProbeMs,
		...(options.headers ? {headers: options.headers} : {}),
		...(options.resolve ? {resolve: options.resolve} : {}),
		...(options.probe ? {probe: options.probe} : {}),
	});
	const tail = server.tail.kept(); // Its first lines too: where it said it listens, above later logs.
	return {
		url,
		elapsedMs: options.elapsedMs,
		attempts: options.attempts,
		...(options.lastError ? {lastError: options.lastError} : {}),
		addresses,
		server: {pid: server.pid, alive, ...(exit ? {exit} : {})},
		...(os.seesListeners ? {treeListeners: await server.listeners(), portListeners: os.listeners(portOf(url))} : {}),
		announced: parseAnnounced([...tail.stdout, ...tail.stderr]),
		tail,
		...(options.portGiven ? {portGiven: true} : {}),
		...(options.command === undefined ? {} : {command: options.command}),
	};
}
