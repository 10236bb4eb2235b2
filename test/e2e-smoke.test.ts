// Smoke: the three commands once each, for real, on whatever Node runs the suite (.ci/run runs
// this file with the unit specs on Node 22 and 26, where the full suite does not run): launch
// gates a real SDK server and runs the client, wait gates an endpoint, doctor diagnoses one.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {CLI, show} from './helpers/cli.js';
import {readClientReport} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';

const T = {timeout: 40_000};

test(`launch on Node ${process.versions.node}: a slow SDK server gated, the client lists its tools, exit = the client's`, T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start(['--server', box.server(['--boot-delay', '500']), '--url', box.url, '--timeout', '20s', '--', ...box.client(['--exit', '3'])]).exited;
	assert.equal(result.code, 3, show(result));
	const report = readClientReport(box.clientReport);
	assert.equal(report?.error, null, show(result));
	assert.deepEqual(report?.tools, ['echo']);
});

test(`wait and doctor on Node ${process.versions.node}: exit 0 on a live server, the endpoint and its owner named`, T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	// A launch whose client runs `wait` and `doctor` against the server it was gated on.
	const script = `"$0" "$1" wait --timeout 5s "$MCP_SERVER_URL" && "$0" "$1" doctor "$MCP_SERVER_URL"`;
	const result = await box.start(['--server', box.server(), '--url', box.url, '--', 'sh', '-c', script, process.execPath, CLI]).exited;
	assert.equal(result.code, 0, show(result));
	assert.match(result.stdout, new RegExp(`✓ endpoint\\s+POST /mcp → HTTP \\d{3}`), show(result));
	assert.match(result.stdout, /✓ listener .*← pid \d+ \([^)]*server\.js/, show(result));
	assert.match(result.stdout, /verdict: healthy/, show(result));
});
