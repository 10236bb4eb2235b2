// The real-world matrix (test/e2e-matrix-*.test.ts): third-party MCP servers run through the built
// CLI the way their READMEs serve Streamable HTTP, with real clients. Each matrix test records a row
// (server / client / command / result); after a spec file, its rows go to .tmp/matrix/<file>.json
// (ignored by git). Running the specs never rewrites a tracked file: `npm run matrix`
// (scripts/matrix-table.js) regenerates the table in examples/README.md from those rows, on purpose.
import {after, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {CLIENT_FIXTURE, FIXTURES, ROOT, show, startCli, type CliResult, type CliRun} from './cli.js';
import {defer} from './cleanup.js';
import {killHard} from './proc.js';
import {readClientReport} from './report.js';
import {childrenOf, describeLeftover, waitNothingLeft, type ProcInfo} from './soak-procs.js';
import {waitFor} from './wait.js';

export const BIN = path.join(ROOT, 'node_modules', '.bin');
export const VENV = path.join(ROOT, '.venv-matrix');
export const PY_REQUIREMENTS = path.join(FIXTURES, 'py-requirements.txt');
export const T = {timeout: 90_000};

/** Why the Python venv cannot be used (undefined: it can): .ci/run creates it. */
export function venvMissing(): string | undefined {
	if (!existsSync(path.join(VENV, 'bin', 'python')) || !existsSync(path.join(VENV, '.stamp'))) {
		return `.venv-matrix/ is missing: .ci/run creates it (python3 -m venv, pip install -r ${path.relative(ROOT, PY_REQUIREMENTS)})`;
	}
	return undefined;
}

/** The environment a user has after `npm install`: the packages' bins and the venv on PATH. */
export function matrixEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, PATH: [BIN, path.join(VENV, 'bin'), process.env.PATH].join(path.delimiter)};
	delete env.MCP_SERVER_URL;
	delete env.PORT;
	return {...env, ...extra};
}

/** A private temp dir for one test, removed after it (after the runs started later are killed: see defer). */
export function tempDir(t: TestContext, prefix = 'mcp-launch-matrix-'): string {
	const dir = mkdtempSync(path.join(tmpdir(), prefix));
	defer(t, () => rmSync(dir, {recursive: true, force: true, maxRetries: 5})); // Retries: a write in flight as the kill lands.
	return dir;
}

// ---------------------------------------------------------------------------------------------
// Rows

export interface Row {
	server: string;
	client: string;
	/** The command as a user types it (placeholders kept, fixture paths relative to the repo). */
	command: string;
	result: string;
	/** The Node major that ran it (the suite's Node: .ci/run runs the matrix on 20 and 24). */
	node?: string;
}

const node = process.versions.node.split('.')[0]!;

const rows: Row[] = [];

/** Quotes for display: the server command in double quotes, like the READMEs. */
export function display(args: readonly string[]): string {
	const words = args.map((word) => {
		const shown = word.split(ROOT + path.sep).join('');
		if (/^[\w@%+=:,./{}[\]<>-]+$/.test(shown)) return shown;
		return /["$`\\]/.test(shown) && !shown.includes("'") ? `'${shown}'` : `"${shown.replace(/(["\\$`])/g, '\\$1')}"`;
	});
	return ['mcp-launch', ...words].join(' ');
}

/**
 * A matrix test: runs `body`, records a row with its result (✓ + what it showed, or ✗ + the first
 * line of the failure), and fails as the body does.
 */
export function matrixTest(
	name: string,
	meta: Omit<Row, 'result'> & {skip?: string | undefined},
	body: (t: TestContext) => Promise<string>,
): void {
	test(name, {...T, skip: meta.skip ?? false}, async (t) => {
		try {
			const result = await body(t);
			rows.push({server: meta.server, client: meta.client, command: meta.command, result: `✓ ${result}`, node});
		} catch (error) {
			const first = failureLine(error).replace(/\b[1-6]\d{4}\b/g, '{port}');
			rows.push({server: meta.server, client: meta.client, command: meta.command, result: `✗ ${first}`, node});
			throw error;
		}
	});
	if (meta.skip) rows.push({server: meta.server, client: meta.client, command: meta.command, result: `not run: ${meta.skip}`, node});
}

/** One line for the table: the assertion's own message, or what it expected when that is only the output. */
function failureLine(error: unknown): string {
	const first = String((error as Error)?.message ?? error).split('\n')[0]!;
	if (error instanceof assert.AssertionError && /^exit \d+$/.test(first)) {
		const shown = error.operator === 'match' || error.operator === 'doesNotMatch' ? `${error.operator} ${String(error.expected)}` : `${first}, expected ${String(error.expected)}`;
		return shown.slice(0, 200);
	}
	return first.slice(0, 200);
}

/** Where the specs' rows go (ignored by git); `npm run matrix` makes the README table from them. */
export const ROWS_DIR = path.join(ROOT, '.tmp', 'matrix');

/** Call once per spec file: after its tests, save its rows (never the README: see `npm run matrix`). */
export function saveRowsAfter(specFile: string): void {
	after(() => {
		mkdirSync(ROWS_DIR, {recursive: true});
		const file = path.join(ROWS_DIR, `${path.basename(specFile).replace(/\.test\.ts$/, '')}.node${node}.json`);
		writeFileSync(`${file}.next`, JSON.stringify(rows, null, '\t'));
		renameSync(`${file}.next`, file);
	});
}

// ---------------------------------------------------------------------------------------------
// Processes

/** Every live descendant of a pid (the launcher's server tree and client). */
export function descendants(pid: number): ProcInfo[] {
	const out: ProcInfo[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		for (const child of childrenOf(queue.shift()!)) {
			out.push(child);
			queue.push(child.pid);
		}
	}
	return out;
}

const ownGroup = (): number => {
	const stat = readFileSync('/proc/self/stat', 'utf8');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
};

/** Asserts (bounded) that none of these processes, nor anything in their process groups, is alive. */
export async function assertTreeGone(tree: readonly ProcInfo[], extraPids: number[] = [], timeoutMs = 15_000): Promise<void> {
	const own = ownGroup();
	const groups = [...new Set(tree.map((p) => p.pgrp))].filter((g) => g !== own);
	const {left} = await waitNothingLeft({pids: [...tree.map((p) => p.pid), ...extraPids], groups}, timeoutMs);
	assert.deepEqual(left.map(describeLeftover), [], `the server tree is gone within ${timeoutMs} ms`);
}

/** Kills a run and everything under it at the end of a test, whatever happened. */
export function cleanupRun(t: TestContext, run: CliRun, known: () => readonly ProcInfo[] = () => []): void {
	defer(t, () => {
		const all = [...descendants(run.pid), ...known()];
		killHard(run.pid);
		for (const p of all) killHard(p.pid);
	});
}

/**
 * Snapshot the launcher's process tree every 50 ms (a process seen once stays in the list)
 * until stop(); whatever the test's outcome, the timer stops and everything seen is killed.
 */
export function watchTree(t: TestContext, run: CliRun): {tree(): ProcInfo[]; stop(): void} {
	let tree: ProcInfo[] = [];
	const snap = setInterval(() => {
		for (const p of descendants(run.pid)) if (!tree.some((q) => q.pid === p.pid)) tree = [...tree, p];
	}, 50);
	cleanupRun(t, run, () => tree);
	defer(t, () => clearInterval(snap)); // Before the kill (cleanups run last first): the kill reads the last snapshot.
	return {tree: () => tree, stop: () => clearInterval(snap)};
}

/** mcp-launch's warning lines (there must be none on a working run). */
export const warnings = (stderr: string): string[] => stderr.split('\n').filter((line) => /\bwarning\b/i.test(line));

export interface WorkingRun {
	tools: string[];
	stderr: string;
	result: CliResult;
	tree: ProcInfo[];
}

/**
 * A working run with the SDK client fixture: `mcp-launch <flags> -- node client.js`; the client
 * lists the tools and stays until told; the tree is snapshotted, then the client exits 0 and the
 * launcher must exit 0 with the whole tree gone and no warning on stderr.
 */
export async function workingRunWithSdkClient(t: TestContext, flags: readonly string[], options: {env?: NodeJS.ProcessEnv} = {}): Promise<WorkingRun> {
	const dir = tempDir(t);
	const report = path.join(dir, 'client.json');
	const go = path.join(dir, 'go');
	const run = startCli([...flags, '--', process.execPath, CLIENT_FIXTURE, '--report', report, '--until-file', go], {
		env: options.env ?? matrixEnv(),
		cwd: dir,
		timeoutMs: 80_000,
	});
	let tree: ProcInfo[] = [];
	cleanupRun(t, run, () => tree);
	const done = await waitFor(() => {
		const got = readClientReport(report);
		if (got && (got.tools.length > 0 || got.error)) return got;
		return run.done() ? {tools: [], error: 'the launcher exited first'} : undefined;
	}, {timeoutMs: 60_000, what: `the client's report (stderr: ${run.stderr()})`});
	assert.equal(done.error, null, `the client lists the tools:\n${done.error}\n${run.stderr()}`);
	assert.ok(done.tools.length > 0, `tools listed\n${run.stderr()}`);
	tree = descendants(run.pid);
	assert.ok(tree.length >= 2, `a server tree and a client under the launcher: ${JSON.stringify(tree)}`);
	writeFileSync(go, '');
	const result = await run.exited;
	assert.equal(result.code, 0, show(result));
	await assertTreeGone(tree, [run.pid]);
	assert.match(result.stderr, /mcp-launch: ready http/, show(result));
	const warned = warnings(result.stderr);
	assert.deepEqual(warned, [], `no warning on a working run (got: ${warned[0]?.trim()})\n${show(result)}`);
	return {tools: done.tools, stderr: result.stderr, result, tree};
}

/** "1 tool", "13 tools". */
export const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A broken setup run to completion with the SDK client (which connects once). */
export async function brokenRun(t: TestContext, flags: readonly string[], options: {env?: NodeJS.ProcessEnv} = {}): Promise<CliResult> {
	const dir = tempDir(t);
	const run = startCli([...flags, '--', process.execPath, CLIENT_FIXTURE, '--report', path.join(dir, 'client.json')], {
		env: options.env ?? matrixEnv(),
		cwd: dir,
		timeoutMs: 80_000,
	});
	const watched = watchTree(t, run);
	const result = await run.exited;
	watched.stop();
	await assertTreeGone(watched.tree());
	return result;
}
