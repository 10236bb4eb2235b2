// The machine the bench ran on, and how busy other work kept it during each section.
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import os from 'node:os';
import {clockTicks} from './proc.js';

/** Machine-wide busy CPU and this bench's own (self + reaped children), both in ms. */
function cpuCounters() {
	const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	const [user, nice, system, , , irq, softirq, steal] = line;
	const text = readFileSync('/proc/self/stat', 'utf8');
	const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
	const ours = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
	return {busyMs: ((user + nice + system + irq + softirq + steal) * 1000) / clockTicks, oursMs: (ours * 1000) / clockTicks, t: performance.now()};
}

/**
 * Run a block and record how busy the machine was with work that is not the bench's: total
 * busy CPU minus the bench's own and its reaped children's. Processes the bench started that
 * were reparented (a mcp-launch server after teardown) count as foreign, so small values are noise.
 */
export async function watched(results, name, block) {
	const before = cpuCounters();
	await block();
	const after = cpuCounters();
	const foreign = Math.max(0, (after.busyMs - before.busyMs) - (after.oursMs - before.oursMs));
	const share = foreign / (after.t - before.t);
	results.load[name] = {foreignCores: Number(share.toFixed(3)), wallS: Number(((after.t - before.t) / 1000).toFixed(1)), loadavg: os.loadavg()};
	if (share > 0.15) {
		console.log(`  ! other work used ${(share * 100).toFixed(0)}% of a core on average during "${name}": figures may be inflated`);
	}
}

export function machine(timeBin) {
	let cpuinfo = '';
	try {
		cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
	} catch {}

	const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1];
	const pkg = name => {
		try {
			return JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
		} catch {
			return undefined;
		}
	};

	const git = args => spawnSync('git', args, {encoding: 'utf8'}).stdout?.trim() || undefined;
	return {
		cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
		virtualMachine: /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo),
		cpuMHz: mhz ? Number(mhz) : undefined,
		cores: os.availableParallelism?.() ?? os.cpus().length,
		memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
		kernel: `${os.type()} ${os.release()}`,
		node: process.version,
		date: new Date().toISOString(),
		mcpLaunch: JSON.parse(readFileSync('package.json', 'utf8')).version,
		commit: git(['rev-parse', '--short', 'HEAD']),
		dirtyTree: git(['status', '--porcelain', '--', 'src', 'bench', 'scripts', 'package.json']) ? true : undefined,
		waitOn: pkg('wait-on'),
		startServerAndTest: pkg('start-server-and-test'),
		mcpSdk: pkg('@modelcontextprotocol/sdk'),
		gnuTime: Boolean(timeBin),
	};
}
