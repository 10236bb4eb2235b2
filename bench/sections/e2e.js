// Section: end to end, what a user feels from Enter to the client running, with a real MCP
// server on the official SDK (bench/fixtures/sdk-server.js, prints its URL on listen) and the
// shell client (bench/fixtures/client.sh). Enter is the moment the bench calls spawn().
// Contenders run one at a time, interleaved: each round runs every contender once, in an order
// rotated each round. `node -e 0` is the floor: Node's own start-up, spawn() → exit.
import {readFileSync} from 'node:fs';
import {cli, config, shq} from '../lib/config.js';
import {alive, freePort, readNumber, reap, run, runFiles} from '../lib/proc.js';
import {summarize} from '../lib/stats.js';

export const e2eContenders = ['mcp-launch', 'wait-on-defaults', 'wait-on-tuned', 'start-server-and-test', 'node -e 0'];
export const e2eLabel = {
	'mcp-launch': 'mcp-launch',
	'wait-on-defaults': 'server & wait-on … && client',
	'wait-on-tuned': 'same, wait-on -i 10 -w 0',
	'start-server-and-test': 'start-server-and-test',
	'node -e 0': 'node -e 0',
};
export const e2eMeasures = {
	spawnMs: 'Enter → server spawned',
	listenMs: 'Enter → listen',
	gateMs: 'listen → client start',
	clientMs: 'Enter → client start',
};

export function e2eCommand(contender, {port, delay, files}) {
	const server = ['node', 'bench/fixtures/sdk-server.js', '--port', String(port), '--boot-delay', String(delay), '--stamp', files.serverStamp, '--pidfile', files.pidfile];
	const client = ['bench/fixtures/client.sh', files.clientStamp, files.clientExit];
	const serverCmd = server.map((a, i) => (i < 2 ? a : shq(a))).join(' ');
	const clientCmd = client.map((a, i) => (i < 1 ? a : shq(a))).join(' ');
	const tcp = `tcp:127.0.0.1:${port}`;
	switch (contender) {
		case 'mcp-launch':
			return ['node', [cli, '-s', serverCmd, '-u', `http://127.0.0.1:${port}/mcp`, '--', ...client]];
		case 'wait-on-defaults':
			return ['sh', ['-c', `${serverCmd} & node_modules/.bin/wait-on ${tcp} && ${clientCmd}; kill $!`]];
		case 'wait-on-tuned':
			return ['sh', ['-c', `${serverCmd} & node_modules/.bin/wait-on -i 10 -w 0 ${tcp} && ${clientCmd}; kill $!`]];
		case 'start-server-and-test':
			return ['node_modules/.bin/start-server-and-test', [serverCmd, tcp, clientCmd]];
		case 'node -e 0':
			return ['node', ['-e', '0']];
		default:
			throw new Error(`unknown contender ${contender}`);
	}
}

/** The server's process start: performance.timeOrigin, written as its first statement. */
function serverStart(file) {
	try {
		const [origin, firstStatement] = readFileSync(file, 'utf8').trim().split(' ').map(Number);
		return {origin, firstStatement};
	} catch {
		return {};
	}
}

async function e2eRun(contender, delay) {
	const {files, remove} = runFiles();
	const port = await freePort();
	const [file, args] = e2eCommand(contender, {port, delay, files});
	let result;
	try {
		result = await run(file, args, {timeoutMs: delay + 20_000});
		const enter = result.startedAt;
		if (contender === 'node -e 0') {
			const ok = result.code === 0;
			return {contender, delay, ok, wallMs: result.exitedAt - enter, ...(ok ? {} : {error: `exit ${result.code ?? result.signal}`})};
		}

		const serverPid = readNumber(files.pidfile);
		const started = serverStart(`${files.serverStamp}.start`);
		const listenedAt = readNumber(files.serverStamp);
		const clientAt = readNumber(files.clientStamp);
		const ok = result.code === 0 && started.origin !== undefined && listenedAt !== undefined && clientAt !== undefined;
		return {
			contender,
			delay,
			ok,
			spawnMs: ok ? started.origin - enter : null,
			serverFirstStatementMs: ok ? started.firstStatement - enter : null,
			listenMs: ok ? listenedAt - enter : null,
			gateMs: ok ? clientAt - listenedAt : null,
			clientMs: ok ? clientAt - enter : null,
			wallMs: result.exitedAt - enter,
			serverAliveAtExit: serverPid ? alive(serverPid) : undefined,
			...(ok ? {} : {error: result.error ?? `exit ${result.code ?? result.signal}; stderr: ${result.stderr.trim().slice(-400)}`}),
		};
	} finally {
		reap(result);
		remove();
	}
}

export async function endToEnd(results) {
	results.e2e = {};
	for (const delay of config.e2eDelays) {
		const started = performance.now();
		const byContender = Object.fromEntries(e2eContenders.map(c => [c, {samples: []}]));
		process.stdout.write(`end to end, boot ${delay} ms: ${config.runsE2e} rounds x ${e2eContenders.length} `);
		for (let round = 0; round < config.runsE2e; round++) {
			for (let i = 0; i < e2eContenders.length; i++) {
				const contender = e2eContenders[(i + round) % e2eContenders.length];
				// eslint-disable-next-line no-await-in-loop
				const sample = await e2eRun(contender, delay);
				byContender[contender].samples.push(sample);
				if (!sample.ok) {
					process.stdout.write(`\n  ! ${contender} boot ${delay}: ${sample.error}\n`);
				}
			}

			process.stdout.write('.');
		}

		for (const entry of Object.values(byContender)) {
			const ok = entry.samples.filter(s => s.ok);
			for (const key of [...Object.keys(e2eMeasures), 'wallMs', 'serverFirstStatementMs']) {
				entry[key] = summarize(ok.map(s => s[key]));
			}

			entry.failures = entry.samples.length - ok.length;
		}

		results.e2e[delay] = byContender;
		process.stdout.write(` ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
	}
}
