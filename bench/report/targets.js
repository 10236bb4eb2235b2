// The targets, each MET or MISSED from figures measured in the same run.
import {config} from '../lib/config.js';
import {fmt, summarize} from '../lib/stats.js';

const pooled = (e2e, contender, key) => summarize(Object.values(e2e).flatMap(byContender => byContender[contender].samples.filter(s => s.ok).map(s => s[key])));

function e2eTargets(results, add) {
	const {e2e} = results;
	const nodeWall = pooled(e2e, 'node -e 0', 'wallMs').median;
	const spawn = pooled(e2e, 'mcp-launch', 'spawnMs').median;
	add('Enter → server spawned <= node -e 0 + 15 ms (end-to-end runs, both boots pooled)', spawn, nodeWall === null ? null : nodeWall + 15,
		`mcp-launch ${fmt(spawn)} ms; node -e 0 ${fmt(nodeWall)} ms; wait-on line ${fmt(pooled(e2e, 'wait-on-defaults', 'spawnMs').median)} ms`);
	for (const delay of config.e2eDelays) {
		const byContender = e2e[delay];
		const ml = byContender['mcp-launch'].clientMs.median;
		const defaults = byContender['wait-on-defaults'].clientMs.median;
		const tuned = byContender['wait-on-tuned'].clientMs.median;
		add(`end to end, boot ${delay} ms: Enter → client <= the wait-on line with defaults`, ml, defaults, `mcp-launch ${fmt(ml)} ms, wait-on line ${fmt(defaults)} ms`);
		add(`end to end, boot ${delay} ms: Enter → client <= tuned wait-on line + node -e 0 + 15 ms`, ml, tuned === null || nodeWall === null ? null : tuned + nodeWall + 15,
			`mcp-launch ${fmt(ml)} ms, tuned wait-on line ${fmt(tuned)} ms, node -e 0 ${fmt(nodeWall)} ms`);
	}
}

function gateTargets(results, add) {
	const g = (mode, delay, contender) => results.gate[`${mode}/${delay}`]?.[contender]?.gate?.median;
	// At a 0 ms boot the gate holds each launcher's own start-up: the end-to-end targets cover it.
	for (const delay of config.delays.filter(d => d >= 500)) {
		const ml = g('announcing', delay, 'mcp-launch');
		const tuned = g('announcing', delay, 'wait-on-tuned');
		add(`gate, announcing, boot ${delay} ms: listen → client <= tuned wait-on + 3 ms`, ml, tuned === undefined || tuned === null ? null : tuned + 3, `mcp-launch ${fmt(ml)} ms, tuned wait-on ${fmt(tuned)} ms`);
	}

	for (const delay of config.delays.filter(d => d >= 500)) {
		const ml = g('silent', delay, 'mcp-launch');
		const tuned = g('silent', delay, 'wait-on-tuned');
		add(`gate, silent, boot ${delay} ms: listen → client <= tuned wait-on`, ml, tuned, `mcp-launch ${fmt(ml)} ms, tuned wait-on ${fmt(tuned)} ms`);
	}

	const teardown = results.teardown['mcp-launch'];
	add('teardown <= 50 ms after the client exits (gate runs pooled)', teardown.median, 50, `median ${fmt(teardown.median)} ms over ${teardown.n} runs`);
}

function startupTargets(results, add) {
	for (const entry of results.startup.nodes) {
		const node = entry.node.median;
		// The stamp is a preload: node pays for it before mcp-launch runs, so the floor is node with it.
		const marked = entry.nodeMark.median;
		add(`${entry.label}: Enter → server shell spawned <= node -e 0 + 10 ms`, entry.held.median, marked === null ? null : marked + 10, `${fmt(entry.held.median)} ms; node -e 0 ${fmt(node)} ms, ${fmt(marked)} ms with the stamp's preload`);
		add(`${entry.label}: a whole run whose server exits at once <= node -e 0 + 40 ms`, entry.whole.median, node === null ? null : node + 40, `${fmt(entry.whole.median)} ms, node -e 0 ${fmt(node)} ms`);
		add(`${entry.label}: the whole run's peak RSS <= 60 MiB`, entry.rssMiB.median, results.startup.timeAvailable ? 60 : null,
			results.startup.timeAvailable ? `${fmt(entry.rssMiB.median)} MiB` : 'not measured: /usr/bin/time missing');
	}
}

function cpuTargets(results, add) {
	const {byContender} = results.cpu;
	const ml = byContender['mcp-launch'].waitCpu.median;
	const tuned = byContender['wait-on-tuned'].waitCpu.median;
	const defaults = byContender['wait-on-defaults'].waitCpu.median;
	add('CPU while waiting 10 s: mcp-launch / tuned wait-on <= 0.58 (was 0.66 s / 1.14 s)', ml === null || !tuned ? null : ml / tuned, 0.58,
		`mcp-launch ${fmt(ml / 1000, 2)} s, tuned wait-on ${fmt(tuned / 1000, 2)} s, wait-on defaults ${fmt(defaults / 1000, 2)} s`, 2);
}

function frontDoorTargets(results, add) {
	const {calls, events, restart, ownBoot} = results.frontDoor;
	const p50 = calls.through.p50 - calls.straight.p50;
	const p99 = calls.through.p99 - calls.straight.p99;
	add('front door: tools/call round trip, p50 through it - straight <= 0.5 ms', p50, 0.5, `through ${fmt(calls.through.p50, 2)} ms, straight ${fmt(calls.straight.p50, 2)} ms (${calls.through.n} calls each)`, 2);
	add('front door: tools/call round trip, p99 through it - straight <= 3 ms', p99, 3, `through ${fmt(calls.through.p99, 2)} ms, straight ${fmt(calls.straight.p99, 2)} ms`, 2);
	const own = ownBoot.answeredMs.median;
	add('front door: restart to serving <= the server\'s own boot + 50 ms (medians)', restart.totalMs.median, own === null ? null : own + 50,
		`file saved → first call answered by the new generation ${fmt(restart.totalMs.median)} ms; the server alone, spawn → first call answered ${fmt(own)} ms (→ listen ${fmt(ownBoot.listenMs.median)} ms); event stream p50 through ${fmt(events.through.p50, 2)} ms vs straight ${fmt(events.straight.p50, 2)} ms`);
}

export function targets(results) {
	const list = [];
	const add = (name, value, limit, detail, digits = 1) => {
		const known = value !== null && value !== undefined && !Number.isNaN(value) && limit !== null && limit !== undefined;
		list.push({name, value, limit, met: known && value <= limit, detail, digits});
	};

	if (results.e2e) {
		e2eTargets(results, add);
	}

	if (results.gate) {
		gateTargets(results, add);
	}

	if (results.startup) {
		startupTargets(results, add);
	}

	if (results.frontDoor) {
		frontDoorTargets(results, add);
	}

	if (results.cpu) {
		cpuTargets(results, add);
	}

	return list;
}
