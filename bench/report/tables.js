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

const p = (entry, key) => fmt(entry[key], 2);

export function frontDoorTable(results, markdown) {
	const {calls, events} = results.frontDoor;
	const rows = [
		['tools/call round trip, through the front door', p(calls.through, 'p50'), p(calls.through, 'p99'), p(calls.through, 'min'), p(calls.through, 'max'), String(calls.through.n)],
		['tools/call round trip, straight to the server', p(calls.straight, 'p50'), p(calls.straight, 'p99'), p(calls.straight, 'min'), p(calls.straight, 'max'), String(calls.straight.n)],
		['what the front door adds', fmt(calls.through.p50 - calls.straight.p50, 2), fmt(calls.through.p99 - calls.straight.p99, 2), '', '', ''],
		['call → its notification on the event stream, through', p(events.through, 'p50'), p(events.through, 'p99'), p(events.through, 'min'), p(events.through, 'max'), String(events.through.n)],
		['call → its notification on the event stream, straight', p(events.straight, 'p50'), p(events.straight, 'p99'), p(events.straight, 'min'), p(events.straight, 'max'), String(events.straight.n)],
		['what the front door adds', fmt(events.through.p50 - events.straight.p50, 2), fmt(events.through.p99 - events.straight.p99, 2), '', '', ''],
	];
	return simpleTable(['ms', 'p50', 'p99', 'min', 'max', 'samples'], rows, markdown);
}

export function restartTable(results, markdown) {
	const {restart, ownBoot} = results.frontDoor;
	const rows = [
		['file saved → first call answered by the new generation', cell(restart.totalMs), String(restart.totalMs.n)],
		['  file saved → the new generation\'s process starts', cell(restart.savedToSpawnMs), String(restart.savedToSpawnMs.n)],
		['  its process start → listen()', cell(restart.spawnToListenMs), String(restart.spawnToListenMs.n)],
		['  listen() → gated, sessions replayed, list_changed, the call answered', cell(restart.listenToAnswerMs), String(restart.listenToAnswerMs.n)],
		['the server alone: spawn() → listen()', cell(ownBoot.listenMs), String(ownBoot.listenMs.n)],
		['the server alone: spawn() → its first call answered (the own boot)', cell(ownBoot.answeredMs), String(ownBoot.answeredMs.n)],
	];
	return simpleTable(['restart', 'ms median [min–max]', 'runs'], rows, markdown);
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

	if (results.frontDoor) {
		console.log('\n== Front door: through it vs straight to the server (ms) ==');
		console.log(frontDoorTable(results, false));
		console.log('\n== Front door: restart to serving (ms) ==');
		console.log(restartTable(results, false));
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
