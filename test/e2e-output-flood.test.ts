// End-to-end: a server that floods its stdout before it listens (200 MiB of log lines, or one
// 50 MiB line with no newline) is never blocked by mcp-launch (it keeps reading: the server's
// blocking writes return, it listens, the gate opens, exit 0) and mcp-launch's peak RSS stays
// under 100 MiB, with and without --server-log.
//
// Peak RSS is VmHWM of the mcp-launch process, read from /proc while the client runs: the flood
// is over by then (it came before listen), and VmHWM is the high-water mark of the whole life.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {FIXTURES, show, shellJoin} from './helpers/cli.js';
import {readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {waitFor} from './helpers/wait.js';

const FLOOD_SERVER = path.join(FIXTURES, 'flood-server.js');
const MiB = 1024 * 1024;
const rssLimitMiB = 100;
// Generous for a loaded 2-core machine: unloaded, each case takes 1-2 s.
const T = {timeout: 150_000};

function vmHwmMiB(pid: number): number {
	const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	assert.ok(match, `VmHWM of ${pid}`);
	return Number(match[1]) / 1024;
}

const cases = [
	{name: '200 MiB of log lines', flags: ['--mb', '200'], bytes: 200 * MiB},
	{name: 'one 50 MiB line with no newline', flags: ['--mb', '50', '--one-line'], bytes: 50 * MiB},
] as const;

for (const flood of cases) {
	for (const logged of [false, true]) {
		test(`${flood.name}${logged ? ', with --server-log' : ''}: the server is never blocked, peak RSS < ${rssLimitMiB} MiB`, T, async (t) => {
			const box = await Sandbox.create();
			t.after(() => box.cleanup());
			const release = box.path('release');
			const log = box.path('server.log');
			const run = box.start([
				'--server', shellJoin(['node', FLOOD_SERVER, '--port', String(box.port), '--report', box.serverReport, ...flood.flags]),
				'--url', box.url,
				'--timeout', '120s',
				...(logged ? ['--server-log', log] : []),
				'--', ...box.client(['--until-file', release]),
			], {timeoutMs: 140_000});
			// The client has connected (so the flood is over and the server listens): measure now.
			const client = await waitFor(() => readClientReport(box.clientReport), {timeoutMs: 130_000, what: `the client to connect (stderr: ${run.stderr()})`});
			const peak = vmHwmMiB(run.pid);
			writeFileSync(release, '');
			const result = await run.exited;
			assert.equal(result.code, 0, show(result));
			assert.equal(client.error, null, `client error: ${client.error}`);
			const flooded = readJsonLines(box.serverReport).find((event) => event.event === 'flooded') as unknown as {bytes: number; ms: number} | undefined;
			assert.equal(flooded?.bytes, flood.bytes, 'the server wrote all of it before listening');
			if (logged) {
				// Everything reached the log: the flood, its last newline and the listening line.
				assert.ok(statSync(log).size > flood.bytes, `log size ${statSync(log).size}`);
			}
			t.diagnostic(`peak RSS ${peak.toFixed(1)} MiB; flood written in ${flooded?.ms} ms; run ${Math.round(result.durationMs)} ms`);
			assert.ok(peak < rssLimitMiB, `peak RSS of mcp-launch ${peak.toFixed(1)} MiB < ${rssLimitMiB} MiB`);
		});
	}
}
