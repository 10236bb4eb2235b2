// The guardian's reaction time when mcp-launch is SIGKILLed, against the number of processes on the
// machine (its /proc walk for the client's descendants grows with it): from the SIGKILL to the
// server group's SIGTERM, and to the client's. `npm run bench:guardian` (builds first), or
// `node bench/guardian.js [N ...]` against the current dist/lib. Writes bench/guardian-results.json.
//
// Each cell: N idle filler processes (`sleep`, in a group of their own), a "server" (its own
// group) and a "client" that print CLOCK_MONOTONIC when SIGTERM arrives, and a small launcher
// process that starts the guardian and tells it both, as mcp-launch does; the launcher is then
// SIGKILLed. Runs: 3 per cell, median shown.
import {spawn} from 'node:child_process';
import {readdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const counts = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n >= 0);
const cells = counts.length > 0 ? counts : [0, 1000, 3000, 8000];
const runs = 3;
const owned = new Set();

function start(argv, options = {}) {
	const child = spawn(argv[0], argv.slice(1), {stdio: ['pipe', 'pipe', 'inherit'], ...options});
	owned.add(child);
	child.once('exit', () => owned.delete(child));
	let out = '';
	child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
	const line = (pattern) => new Promise((resolve, reject) => {
		const look = () => {
			const match = pattern.exec(out);
			if (match) {
				child.stdout.off('data', look);
				resolve(match);
			}
		};
		child.stdout.on('data', look);
		child.once('exit', () => reject(new Error(`${argv.join(' ').slice(0, 60)} exited; got ${out}`)));
		look();
	});
	return {child, line};
}

function killGroup(child) {
	for (const id of [-child.pid, child.pid]) {
		try {
			process.kill(id, 'SIGKILL');
		} catch {}
	}
}

process.on('exit', () => {
	for (const child of owned) killGroup(child);
});

// Records the monotonic clock at SIGTERM, then exits.
const onTerm = `process.on('SIGTERM', () => { process.stdout.write('TERM ' + process.hrtime.bigint() + '\\n'); setTimeout(() => process.exit(0), 50); }); process.stdout.write('UP\\n'); setInterval(() => {}, 1e6);`;
const launcher = `import {startGuardian} from ${JSON.stringify(path.join(root, 'dist', 'lib', 'os', 'posix', 'guardian.js'))};
const [server, client] = process.argv.slice(1).map(Number);
const guardian = startGuardian(5000);
guardian.addTree({pid: server, gone: new Promise(() => {})});
guardian.setClient(client);
process.stdout.write('TOLD ' + guardian.pid + '\\n');
setInterval(() => {}, 1e6);`;

async function once() {
	const server = start([process.execPath, '-e', onTerm], {detached: true});
	const client = start([process.execPath, '-e', onTerm]);
	await Promise.all([server.line(/UP/), client.line(/UP/)]);
	const guarded = start([process.execPath, '--input-type=module', '-e', launcher, String(server.child.pid), String(client.child.pid)]);
	const [, guardian] = await guarded.line(/TOLD (\d+)/);
	const killedAt = process.hrtime.bigint();
	guarded.child.kill('SIGKILL');
	const [[, serverAt], [, clientAt]] = await Promise.all([server.line(/TERM (\d+)/), client.line(/TERM (\d+)/)]);
	const guardianGone = new Promise((resolve) => {
		const look = () => {
			try {
				process.kill(Number(guardian), 0);
				setTimeout(look, 20);
			} catch {
				resolve();
			}
		};
		look();
	});
	await guardianGone;
	return {server: Number(BigInt(serverAt) - killedAt) / 1e6, client: Number(BigInt(clientAt) - killedAt) / 1e6};
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const processCount = () => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).length;

const results = [];
for (const fillers of cells) {
	const filler = start(['sh', '-c', `i=0; while [ "$i" -lt ${fillers} ]; do sleep 600 & i=$((i + 1)); done; echo READY; wait`], {detached: true});
	// eslint-disable-next-line no-await-in-loop
	await filler.line(/READY/);
	const processes = processCount();
	const samples = [];
	for (let run = 0; run < runs; run++) {
		// eslint-disable-next-line no-await-in-loop
		samples.push(await once());
	}
	killGroup(filler.child);
	const row = {fillers, processes, serverSigtermMs: median(samples.map((s) => s.server)), clientSigtermMs: median(samples.map((s) => s.client)), samples};
	results.push(row);
	console.log(`${String(fillers).padStart(5)} extra processes (${processes} in all): server group SIGTERM ${row.serverSigtermMs.toFixed(1)} ms, client ${row.clientSigtermMs.toFixed(1)} ms after the SIGKILL (median of ${runs})`);
}
writeFileSync(path.join(root, 'bench', 'guardian-results.json'), `${JSON.stringify({when: new Date().toISOString(), node: process.version, results}, null, '\t')}\n`);
