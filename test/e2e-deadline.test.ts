// Issue 20, item 6: at the deadline, a report never contradicts its own evidence. 30 launches with
// `--timeout 1s` against a server that starts listening at a different moment each run (swept from
// well before the deadline to well after it) and answers its first HTTP request only 400 ms after
// listen() (a cold first answer): the moments the issue saw (accepted before the deadline,
// answering when the report looks) are among them. Run 5 at a time, so it takes seconds.
import assert from 'node:assert/strict';
import path from 'node:path';
import {before, it} from 'node:test';
import {CLI, FIXTURES, cliBuilt, runCli, show, sq, type CliResult} from './helpers/cli.js';
import {freePort, portIsFree} from './helpers/net.js';
import {contradiction} from './helpers/report-consistency.js';

const EDGE = path.join(FIXTURES, 'edge-server.js');
const runs = 30;
const batch = 5;

before(() => {
	assert.ok(cliBuilt(), `${CLI} is missing: run \`npm run build\` first`);
});

/** One launch whose server listens `listenAfter` ms after it starts. */
async function launchAt(listenAfter: number): Promise<{listenAfter: number; port: number; result: CliResult}> {
	const port = await freePort();
	const server = ['node', EDGE, 'deadline', '--port', String(port), '--listen-after', String(listenAfter), '--answer-after', '400'].map(word => sq(word)).join(' ');
	const result = await runCli(['--timeout', '1s', '-u', `http://127.0.0.1:${port}/mcp`, '-s', server, '--', 'true'], {timeoutMs: 20_000});
	return {listenAfter, port, result};
}

it(`${runs} launches at the deadline: every report agrees with its own evidence, and nothing is left listening`, {timeout: 180_000}, async () => {
	const moments = Array.from({length: runs}, (_, index) => Math.round(200 + (index * 1300) / (runs - 1)));
	const outcomes: Array<Awaited<ReturnType<typeof launchAt>>> = [];
	for (let start = 0; start < runs; start += batch) {
		// eslint-disable-next-line no-await-in-loop
		outcomes.push(...await Promise.all(moments.slice(start, start + batch).map(async moment => launchAt(moment))));
	}

	const causes = new Map<string, number>();
	for (const {listenAfter, port, result} of outcomes) {
		const context = `listen after ${listenAfter} ms:\n${show(result)}`;
		assert.equal(result.timedOut, false, context);
		assert.ok(result.code === 0 || result.code === 124, context);
		// eslint-disable-next-line no-await-in-loop
		assert.ok(await portIsFree(port), `the server still listens on ${port}; ${context}`);
		if (result.code === 124) {
			const cause = /likely cause: ([^:]+(?:\([^)]*\))?):/.exec(result.stderr)?.[1];
			assert.ok(cause, context);
			assert.ok(['still booting (race)', 'no HTTP answer'].includes(cause), `unexpected cause "${cause}"; ${context}`);
			assert.equal(contradiction(result.stderr), undefined, context);
			if (/answered HTTP \d+/.test(result.stderr)) {
				assert.match(result.stderr, /became ready just too late/, context);
				assert.match(result.stderr, /fix: raise --timeout/, context);
			}

			causes.set(cause, (causes.get(cause) ?? 0) + 1);
		}
	}

	// The last moments are far past the deadline: those runs time out whatever the load.
	assert.ok([...causes.values()].reduce((sum, count) => sum + count, 0) > 0, 'no run reached the deadline');
});
