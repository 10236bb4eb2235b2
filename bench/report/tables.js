// Table rows for the console summary and BENCHMARKS.md (the same rows feed both).
import {config} from '../lib/config.js';
import {cell, fmt, simpleTable} from '../lib/stats.js';
import {cpuContenders} from '../sections/cpu.js';
import {e2eContenders, e2eLabel, e2eMeasures} from '../sections/e2e.js';
import {contenderLabel, contenders, modes} from '../sections/gate.js';

export function e2eTable(results, delay, markdown) {
	const byContender = results.e2e[delay];
	const header = ['contender', ...Object.values(e2eMeasures), 'wall (spawn → exit)', 'runs'];
	const rows = e2eContenders.map(c => {
		const entry = byContender[c];
		const measures = Object.keys(e2eMeasures).map(key => (c === 'node -e 0' ? '–' : cell(entry[key])));
		return [e2eLabel[c], ...measures, cell(entry.wallMs), `${entry.samples.length}${entry.failures ? ` (${entry.failures} failed)` : ''}`];
	});
	return simpleTable(header, rows, markdown);
}

export function gateTable(results, markdown) {
	const rows = [];
	for (const delay of config.delays) {
		for (const mode of modes) {
			const byContender = results.gate[`${mode}/${delay}`] ?? {};
			rows.push([`${mode}, boot ${delay} ms`, ...contenders.map(c => {
				const entry = byContender[c];
				return entry ? cell(entry.gate) + (entry.failures ? ` (${entry.failures} failed)` : '') : 'n/a';
			})]);
		}
	}

	return simpleTable(['case', ...contenders.map(c => contenderLabel[c])], rows, markdown);
}

/** Median gate latency minus the floor's median in the same case: what the launcher itself adds. */
export function excessTable(results, markdown) {
	const others = contenders.filter(c => c !== 'floor');
	const rows = [];
	for (const delay of config.delays) {
		for (const mode of modes) {
			const byContender = results.gate[`${mode}/${delay}`] ?? {};
			const floor = byContender.floor?.gate?.median;
			rows.push([`${mode}, boot ${delay} ms`, ...others.map(c => {
				const median = byContender[c]?.gate?.median;
				return median === null || median === undefined || floor === null || floor === undefined ? 'n/a' : `${median - floor >= 0 ? '+' : ''}${fmt(median - floor)}`;
			})]);
		}
	}

	return simpleTable(['case', ...others.map(c => contenderLabel[c])], rows, markdown);
}

export function startupTable(results, markdown) {
	const {nodes} = results.startup;
	const over = (entry, key) => (entry[key].median === null || entry.node.median === null ? '' : ` (node +${fmt(entry[key].median - entry.node.median)})`);
	const rows = [
		['node -e 0', ...nodes.map(entry => cell(entry.node))],
		['node --import spawn-mark.js -e 0 (the stamp\'s own cost)', ...nodes.map(entry => `${cell(entry.nodeMark)}${over(entry, 'nodeMark')}`)],
		['Enter → server shell spawned (held; stamped by spawn-mark.js)', ...nodes.map(entry => `${cell(entry.held)} (node with the stamp +${fmt(entry.held.median - entry.nodeMark.median)})`)],
		['Enter → server command runs (released)', ...nodes.map(entry => `${cell(entry.running)}${over(entry, 'running')}`)],
		['whole run, server exits at once (exit 125)', ...nodes.map(entry => `${cell(entry.whole)}${over(entry, 'whole')}`)],
		['the same with NODE_COMPILE_CACHE (warm)', ...nodes.map(entry => (entry.wholeCached.n > 0 ? `${cell(entry.wholeCached)}${over(entry, 'wholeCached')}` : 'n/a (Node < 22.1)'))],
		['whole run: peak RSS MiB', ...nodes.map(entry => (results.startup.timeAvailable ? cell(entry.rssMiB) : 'not measured'))],
		['runs', ...nodes.map(entry => String(entry.whole.n))],
	];
	return simpleTable(['ms, median [min–max]', ...nodes.map(entry => `${entry.label} (${entry.version})`)], rows, markdown);
}

export function cpuTable(results, markdown) {
	const rows = cpuContenders.map(c => {
		const e = results.cpu.byContender[c];
		return [contenderLabel[c], cell(e.waitCpu), cell(e.waitCpuStat), cell(e.cpuBeforeWindow), cell(e.windowStartAfterEnter, 0), `${e.waitCpu.n}${e.failures ? ` (${e.failures} failed)` : ''}`];
	});
	return simpleTable(['waiter', `CPU ms in the ${results.cpu.windowMs / 1000} s window (schedstat)`, 'same, stat ticks', 'CPU ms before the window', 'window opens (ms after Enter)', 'runs'], rows, markdown);
}

export function teardownTable(results, markdown) {
	const rows = contenders.map(c => [contenderLabel[c], cell(results.teardown[c]), String(results.teardown[c].n), results.teardownServerLeft[c] ? `${results.teardownServerLeft[c]} of ${results.teardown[c].n}` : '0']);
	return simpleTable(['contender', 'ms median [min–max]', 'runs', 'server alive when launcher exited'], rows, markdown);
}

export function targetLine(t) {
	return `${t.met ? 'MET   ' : 'MISSED'}  ${t.name}: ${fmt(t.value, t.digits)} vs limit ${fmt(t.limit, t.digits)}  (${t.detail})`;
}

export function targetTable(list) {
	return simpleTable(['target', 'value', 'limit', 'result'], list.map(t => [t.name, fmt(t.value, t.digits), fmt(t.limit, t.digits), `**${t.met ? 'MET' : 'MISSED'}** (${t.detail})`]), true);
}

export function printSummary(results, list) {
	if (results.e2e) {
		for (const delay of config.e2eDelays) {
			console.log(`\n== End to end, SDK server, boot ${delay} ms (ms; median [min–max]) ==`);
			console.log(e2eTable(results, delay, false));
		}
	}

	if (results.gate) {
		console.log('\n== Gate latency (ms): client start − server listen(); median [min–max] ==');
		console.log(gateTable(results, false));
		console.log('\n== Teardown: launcher exit − client exit (ms), all gate runs pooled ==');
		console.log(teardownTable(results, false));
	}

	if (results.startup) {
		console.log('\n== Start-up: wall ms, peak RSS MiB; median [min–max] ==');
		console.log(startupTable(results, false));
	}

	if (results.cpu) {
		console.log(`\n== CPU while waiting for a silent server (${results.cpu.windowMs / 1000} s window) ==`);
		console.log(cpuTable(results, false));
	}

	console.log('\n== Targets ==');
	for (const t of list) {
		console.log(targetLine(t));
	}
}
