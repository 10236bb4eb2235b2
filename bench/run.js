// mcp-launch benchmark: end to end (Enter → client), gate latency and teardown, a real run's
// start-up, CPU while waiting. Run with `npm run bench` (builds first) or `node bench/run.js`
// against the current dist/cli.js.
//
//   BENCH_ONLY=e2e,gate,startup,cpu,frontdoor   sections to run (default: all)
//   BENCH_QUICK=1    3 runs per cell
//   BENCH_RUNS=N     N runs per cell (CPU: at most 3 rounds, RSS at most 7)
//   BENCH_LONG=1     also the 5 s boot cells of the gate section
//   BENCH_OVERLAP=0  run those 5 s cells strictly one after another (default: staggered)
//
// A full run writes bench/results.json and BENCHMARKS.md; a partial one (BENCH_ONLY or
// BENCH_QUICK) writes them under bench/.work/ instead. Prints a summary and the targets. Exits 0
// whether targets are met or not; non-zero only when the harness itself fails.
import {spawnSync} from 'node:child_process';
import {cpSync, existsSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {cli, config, snapshotRoot, workDir} from './lib/config.js';
import {machine, watched} from './lib/machine.js';
import {cleanupAll} from './lib/proc.js';
import {markdownReport} from './report/markdown.js';
import {printSummary} from './report/tables.js';
import {targets} from './report/targets.js';
import {cpuWhileWaiting} from './sections/cpu.js';
import {frontDoorSection} from './sections/front-door.js';
import {endToEnd} from './sections/e2e.js';
import {gateLatency} from './sections/gate.js';
import {startup, timeBin} from './sections/startup.js';

process.on('exit', () => {
	cleanupAll();
	rmSync(workDir, {recursive: true, force: true});
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		console.error(`\nbench: ${signal}, cleaning up`);
		cleanupAll();
		process.exit(130);
	});
}

function snapshotCli() {
	if (!existsSync('dist/cli.js')) {
		throw new Error('dist/cli.js is missing: run `npm run build` (or `npm run bench`, which builds first)');
	}

	for (const bin of ['wait-on', 'start-server-and-test']) {
		if (!existsSync(`node_modules/.bin/${bin}`)) {
			throw new Error(`node_modules/.bin/${bin} is missing: run npm ci`);
		}
	}

	rmSync(snapshotRoot, {recursive: true, force: true});
	cpSync('dist', `${snapshotRoot}/dist`, {recursive: true});
	cpSync('package.json', `${snapshotRoot}/package.json`);
	const check = spawnSync('node', [cli, '--version'], {encoding: 'utf8'});
	const direct = spawnSync('node', ['dist/cli.js', '--version'], {encoding: 'utf8'});
	if (check.status !== 0 || check.stdout !== direct.stdout) {
		throw new Error(`the snapshot of dist/ does not answer --version like dist/cli.js: ${check.stdout}${check.stderr}`);
	}
}

const sections = {
	e2e: ['end to end', endToEnd],
	gate: ['gate latency and teardown', gateLatency],
	startup: ['start-up', startup],
	cpu: ['cpu', cpuWhileWaiting],
	frontdoor: ['front door', frontDoorSection],
};

async function main() {
	snapshotCli();
	const started = performance.now();
	const results = {config, machine: machine(timeBin), load: {}};
	console.log(`mcp-launch bench on ${results.machine.cpuModel}, ${results.machine.cores} cores, Node ${results.machine.node}${config.partial ? ' (partial run)' : ''}`);
	for (const [key, [name, block]] of Object.entries(sections)) {
		if (config.sections.includes(key)) {
			// eslint-disable-next-line no-await-in-loop
			await watched(results, name, () => block(results));
		}
	}

	results.durationS = Math.round((performance.now() - started) / 1000);
	const list = targets(results);
	results.targets = list;
	const [json, md] = config.partial ? ['bench/.work/results-partial.json', 'bench/.work/BENCHMARKS-partial.md'] : ['bench/results.json', 'BENCHMARKS.md'];
	mkdirSync('bench/.work', {recursive: true});
	writeFileSync(json, `${JSON.stringify(results, null, '\t')}\n`);
	writeFileSync(md, markdownReport(results, list));
	printSummary(results, list);
	console.log(`\nbench: done in ${results.durationS} s; wrote ${json} and ${md}`);
}

try {
	await main();
	process.exitCode = 0;
} catch (error) {
	console.error(`\nbench: harness failure: ${error.stack ?? error}`);
	process.exitCode = 1;
}
