// Section: the front door (--watch, --restart). One mcp-launch run with `--watch` in front of a
// stateful SDK server (bench/fixtures/fd-server.js), measured from outside with plain node:http
// clients (bench/lib/mcp-session.js), as a client sees it:
//   * tools/call round trip through the front door vs straight to the same server process (two
//     sessions, calls interleaved one by one so both see the same conditions);
//   * the event stream: a tools/call whose tool sends a notification on the session's GET stream,
//     from the call to the event's arrival, through the front door vs straight;
//   * restart to serving: the watched file saved → tools/list_changed on the client's stream →
//     the first call answered by the new generation; against the server's own boot (spawn → listen,
//     the same server started directly by the bench, interleaved with the restarts).
import {spawn} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {setTimeout as sleep} from 'node:timers/promises';
import {cli, config, now, root, shq, workDir} from '../lib/config.js';
import {McpSession} from '../lib/mcp-session.js';
import {freePort, killGroup} from '../lib/proc.js';
import {summarize} from '../lib/stats.js';

const percentile = (values, p) => {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

export const spread = values => ({...summarize(values), p50: percentile(values, 50), p99: percentile(values, 99)});

const readStamps = file => {
	try {
		return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(line => JSON.parse(line));
	} catch {
		return [];
	}
};

async function until(predicate, timeoutMs, what) {
	const deadline = performance.now() + timeoutMs;
	for (;;) {
		const value = predicate();
		if (value) {
			return value;
		}

		if (performance.now() > deadline) {
			throw new Error(`front-door bench: timed out waiting for ${what}`);
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(2);
	}
}

/** mcp-launch --watch in front of fd-server.js, its client a `sleep` (the bench is the MCP client). */
async function startDoor(dir) {
	const port = await freePort();
	const stamps = path.join(dir, 'gens.jsonl');
	const watched = path.join(dir, 'src', 'server-code.txt');
	const server = `node bench/fixtures/fd-server.js --read ${shq(watched)} --stamps ${shq(stamps)}`;
	const child = spawn('node', [cli, '-p', String(port), '--watch', path.join(dir, 'src'), '-s', server, '--', 'sleep', '3600'], {cwd: root, detached: true, stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', chunk => (stderr += chunk));
	await until(() => stderr.includes(`ready http://127.0.0.1:${port}/mcp`), 30_000, `mcp-launch to be ready (stderr: ${stderr})`);
	return {child, url: `http://127.0.0.1:${port}/mcp`, stamps, watched, stderr: () => stderr};
}

async function roundTrips(door, direct, count) {
	const through = [];
	const straight = [];
	for (let index = 0; index < count; index++) {
		// eslint-disable-next-line no-await-in-loop
		const [first, second] = index % 2 === 0 ? [await door.call('echo'), await direct.call('echo')] : [await direct.call('echo'), await door.call('echo')].reverse();
		through.push(first.ms);
		straight.push(second.ms);
	}

	return {through, straight};
}

async function streamLatency(session, count) {
	let resolveNext;
	const stream = await session.stream((message, at) => {
		if (message.method === 'notifications/message') {
			resolveNext?.(at);
		}
	});
	const samples = [];
	for (let index = 0; index < count; index++) {
		const arrived = new Promise(resolve => {
			resolveNext = resolve;
		});
		const startedAt = now();
		// eslint-disable-next-line no-await-in-loop
		await session.call('notify');
		// eslint-disable-next-line no-await-in-loop
		samples.push((await arrived) - startedAt);
	}

	stream.close();
	return samples;
}

/**
 * The server alone, started by the bench (the command mcp-launch runs, without the shell): spawn →
 * listen, and spawn → its first call answered (a client that connects the moment it prints that it
 * listens: initialize, initialized, tools/call; the server's first requests are slower, as a fresh
 * generation's are).
 */
async function ownBoot(dir, watched, index) {
	const port = await freePort();
	const stamps = path.join(dir, `own-${index}.jsonl`);
	const startedAt = now();
	const child = spawn('node', ['bench/fixtures/fd-server.js', '--port', String(port), '--read', watched, '--stamps', stamps], {cwd: root, detached: true, stdio: ['ignore', 'pipe', 'ignore']});
	try {
		await new Promise((resolve, reject) => {
			child.stdout.setEncoding('utf8').on('data', chunk => chunk.includes('listening on') && resolve());
			child.once('exit', () => reject(new Error('front-door bench: the server alone exited')));
		});
		const session = new McpSession(`http://127.0.0.1:${port}/mcp`);
		await session.open();
		const answer = await session.call('echo');
		session.close();
		return {listenMs: readStamps(stamps)[0].listenedAt - startedAt, answeredMs: answer.endedAt - startedAt};
	} finally {
		killGroup(child.pid);
	}
}

export async function frontDoorSection(results) {
	const dir = path.join(workDir, 'front-door');
	mkdirSync(path.join(dir, 'src'), {recursive: true});
	const runs = {calls: config.quick ? 200 : 2000, events: config.quick ? 50 : 300, restarts: config.quick ? 3 : config.runsE2e + 3};
	writeFileSync(path.join(dir, 'src', 'server-code.txt'), 'version 0');
	const door = await startDoor(dir);
	try {
		const first = readStamps(door.stamps)[0];
		const through = new McpSession(door.url);
		const straight = new McpSession(`http://127.0.0.1:${first.port}/mcp`);
		await through.open();
		await straight.open();
		await roundTrips(through, straight, 50); // Warm-up: both paths compiled and connected.
		const calls = await roundTrips(through, straight, runs.calls);
		await streamLatency(through, 10);
		await streamLatency(straight, 10);
		const eventsThrough = await streamLatency(through, runs.events);
		const eventsStraight = await streamLatency(straight, runs.events);
		straight.close();

		let changedAt;
		const stream = await through.stream((message, at) => {
			if (message.method === 'notifications/tools/list_changed') {
				changedAt = at;
			}
		});
		const restarts = [];
		const boots = [];
		for (let index = 1; index <= runs.restarts; index++) {
			// eslint-disable-next-line no-await-in-loop
			boots.push(await ownBoot(dir, door.watched, index));
			changedAt = undefined;
			const savedAt = now();
			writeFileSync(door.watched, `version ${index}`);
			// eslint-disable-next-line no-await-in-loop
			await until(() => changedAt, 30_000, `list_changed after change ${index} (stderr: ${door.stderr()})`);
			// eslint-disable-next-line no-await-in-loop
			const answer = await through.call('echo');
			const generation = readStamps(door.stamps).at(-1);
			if (answer.value.pid !== generation.pid) {
				throw new Error(`front-door bench: the call after change ${index} was answered by ${answer.value.pid}, not the new generation ${generation.pid}`);
			}

			restarts.push({
				totalMs: answer.endedAt - savedAt,
				savedToSpawnMs: generation.origin - savedAt,
				spawnToListenMs: generation.listenedAt - generation.origin,
				listenToAnswerMs: answer.endedAt - generation.listenedAt,
			});
		}

		stream.close();
		through.close();
		// The first restarts pay for compiling the restart path: the same warm-up as the calls.
		const measured = restarts.slice(config.quick ? 1 : 3);
		results.frontDoor = {
			runs,
			calls: {through: spread(calls.through), straight: spread(calls.straight)},
			events: {through: spread(eventsThrough), straight: spread(eventsStraight)},
			restart: Object.fromEntries(['totalMs', 'savedToSpawnMs', 'spawnToListenMs', 'listenToAnswerMs'].map(key => [key, summarize(measured.map(item => item[key]))])),
			ownBoot: {
				listenMs: summarize(boots.slice(config.quick ? 1 : 3).map(boot => boot.listenMs)),
				answeredMs: summarize(boots.slice(config.quick ? 1 : 3).map(boot => boot.answeredMs)),
			},
			samples: {restarts: measured},
		};
	} finally {
		killGroup(door.child.pid, 'SIGTERM');
		await new Promise(resolve => {
			door.child.once('exit', resolve);
			setTimeout(resolve, 10_000).unref();
		});
	}
}
