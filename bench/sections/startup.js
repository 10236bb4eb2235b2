// Section: start-up where users run it, on Node 20 (the engines floor: the machine's node) and
// Node 24 (the active LTS, from .ci/fetch's cache), side by side. Per Node, interleaved:
//   node -e 0                      Node's own start-up, the floor
//   Enter → server shell spawned   the held shell exists (a preload stamps the spawn: bench/lib/spawn-mark.js)
//   Enter → server command runs    released: the command's first word stamps `date +%s%N`
//   whole run, server exits at once  the exit-125 path: parse, checks, spawn, the exit, the report
// Peak RSS of the whole run: a separate run under GNU time (`%M`), as before.
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {cli, config, root, workDir} from '../lib/config.js';
import {freePort, reap, run} from '../lib/proc.js';
import {summarize} from '../lib/stats.js';

export const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const mark = path.join(root, 'bench', 'lib', 'spawn-mark.js');

/** The Nodes to compare: this one (the floor) and the LTS from the CI cache (.ci/fetch; skipped when it cannot be had). */
function nodes() {
	const list = [{label: `Node ${process.versions.node.split('.')[0]}`, node: process.execPath}];
	const lts = /^NODE_24=(\S+)$/m.exec(readFileSync(path.join(root, '.ci', 'versions'), 'utf8'))?.[1];
	try {
		const bin = execFileSync(path.join(root, '.ci', 'fetch'), ['node', lts], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit']}).trim();
		list.push({label: 'Node 24', node: path.join(bin, 'node'), compileCache: true});
	} catch (error) {
		console.log(`start-up: Node ${lts} could not be fetched (${error.message.split('\n')[0]}): Node 20 only`);
	}

	return list.map(entry => ({...entry, version: execFileSync(entry.node, ['--version'], {encoding: 'utf8'}).trim()}));
}

/** Read a stamp file (epoch ms, or ns with `ns`), then remove it. */
function stamp(file, ns = false) {
	try {
		const value = Number(readFileSync(file, 'utf8').trim());
		return Number.isFinite(value) && value > 0 ? (ns ? value / 1e6 : value) : undefined;
	} catch {
		return undefined;
	} finally {
		rmSync(file, {force: true});
	}
}

function peakKiB(file) {
	try {
		const value = Number(readFileSync(file, 'utf8').trim().split('\n').at(-1));
		return Number.isFinite(value) && value > 0 ? value : undefined;
	} finally {
		rmSync(file, {force: true});
	}
}

async function timed(file, args, env, exitCode, what) {
	const result = await run(file, args, {timeoutMs: 20_000, env});
	reap(result);
	if (result.code !== exitCode) {
		throw new Error(`start-up: ${what} exited ${result.code ?? result.signal}, expected ${exitCode}: ${result.error ?? result.stderr}`);
	}

	return result;
}

/** One round on one Node: each measure once. Fixed ports nothing listens on (the pre-flight connect is refused). */
async function round(entry, samples, withRss, port) {
	const env = {...process.env, PATH: `${path.dirname(entry.node)}${path.delimiter}${process.env.PATH}`, BENCH_SPAWN_MARK: path.join(workDir, 'mark')};
	const started = path.join(workDir, 'started');
	const floor = await timed(entry.node, ['-e', '0'], env, 0, 'node -e 0');
	samples.node.push(floor.exitedAt - floor.startedAt);
	const marked = await timed(entry.node, ['--import', mark, '-e', '0'], env, 0, 'node --import spawn-mark -e 0');
	samples.nodeMark.push(marked.exitedAt - marked.startedAt);
	const whole = await timed(entry.node, [cli, '-s', 'exit 3', '-p', String(port), '--', 'true'], env, 125, 'the whole run');
	samples.whole.push(whole.exitedAt - whole.startedAt);
	if (entry.compileCache) {
		const cached = await timed(entry.node, [cli, '-s', 'exit 3', '-p', String(port), '--', 'true'], {...env, NODE_COMPILE_CACHE: path.join(workDir, 'compile-cache')}, 125, 'the whole run, compile cache');
		samples.wholeCached.push(cached.exitedAt - cached.startedAt);
	}

	const spawned = await timed(entry.node, ['--import', mark, cli, '-s', `date +%s%N > ${started}; exit 3`, '-p', String(port), '--', 'true'], env, 125, 'the stamped run');
	const held = stamp(env.BENCH_SPAWN_MARK);
	const running = stamp(started, true);
	samples.held.push(held === undefined ? undefined : held - spawned.startedAt);
	samples.running.push(running === undefined ? undefined : running - spawned.startedAt);
	if (timeBin && withRss) {
		const rssFile = path.join(workDir, 'rss');
		await timed(timeBin, ['-f', '%M', '-o', rssFile, entry.node, cli, '-s', 'exit 3', '-p', String(port), '--', 'true'], env, 125, 'the RSS run');
		samples.rssKiB.push(peakKiB(rssFile));
	}
}

export async function startup(results) {
	const list = nodes();
	if (!timeBin) {
		console.log('start-up: /usr/bin/time not found: peak RSS is not measured. Install it: apt-get install -y time');
	}

	const port = await freePort(); // Nothing listens there: the pre-flight's connect is refused, as on a real first run.
	const samples = list.map(() => ({node: [], nodeMark: [], whole: [], wholeCached: [], held: [], running: [], rssKiB: []}));
	// One untimed round each: the page cache (and NODE_COMPILE_CACHE's directory) are warm for everyone.
	for (const entry of list) {
		// eslint-disable-next-line no-await-in-loop
		await round(entry, {node: [], nodeMark: [], whole: [], wholeCached: [], held: [], running: [], rssKiB: []}, false, port);
	}

	process.stdout.write(`start-up: ${config.runsStartup} rounds x ${list.length} Nodes `);
	for (let index = 0; index < config.runsStartup; index++) {
		for (let n = 0; n < list.length; n++) {
			const at = (n + index) % list.length;
			// eslint-disable-next-line no-await-in-loop
			await round(list[at], samples[at], index < config.runsRss, port);
		}

		process.stdout.write('.');
	}

	process.stdout.write('\n');
	results.startup = {
		timeAvailable: Boolean(timeBin),
		nodes: list.map((entry, index) => ({
			label: entry.label,
			version: entry.version,
			node: summarize(samples[index].node),
			nodeMark: summarize(samples[index].nodeMark),
			held: summarize(samples[index].held),
			running: summarize(samples[index].running),
			whole: summarize(samples[index].whole),
			wholeCached: summarize(samples[index].wholeCached),
			rssMiB: summarize(samples[index].rssKiB.filter(Boolean).map(k => k / 1024)),
			samples: samples[index],
		})),
	};
}
