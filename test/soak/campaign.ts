// The fault soak: a bounded, seeded, randomized campaign of real launches (dist/cli.js, the
// fixture server behind 0-2 wrapper layers, a fixture client) with faults injected at random
// moments, each run checked for leftovers, a bound port and the exact documented exit code.
//
// Determinism: scenario i is drawn from its own PRNG (mulberry32 of the seed and i), so
// `--seed S --only i` replays it alone. Timing is real, so a replay reproduces the scenario, not
// necessarily the same interleaving. Fault moments are chosen by waiting for a handshake (a report
// line, `CLIENT READY`, the client's report) plus a random number of event-loop ticks or a short
// random delay: that delay is the fault injection, not a test wait.
import {spawn} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {constants, tmpdir} from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {CLI, CLIENT_FIXTURE, FIXTURES, NPM_LIKE_FIXTURE, ROOT, SERVER_FIXTURE, shellJoin} from '../helpers/cli.js';
import {freePort} from '../helpers/net.js';
import {isAlive} from '../helpers/proc.js';
import {readClientReport, readJsonLines} from '../helpers/report.js';
import {childrenOf, describeLeftover, findLeftovers, isGuardian, killAll, waitNothingLeft, waitPortFree, type Leftover} from '../helpers/soak-procs.js';

export const SOAK_CLIENT_FIXTURE = path.join(FIXTURES, 'soak-client.js');

// ------------------------------------------------------------------------------------------------
// PRNG and scenarios

/** mulberry32: a tiny, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

class Rng {
	constructor(readonly next: () => number) {}
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}
	chance(p: number): boolean {
		return this.next() < p;
	}
	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)]!;
	}
	weighted<T extends string>(table: Record<T, number>): T {
		const entries = Object.entries(table) as Array<[T, number]>;
		let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
		for (const [value, weight] of entries) {
			roll -= weight;
			if (roll < 0) return value;
		}
		return entries[entries.length - 1]![0];
	}
}

export type LauncherSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'SIGKILL';
export type Wrapper = 'none' | 'npm' | 'npm-shell';
export type Kind = 'no-fault' | 'crash-before-ready' | 'timeout' | 'crash-after-ready' | 'client-crash' | 'launcher-signal';
/** waiting: the launcher waits for the server; client-running: after CLIENT READY; client-exiting: the client is told to exit, the signal follows within a few ms. */
export type Moment = 'waiting' | 'client-running' | 'client-exiting';
export type Pause = {ticks: number} | {ms: number};

export interface Scenario {
	index: number;
	seed: number;
	kind: Kind;
	wrapper: Wrapper;
	server: {
		mode: 'listen' | 'never-listen' | 'crash-on-boot' | 'exit-after-ready';
		bootDelay: number;
		ignoreSigterm: boolean;
		exitAfterReady?: number;
	};
	timeoutMs: number;
	killTimeoutMs: number;
	onServerExit: 'warn' | 'exit';
	client: {program: 'soak' | 'sdk'; mode: 'exit' | 'stay' | 'until-file'; exit: number; probe: boolean};
	fault?: {target: 'launcher' | 'client'; signal: NodeJS.Signals; moment: Moment; pause: Pause; /** For 'waiting': the first report line (often the wrapper's) or the server's own start. */ anchor?: 'first-report' | 'server-start'};
}

const KILL_TIMEOUT_MS = 300;

/** Scenario i of a campaign: a pure function of (seed, i). */
export function scenario(seed: number, index: number): Scenario {
	const rng = new Rng(mulberry32((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0));
	const kind = rng.weighted<Kind>({'no-fault': 12, 'crash-before-ready': 8, timeout: 8, 'crash-after-ready': 12, 'client-crash': 10, 'launcher-signal': 50});
	const s: Scenario = {
		index,
		seed,
		kind,
		wrapper: rng.pick(['none', 'npm', 'npm-shell'] as const),
		server: {mode: 'listen', bootDelay: rng.int(0, 800), ignoreSigterm: rng.chance(0.3)},
		timeoutMs: 30_000,
		killTimeoutMs: KILL_TIMEOUT_MS,
		onServerExit: 'warn',
		// Exit codes 0-100: never one of the codes the launcher itself gives meaning to (124-143).
		client: {program: 'soak', mode: 'exit', exit: rng.int(0, 100), probe: rng.chance(0.5)},
	};
	const pause = (maxTicks: number, maxMs: number): Pause => (rng.chance(0.5) ? {ticks: rng.int(0, maxTicks)} : {ms: rng.int(0, maxMs)});
	switch (kind) {
		case 'no-fault': {
			if (rng.chance(0.5)) s.client.program = 'sdk'; // a real MCP client: connects once, lists tools
			break;
		}
		case 'crash-before-ready': {
			s.server.mode = 'crash-on-boot';
			break;
		}
		case 'timeout': {
			if (rng.chance(0.5)) {
				s.server.mode = 'never-listen';
				s.timeoutMs = rng.int(300, 900);
			} else {
				s.server.bootDelay = 800; // listens after 800 ms plus its own start-up: always after the timeout
				s.timeoutMs = rng.int(200, 400);
			}
			break;
		}
		case 'crash-after-ready': {
			s.server.mode = 'exit-after-ready';
			s.server.exitAfterReady = rng.int(400, 900);
			s.server.ignoreSigterm = false;
			s.onServerExit = rng.pick(['warn', 'exit'] as const);
			s.client.mode = s.onServerExit === 'warn' ? 'until-file' : 'stay';
			s.client.probe = false; // the server may be gone before the client gets to it
			break;
		}
		case 'client-crash': {
			s.client.mode = 'stay';
			if (rng.chance(0.3)) s.client.program = 'sdk';
			s.fault = {target: 'client', signal: rng.pick(['SIGKILL', 'SIGUSR2'] as const), moment: 'client-running', pause: pause(200, 300)};
			break;
		}
		case 'launcher-signal': {
			const signal = rng.pick(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const);
			const moment = rng.weighted<Moment>({waiting: 35, 'client-running': 40, 'client-exiting': 25});
			if (moment === 'waiting') {
				if (rng.chance(0.3)) s.server.mode = 'never-listen';
				s.client.mode = 'stay';
				s.fault = {target: 'launcher', signal, moment, pause: pause(200, 700), anchor: rng.pick(['first-report', 'server-start'] as const)};
			} else if (moment === 'client-running') {
				s.client.mode = 'stay';
				if (rng.chance(0.25)) s.client.program = 'sdk';
				s.fault = {target: 'launcher', signal, moment, pause: pause(200, 300)};
			} else {
				s.client.mode = 'until-file';
				s.fault = {target: 'launcher', signal, moment, pause: pause(300, 120)};
			}
			break;
		}
	}
	return s;
}

const signalNumber = (signal: string): number => (constants.signals as Record<string, number>)[signal]!;

export interface Expectation {
	/** Acceptable exit codes; more than one only in a named race window. */
	codes: number[];
	/** The race window that makes several outcomes legitimate. */
	race?: string;
	why: string;
}

/** The exit code the README documents for a scenario ("Exit codes", "Signals"). */
export function expectation(s: Scenario): Expectation {
	const c = s.client.exit;
	switch (s.kind) {
		case 'no-fault':
			return {codes: [c], why: 'the client\'s own code'};
		case 'crash-before-ready':
			return {codes: [125], why: 'server exited before ready: 125'};
		case 'timeout':
			return {codes: [124], why: 'not ready within --timeout: 124'};
		case 'crash-after-ready':
			return s.onServerExit === 'warn'
				? {codes: [c], why: 'server died while the client ran (warn): still the client\'s code'}
				: {codes: [125], why: 'server died while the client ran, --on-server-exit exit: 125'};
		case 'client-crash':
			return {codes: [128 + signalNumber(s.fault!.signal)], why: `the client died of ${s.fault!.signal}: 128+N`};
		case 'launcher-signal': {
			const {signal, moment} = s.fault!;
			const code = 128 + signalNumber(signal);
			if (signal === 'SIGKILL') return {codes: [137], why: 'SIGKILL: the parent sees 128+9'};
			if (moment === 'client-exiting') {
				// The signal races the client's own exit: before it, it is forwarded (128+N); once the
				// client is gone, mcp-launch is tearing down and exits with the client's code.
				return {codes: [code, c], race: 'signal-vs-client-exit', why: `${signal} as the client exits: ${code}, or the client's ${c} if the client had already exited`};
			}
			return {codes: [code], why: `${signal} to mcp-launch ${moment === 'waiting' ? 'while waiting (or forwarded, if the client already ran)' : 'forwarded to the client'}: ${code}`};
		}
	}
}

export function describe(s: Scenario): string {
	const server = [
		s.wrapper === 'none' ? 'sh' : s.wrapper === 'npm' ? 'sh>npm-like' : 'sh>npm-like>sh',
		s.server.mode === 'listen' ? `boot ${s.server.bootDelay}ms` : s.server.mode === 'exit-after-ready' ? `boot ${s.server.bootDelay}ms, exits ${s.server.exitAfterReady}ms after ready` : s.server.mode,
		...(s.server.ignoreSigterm ? ['ignores SIGTERM'] : []),
	].join(', ');
	const client = `${s.client.program} client ${s.client.mode}${s.client.mode === 'stay' ? '' : `, code ${s.client.exit}`}${s.client.probe ? ' +probe' : ''}`;
	const fault = s.fault
		? `${s.fault.signal} to the ${s.fault.target} @${s.fault.moment}${s.fault.anchor ? `(${s.fault.anchor})` : ''}+${'ticks' in s.fault.pause ? `${s.fault.pause.ticks} ticks` : `${s.fault.pause.ms}ms`}`
		: 'no signal';
	return `#${s.index} ${s.kind}: ${fault} | server ${server} | ${client} | timeout ${s.timeoutMs}ms, on-server-exit ${s.onServerExit}`;
}

// ------------------------------------------------------------------------------------------------
// One run

export interface RunResult {
	scenario: Scenario;
	expected: Expectation;
	code: number;
	signal: NodeJS.Signals | null;
	/** Index into expected.codes, or -1: a wrong code. */
	outcome: number;
	leftovers: Leftover[];
	portBusy: boolean;
	hang: boolean;
	/** Handshakes that did not come, documented behaviour that did not show. */
	problems: string[];
	/** Where the run was when a 'waiting' or 'client-exiting' signal was sent. */
	landed?: 'before-listen' | 'listening' | 'client-started' | 'client-running' | 'client-exited' | 'launcher-gone';
	durationMs: number;
	/** From the launcher's exit (or the SIGKILL) to nothing left. */
	cleanMs: number;
	stderr: string;
}

const RUN_BOUND_MS = 60_000;
const HANDSHAKE_MS = 30_000;
const CLEAN_MS = 3_000;

const usedPorts = new Set<number>();
async function uniquePort(): Promise<number> {
	for (;;) {
		const port = await freePort();
		if (!usedPorts.has(port)) {
			usedPorts.add(port);
			return port;
		}
	}
}

function serverCommand(s: Scenario, port: number, report: string): string {
	const flags = ['--port', String(port), '--report', report];
	if (s.server.mode === 'listen' && s.server.bootDelay > 0) flags.push('--boot-delay', String(s.server.bootDelay));
	if (s.server.mode === 'never-listen') flags.push('--never-listen');
	if (s.server.mode === 'crash-on-boot') flags.push('--crash-on-boot', `soak:crash-on-boot-${s.index}`); // no spaces: npm-like --shell joins words
	if (s.server.mode === 'exit-after-ready') {
		if (s.server.bootDelay > 0) flags.push('--boot-delay', String(s.server.bootDelay));
		flags.push('--exit-after-ready', String(s.server.exitAfterReady));
	}
	if (s.server.ignoreSigterm) flags.push('--ignore-sigterm');
	const server = ['node', SERVER_FIXTURE, ...flags];
	if (s.wrapper === 'none') return shellJoin(server);
	return shellJoin(['node', NPM_LIKE_FIXTURE, '--report', report, ...(s.wrapper === 'npm-shell' ? ['--shell'] : []), '--', ...server]);
}

function clientArgv(s: Scenario, report: string, gate: string): string[] {
	const mode = s.client.mode === 'stay' ? ['--stay'] : s.client.mode === 'until-file' ? ['--until-file', gate, '--exit', String(s.client.exit)] : ['--exit', String(s.client.exit)];
	if (s.client.program === 'sdk') return ['node', CLIENT_FIXTURE, '--report', report, ...mode];
	return ['node', SOAK_CLIENT_FIXTURE, '--report', report, ...mode, ...(s.client.probe ? ['--probe'] : [])];
}

async function pauseFor(pause: Pause): Promise<void> {
	if ('ms' in pause) {
		await delay(pause.ms);
		return;
	}
	for (let i = 0; i < pause.ticks; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Runs one scenario to the end and checks it. Never throws for a launcher misbehaviour: it records it. */
export async function runScenario(s: Scenario, context: {cli?: string; active?: Set<number>} = {}): Promise<RunResult> {
	const {cli = CLI, active} = context;
	const dir = mkdtempSync(path.join(tmpdir(), `mcp-launch-soak-${s.index}-`));
	const port = await uniquePort();
	const serverReport = path.join(dir, 'server.jsonl');
	const clientReport = path.join(dir, 'client.json');
	const gate = path.join(dir, 'client-may-exit');
	const expected = expectation(s);
	const problems: string[] = [];
	const args = [
		'--server', serverCommand(s, port, serverReport),
		'--url', `http://127.0.0.1:${port}/mcp`,
		'--timeout', `${s.timeoutMs}ms`,
		'--kill-timeout', `${s.killTimeoutMs}ms`,
		'--on-server-exit', s.onServerExit,
		'--', ...clientArgv(s, clientReport, gate),
	];
	const startedAt = performance.now();
	// detached: a session of its own, so no controlling terminal: a SIGINT is one "sent to mcp-launch
	// alone" (forwarded, exit 130), as under CI or a supervisor. The client joins this group.
	const child = spawn(process.execPath, [cli, ...args], {cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe']});
	const launcherPid = child.pid!;
	active?.add(launcherPid);
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	let exit: {code: number | null; signal: NodeJS.Signals | null; at: number} | undefined;
	const exited = new Promise<void>((resolve) => {
		child.once('exit', (code, signal) => {
			exit = {code, signal, at: performance.now()};
			resolve();
		});
		child.once('error', (error) => {
			problems.push(`spawn error: ${error.message}`);
			exit ??= {code: null, signal: null, at: performance.now()};
			resolve();
		});
	});
	const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
	let hang = false;
	const bound = setTimeout(() => {
		hang = true;
		try {
			process.kill(launcherPid, 'SIGKILL');
		} catch {}
	}, RUN_BOUND_MS);

	// Who the launcher spawned (found in /proc while it runs): the server's group leader (its
	// /bin/sh names our run dir) and the guardian (its argv carries the launcher's pid).
	const found = {pgid: undefined as number | undefined, guardian: undefined as number | undefined};
	const watch = (async () => {
		while (!exit && (found.pgid === undefined || found.guardian === undefined)) {
			for (const p of childrenOf(launcherPid)) {
				if (isGuardian(p)) {
					found.guardian = p.pid;
				} else if (p.argv[0] === '/bin/sh' && p.argv.some((w) => w.includes(dir))) {
					found.pgid ??= p.pid;
				}
			}
			await delay(20);
		}
	})();

	/** Bounded wait for a handshake; false (and a recorded problem) when it does not come. */
	const until = async (what: string, ready: () => boolean, timeoutMs = HANDSHAKE_MS): Promise<boolean> => {
		const deadline = performance.now() + timeoutMs;
		while (!ready()) {
			if (exit) {
				problems.push(`launcher exited (code ${exit.code}, signal ${exit.signal}) before ${what}`);
				return false;
			}
			if (performance.now() > deadline) {
				problems.push(`no ${what} within ${timeoutMs} ms`);
				return false;
			}
			await delay(5);
		}
		return true;
	};
	const serverEvents = () => readJsonLines(serverReport);
	const clientStarted = () => readClientReport(clientReport) !== undefined;

	let killSentAt: number | undefined;
	let landed: RunResult['landed'];
	const sendToLauncher = (signal: NodeJS.Signals) => {
		if (exit) {
			landed = 'launcher-gone';
			return;
		}
		if (signal === 'SIGKILL') killSentAt = performance.now();
		process.kill(launcherPid, signal);
	};

	// ---- the fault
	const f = s.fault;
	if (s.kind === 'crash-after-ready' && s.onServerExit === 'warn') {
		// Documented: one line on stderr while the client keeps running; then the client finishes.
		if (await until('the server-exit warning on stderr', () => /fixture: dying now/.test(stderr))) {
			if (await until('the client report', clientStarted)) {
				const report = readClientReport(clientReport)!;
				if (!isAlive(report.pid)) problems.push('the client did not keep running after the server died');
			}
		}
		writeFileSync(gate, '');
	} else if (f?.moment === 'waiting') {
		const anchored = f.anchor === 'server-start' ? () => serverEvents().some((e) => e.event === 'start') : () => serverEvents().length > 0;
		if (await until(`the server report (${f.anchor})`, anchored)) {
			await pauseFor(f.pause);
			landed = exit ? 'launcher-gone' : clientStarted() ? 'client-started' : serverEvents().some((e) => e.event === 'listening') ? 'listening' : 'before-listen';
			sendToLauncher(f.signal);
		}
	} else if (f?.moment === 'client-running') {
		if (await until('CLIENT READY', () => stdout.includes('CLIENT READY'))) {
			await pauseFor(f.pause);
			if (f.target === 'client') {
				const report = readClientReport(clientReport);
				if (report && !exit) process.kill(report.pid, f.signal);
				else problems.push('no client to crash');
			} else {
				sendToLauncher(f.signal);
			}
		}
	} else if (f?.moment === 'client-exiting') {
		if (await until('the client report', clientStarted)) {
			writeFileSync(gate, '');
			await pauseFor(f.pause);
			landed = exit ? 'launcher-gone' : readClientReport(clientReport)?.exitCode === null ? 'client-running' : 'client-exited';
			sendToLauncher(f.signal);
		}
	}

	await exited;
	clearTimeout(bound);
	await watch;
	const code = exit!.code ?? 128 + (exit!.signal ? signalNumber(exit!.signal) : 0);
	// A SIGKILL can't be caught: a launcher that got it always ends by it. One that ended with a
	// code instead had exited (or was a zombie not yet seen as exited) when the signal was sent.
	if (f?.signal === 'SIGKILL' && f.target === 'launcher' && f.moment === 'client-exiting' && exit!.signal !== 'SIGKILL') {
		landed = 'launcher-gone';
	}

	if (landed === 'launcher-gone' && (expected.race || f?.signal === 'SIGKILL')) {
		// The launcher had exited before the signal was sent: no race left, only the client's code.
		expected.codes = [s.client.exit];
		expected.why = 'the launcher had already exited when the signal was sent: the client\'s code';
		delete expected.race;
	}

	// ---- leftovers: every pid of the server tree and the client, both groups, anything naming the
	// run dir, the guardian. Bounded: 3 s after the exit; after a SIGKILL the guardian's grace.
	const events = serverEvents();
	const start = events.find((e) => e.event === 'start');
	const pgid = start?.pgid ?? found.pgid;
	const client = readClientReport(clientReport);
	const pids = new Set<number>([launcherPid]);
	for (const e of events) {
		pids.add(e.pid);
		if (e.child !== undefined) pids.add(e.child);
	}
	if (pgid !== undefined) pids.add(pgid);
	if (client) pids.add(client.pid);
	if (found.guardian !== undefined) pids.add(found.guardian);
	const footprint = {pids, groups: [launcherPid, ...(pgid === undefined ? [] : [pgid])], marker: dir, guardianOf: [launcherPid]};
	const from = killSentAt ?? exit!.at;
	const allowance = killSentAt !== undefined ? s.killTimeoutMs + 1_000 : CLEAN_MS;
	const {left} = await waitNothingLeft(footprint, Math.max(0, from + allowance - performance.now()));
	const cleanMs = performance.now() - from;
	const portFree = await waitPortFree(port, Math.max(200, from + allowance - performance.now()));
	if (left.length > 0) killAll(left); // keep the next runs clean; reported below

	// ---- documented behaviour beyond the exit code
	await Promise.race([closed, delay(2_000)]);
	const report = readClientReport(clientReport);
	if (s.kind === 'crash-before-ready' && !stderr.includes(`soak:crash-on-boot-${s.index}`)) problems.push('the server\'s last words are not on stderr');
	if (s.kind === 'crash-after-ready' && s.onServerExit === 'exit' && !/ending the client/.test(stderr)) problems.push('no "ending the client" line for --on-server-exit exit');
	if (s.kind === 'launcher-signal' && f && f.moment === 'client-running' && s.client.program === 'soak') {
		// The soak client printed CLIENT READY, so its handlers were in place: it must have seen the
		// signal exactly once (forwarded), or SIGTERM from the guardian after a SIGKILL.
		const wanted = f.signal === 'SIGKILL' ? 'SIGTERM' : f.signal;
		if (JSON.stringify(report?.signals) !== JSON.stringify([wanted])) problems.push(`client signals ${JSON.stringify(report?.signals)}, expected [${wanted}]`);
	}
	if (s.kind === 'no-fault' && report?.exitCode !== s.client.exit) problems.push(`the client itself exited ${report?.exitCode} (error: ${(report as {error?: string} | undefined)?.error ?? (report as {probe?: unknown} | undefined)?.probe})`);

	rmSync(dir, {recursive: true, force: true});
	active?.delete(launcherPid);
	return {
		scenario: s,
		expected,
		code,
		signal: exit!.signal,
		outcome: expected.codes.indexOf(code),
		leftovers: left,
		portBusy: !portFree,
		hang,
		problems,
		...(landed ? {landed} : {}),
		durationMs: exit!.at - startedAt,
		cleanMs,
		stderr,
	};
}

// ------------------------------------------------------------------------------------------------
// The campaign

/**
 * A private copy of the bundle (dist/cli.js and its chunks: they import only node: built-ins),
 * taken once at the start: the campaign keeps testing what was built even if someone rebuilds the
 * shared dist/ meanwhile (the build starts with rm -rf dist).
 */
export function snapshotCli(): {cli: string; dispose(): void} {
	if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build first`);
	const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-soak-cli-'));
	const dist = path.dirname(CLI);
	cpSync(CLI, path.join(dir, 'cli.js'));
	if (existsSync(path.join(dist, 'chunks'))) cpSync(path.join(dist, 'chunks'), path.join(dir, 'chunks'), {recursive: true});
	writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
	return {cli: path.join(dir, 'cli.js'), dispose: () => rmSync(dir, {recursive: true, force: true})};
}

export interface CampaignOptions {
	/** The launcher to run (default: a snapshot of dist/cli.js taken now). */
	cli?: string;
	runs: number;
	seed: number;
	concurrency: number;
	/** Only these scenario indices (a replay). */
	only?: number[];
	/** One line per finished run (undefined: silent). */
	log?: (line: string) => void;
	/** Set to stop scheduling new runs. */
	stop?: {requested: boolean};
	/** Launcher pids in flight (for an emergency stop). */
	active?: Set<number>;
}

export interface CampaignResult {
	seed: number;
	results: RunResult[];
	wallMs: number;
	concurrency: number;
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
	const indices = options.only ?? Array.from({length: options.runs}, (_, i) => i);
	const queue = indices.map((i) => scenario(options.seed, i));
	const results: RunResult[] = [];
	const snapshot = options.cli === undefined ? snapshotCli() : undefined;
	const cli = options.cli ?? snapshot!.cli;
	const started = performance.now();
	const worker = async () => {
		for (let s = queue.shift(); s; s = queue.shift()) {
			if (options.stop?.requested) return;
			const result = await runScenario(s, {cli, ...(options.active ? {active: options.active} : {})});
			results.push(result);
			options.log?.(runLine(result, results.length, indices.length));
		}
	};
	try {
		await Promise.all(Array.from({length: Math.max(1, options.concurrency)}, worker));
	} finally {
		snapshot?.dispose();
	}
	results.sort((a, b) => a.scenario.index - b.scenario.index);
	return {seed: options.seed, results, wallMs: performance.now() - started, concurrency: options.concurrency};
}

export const failed = (r: RunResult): boolean => r.outcome < 0 || r.leftovers.length > 0 || r.portBusy || r.hang || r.problems.length > 0;

function runLine(r: RunResult, done: number, total: number): string {
	const verdict = failed(r) ? 'FAIL' : r.expected.race ? `ok (race: ${r.outcome === 0 ? 'signal won' : 'client exit won'})` : 'ok';
	return `[${String(done).padStart(3)}/${total}] ${verdict.padEnd(4)} exit ${String(r.code).padStart(3)} (expected ${r.expected.codes.join(' or ')}) ${Math.round(r.durationMs)}ms  ${describe(r.scenario)}`;
}

const tally = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
const formatTally = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join(', ');
const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);

/** The printed figures. */
export function summary(c: CampaignResult): string {
	const {results} = c;
	const kinds = new Map<string, number>();
	const faults = new Map<string, number>();
	const wrappers = new Map<string, number>();
	const codes = new Map<string, number>();
	const races = new Map<string, number>();
	const landed = new Map<string, number>();
	for (const r of results) {
		const s = r.scenario;
		tally(kinds, s.kind);
		tally(wrappers, s.wrapper);
		if (s.fault) tally(faults, `${s.fault.signal}→${s.fault.target}@${s.fault.moment}`);
		if (s.server.ignoreSigterm) tally(faults, 'server ignores SIGTERM');
		if (s.kind === 'crash-before-ready') tally(faults, 'server crash before ready');
		if (s.kind === 'crash-after-ready') tally(faults, `server crash after ready (${s.onServerExit})`);
		if (s.kind === 'timeout') tally(faults, `readiness timeout (${s.server.mode})`);
		tally(codes, String(r.code));
		if (r.expected.race) tally(races, `${r.expected.race} (sent while ${r.landed}) → ${r.outcome === 0 ? '128+N (forwarded)' : r.outcome === 1 ? 'client\'s code (exited first)' : 'WRONG'}`);
		if (r.landed) tally(landed, r.landed);
	}
	const wrong = results.filter((r) => r.outcome < 0);
	const leftovers = results.filter((r) => r.leftovers.length > 0);
	const busy = results.filter((r) => r.portBusy);
	const hangs = results.filter((r) => r.hang);
	const problems = results.filter((r) => r.problems.length > 0);
	const durations = results.map((r) => r.durationMs).sort((a, b) => a - b);
	const cleans = results.map((r) => r.cleanMs).sort((a, b) => a - b);
	const out = [
		'',
		`soak: seed ${c.seed}, ${results.length} runs, concurrency ${c.concurrency}, wall ${(c.wallMs / 1000).toFixed(1)} s`,
		`  scenarios: ${formatTally(kinds)}`,
		`  faults: ${formatTally(faults)}`,
		`  wrappers: ${formatTally(wrappers)}`,
		`  where signals landed ('waiting', 'client-exiting'): ${formatTally(landed) || '-'}`,
		`  exit codes seen: ${formatTally(codes)}`,
		`  race windows (both outcomes documented): ${formatTally(races) || '-'}`,
		`  run time: p50 ${Math.round(percentile(durations, 0.5))} ms, p95 ${Math.round(percentile(durations, 0.95))} ms, max ${Math.round(durations.at(-1) ?? 0)} ms; nothing left after: p50 ${Math.round(percentile(cleans, 0.5))} ms, max ${Math.round(cleans.at(-1) ?? 0)} ms`,
		`  leftovers: ${leftovers.length} runs (${leftovers.reduce((n, r) => n + r.leftovers.length, 0)} processes), port still bound: ${busy.length}, wrong exit codes: ${wrong.length}, hangs: ${hangs.length}, other problems: ${problems.length}`,
	];
	for (const r of results.filter(failed)) {
		out.push('', `FAILED ${describe(r.scenario)}`);
		out.push(`  exit ${r.code}${r.signal ? ` (${r.signal})` : ''}, expected ${r.expected.codes.join(' or ')}: ${r.expected.why}${r.landed ? `; the signal landed ${r.landed}` : ''}`);
		for (const p of r.leftovers) out.push(`  leftover ${describeLeftover(p)}`);
		if (r.portBusy) out.push('  port still bound');
		if (r.hang) out.push(`  hang: no exit within ${RUN_BOUND_MS} ms (SIGKILLed)`);
		for (const p of r.problems) out.push(`  problem: ${p}`);
		out.push(`  stderr: ${r.stderr.trim().split('\n').slice(-8).join('\n          ')}`);
		out.push(`  replay: node --import tsx test/soak/run.ts --seed ${c.seed} --only ${r.scenario.index}`);
	}
	out.push('', `seed ${c.seed}: ${results.filter(failed).length === 0 ? 'PASS' : `FAIL (${results.filter(failed).length} runs)`}`);
	return out.join('\n');
}
