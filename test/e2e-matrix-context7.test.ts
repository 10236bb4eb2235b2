// Real-world matrix, @upstash/context7-mcp (`--transport http --port N`; starts and lists its tools
// offline). Its own file because every instance also binds a fixed side port, 127.0.0.1:9464 (OpenTelemetry
// metrics, announced as http://127.0.0.1:9464/metrics): two instances at once would change each other's
// output, so its cases run one after the other here. The working run, and the broken setups where the
// metrics URL must never be taken for the MCP endpoint.
import assert from 'node:assert/strict';
import {show} from './helpers/cli.js';
import {brokenRun, count, display, matrixTest, saveRowsAfter, workingRunWithSdkClient} from './helpers/matrix.js';
import {freePort} from './helpers/net.js';

saveRowsAfter(import.meta.filename);
const SDK = 'SDK client (test/fixtures/client.js)';

matrixTest(
	'@upstash/context7-mcp: ready, the SDK client lists its tools, the tree is gone, no warning',
	{server: '@upstash/context7-mcp', client: SDK, command: `${display(['-p', 'auto', '-s', 'context7-mcp --transport http --port {port}'])} -- node test/fixtures/client.js`},
	async (t) => {
		const run = await workingRunWithSdkClient(t, ['-p', 'auto', '-s', 'context7-mcp --transport http --port {port}']);
		assert.ok(run.tools.includes('resolve-library-id'), run.tools.join(', '));
		return `ready, ${count(run.tools.length, 'tool')} listed, tree gone, no warning`;
	},
);

/** Two distinct free ports. */
async function twoPorts(): Promise<[number, number]> {
	const a = await freePort();
	let b = await freePort();
	while (b === a) b = await freePort();
	return [a, b];
}

matrixTest(
	'context7 on a wrong path: the fix is the server\'s /mcp, never its /metrics side port',
	{server: '@upstash/context7-mcp: wrong path', client: SDK, command: `${display(['-p', 'auto', '-u', 'http://127.0.0.1:{port}/v1/mcp', '-s', 'context7-mcp --transport http --port {port}'])} -- node test/fixtures/client.js`},
	async (t) => {
		const result = await brokenRun(t, ['-p', 'auto', '-u', 'http://127.0.0.1:{port}/v1/mcp', '-s', 'context7-mcp --transport http --port {port}']);
		assert.equal(result.code, 1, show(result));
		const port = /ready http:\/\/127\.0\.0\.1:(\d+)\/v1\/mcp \(404/.exec(result.stderr)?.[1];
		assert.ok(port, show(result));
		assert.match(result.stderr, /answered 404 at \/v1\/mcp/, show(result));
		assert.match(result.stderr, new RegExp(`fix: .*(127\\.0\\.0\\.1|localhost):${port}/mcp\\b`), show(result));
		assert.doesNotMatch(result.stderr, /metrics|9464/, `the metrics endpoint is not the MCP endpoint\n${show(result)}`);
		return '404 named, fix http://127.0.0.1:{port}/mcp';
	},
);

matrixTest(
	'context7 on another port than the URL: the fix is its MCP port, never the metrics port 9464',
	{server: '@upstash/context7-mcp: wrong port', client: SDK, command: `${display(['--timeout', '4s', '-u', 'http://127.0.0.1:3001/mcp', '-s', 'context7-mcp --transport http --port 3000'])} -- node test/fixtures/client.js`},
	async (t) => {
		const [listen, probe] = await twoPorts();
		const result = await brokenRun(t, ['--timeout', '4s', '-u', `http://127.0.0.1:${probe}/mcp`, '-s', `context7-mcp --transport http --port ${listen}`]);
		assert.equal(result.code, 124, show(result));
		assert.match(result.stderr, /likely cause: wrong port/, show(result));
		assert.match(result.stderr, new RegExp(`\\[::\\]:${listen}`), `evidence\n${show(result)}`);
		const fix = result.stderr.split('\n').find((line) => line.includes('fix:')) ?? '';
		assert.match(fix, new RegExp(`(127\\.0\\.0\\.1|localhost):${listen}/mcp`), show(result));
		assert.doesNotMatch(result.stderr, /use (--url )?http:\/\/127\.0\.0\.1:9464/, `never the metrics port as a fix\n${show(result)}`);
		return 'exit 124: cause "wrong port", fix its /mcp URL, not the metrics port';
	},
);
