// Bench configuration from the environment (see bench/run.js for the knobs) and shared paths.
import os from 'node:os';
import path from 'node:path';
import {mkdtempSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(root);

const sections = ['startup', 'cpu', 'gate', 'e2e', 'frontdoor'];
const envRuns = process.env.BENCH_RUNS ? Number.parseInt(process.env.BENCH_RUNS, 10) : undefined;
if (envRuns !== undefined && !(envRuns >= 1 && envRuns <= 1000)) {
	console.error(`bench: BENCH_RUNS must be a whole number from 1 to 1000, got ${process.env.BENCH_RUNS}`);
	process.exit(2);
}

const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map(s => s.trim()).filter(Boolean) : sections;
const unknown = only.filter(s => !sections.includes(s));
if (unknown.length > 0 || only.length === 0) {
	console.error(`bench: BENCH_ONLY takes a comma list of ${sections.join(', ')}; got ${process.env.BENCH_ONLY}`);
	process.exit(2);
}

const quick = process.env.BENCH_QUICK === '1';
const long = process.env.BENCH_LONG === '1';
const runs = fallback => envRuns ?? (quick ? 3 : fallback);
export const config = {
	sections: only,
	runsShort: runs(7), // gate: boot 0 ms and 500 ms cells
	runsLong: runs(7), // gate: boot 5 s cells (BENCH_LONG=1 only)
	runsE2e: runs(7), // end to end: per contender and boot
	runsStartup: runs(11),
	runsRss: Math.min(runs(7), 7), // peak RSS varies little: the first rounds only
	runsCpu: Math.min(runs(3), 3), // rounds of the CPU section (one run of each waiter per round)
	delays: long ? [0, 500, 5000] : [0, 500],
	e2eDelays: [0, 500],
	cpuBootMs: 12_500,
	cpuWindowMs: 10_000,
	cpuWaitOnSettleMs: 1500, // wait-on's window starts this long after it was spawned (past its start-up)
	quick,
	long,
	overlapLong: process.env.BENCH_OVERLAP !== '0',
	// A partial run (some sections, or quick) must not overwrite the committed results.
	partial: quick || only.length < sections.length,
};

/**
 * The CLI under test: a byte-for-byte copy of dist/ (and package.json beside it, as in the
 * package) taken when the bench starts, so a rebuild while the bench runs cannot break or
 * change it. It keeps dist/ at the same depth, so relative lookups resolve the same way, and
 * node_modules is still found by walking up to the project.
 */
export const snapshotRoot = 'bench/.work/snapshot';
export const cli = `${snapshotRoot}/dist/cli.js`;
export const workDir = mkdtempSync(path.join(os.tmpdir(), 'mcp-launch-bench-'));
export const now = () => performance.timeOrigin + performance.now();
export const shq = s => `'${String(s).replaceAll('\'', '\'\\\'\'')}'`;
