// End-to-end: SIGTERM / SIGHUP to the launcher reach the client, then teardown, exit 143 / 129.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {show} from './helpers/cli.js';
import {portIsFree} from './helpers/net.js';
import {waitGone} from './helpers/proc.js';
import {readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {cliEnv, evidenceSources, skipUnless} from './helpers/sources.js';

const T = {timeout: 30_000};

for (const source of evidenceSources) for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
	test(`[${source}] ${signal} to the launcher is forwarded to the client, then teardown; exit ${code}`, {...T, skip: skipUnless(source)}, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const run = box.start(['--server', box.server([], {wrapper: 'node'}), '--url', box.url, '--timeout', '20s', '--', ...box.client(['--stay'])], {env: cliEnv(source)});
		await run.waitStdout('CLIENT READY', 20_000);
		process.kill(run.pid, signal);
		const result = await run.exited;
		assert.equal(result.code, code, show(result));
		assert.equal(result.signal, null, 'the launcher exits with a code, it is not killed by the signal');
		const client = readClientReport(box.clientReport);
		assert.ok(client);
		assert.deepEqual(client.signals, [signal], 'the client got the signal exactly once');
		assert.equal(client.exitCode, code);
		const pids = box.serverTreePids();
		assert.ok(pids.length >= 2, JSON.stringify(readJsonLines(box.serverReport)));
		await waitGone(pids, 2_000);
		assert.ok(await portIsFree(box.port), 'port free');
		assert.equal(result.stdout, 'CLIENT READY\n');
	});
}
