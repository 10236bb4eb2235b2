// Real-world matrix, Python servers (most MCP servers are Python): the official SDK `mcp` 2.x
// (MCPServer, uvicorn) and the `fastmcp` package, from the venv .ci/run creates (.venv-matrix/), run
// through the built CLI with the SDK client. Working runs: ready, tools listed, tree gone, no
// warning. uvicorn binds 127.0.0.1 only: a URL on ::1 is the "bound to one family" setup.
import assert from 'node:assert/strict';
import path from 'node:path';
import {FIXTURES, show} from './helpers/cli.js';
import {brokenRun, count, display, matrixTest, saveRowsAfter, venvMissing, workingRunWithSdkClient} from './helpers/matrix.js';

saveRowsAfter(import.meta.filename);
const SDK = 'SDK client (test/fixtures/client.js)';
const skip = venvMissing();
const PY_MCP = `python ${path.join(FIXTURES, 'py-mcp-server.py')} --port {port}`;
const PY_FASTMCP = `python ${path.join(FIXTURES, 'py-fastmcp-server.py')} --port {port}`;

for (const [server, command] of [
	['mcp 2.x (Python SDK, MCPServer)', PY_MCP],
	['fastmcp (Python)', PY_FASTMCP],
] as const) {
	const flags = ['-p', 'auto', '-s', command];
	matrixTest(`${server}: ready, the SDK client lists its tools, the tree is gone, no warning`, {server, client: SDK, command: `${display(flags)} -- node test/fixtures/client.js`, skip}, async (t) => {
		const run = await workingRunWithSdkClient(t, flags);
		assert.deepEqual(run.tools, ['add']);
		return `ready, ${count(run.tools.length, 'tool')} listed, tree gone, no warning`;
	});
}

{
	const flags = ['-p', 'auto', '--timeout', '4s', '-u', 'http://[::1]:{port}/mcp', '-s', PY_MCP];
	matrixTest(
		'mcp 2.x on uvicorn (127.0.0.1 only) gated on [::1]: the cause is the address family, the evidence the listener, the fix a URL that works',
		{server: 'mcp 2.x (Python SDK): URL on ::1, server on 127.0.0.1', client: SDK, command: `${display(flags)} -- node test/fixtures/client.js`, skip},
		async (t) => {
			const result = await brokenRun(t, flags);
			assert.equal(result.code, 124, show(result));
			const listens = /the server listens on 127\.0\.0\.1:(\d+)/.exec(result.stderr);
			assert.ok(listens, `cause: the address family, with the listener\n${show(result)}`);
			assert.match(result.stderr, /likely cause: address family/, show(result));
			assert.match(result.stderr, new RegExp(`its processes listen on 127\\.0\\.0\\.1:${listens[1]}, pid \\d+ \\(python `), `evidence: who listens where\n${show(result)}`);
			assert.match(result.stderr, new RegExp(`fix: use http://127\\.0\\.0\\.1:${listens[1]}/mcp`), `a fix that works\n${show(result)}`);
			assert.doesNotMatch(result.stderr, /::1 means ::1/, `no tautology when the URL host is a literal\n${show(result)}`);
			return 'exit 124: cause "address family", listener 127.0.0.1:{port} shown, fix http://127.0.0.1:{port}/mcp';
		},
	);
}
