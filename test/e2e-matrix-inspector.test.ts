// Real-world matrix, the MCP Inspector 2.x CLI as the client (from the CI cache: .ci/fetch
// inspector; it needs Node >= 22.19, so .ci/run runs this file's rows on Node 24) against a real
// third-party server: tools/list, then tools/call, each through the gate, stdout the Inspector's
// JSON only, the tree gone after, no warning.
import assert from 'node:assert/strict';
import {show, startCli} from './helpers/cli.js';
import {ciTool, ciVersion, nodeAtLeast, skipUnlessFetched} from './helpers/ci-tools.js';
import {assertTreeGone, display, matrixEnv, matrixTest, saveRowsAfter, tempDir, warnings, watchTree} from './helpers/matrix.js';

saveRowsAfter(import.meta.filename);
const version = ciVersion('inspector');
const inspector = ciTool('inspector');
const skip = skipUnlessFetched('inspector') || (nodeAtLeast('22.19.0') ? undefined : `the Inspector ${version} needs Node >= 22.19 (this is ${process.versions.node}): .ci/run runs it on Node 24`);
const server = ['-p', 'auto', '-s', 'mcp-server-everything streamableHttp'];

for (const [method, extra, check] of [
	['tools/list', [], (stdout: string) => {
		const tools = (JSON.parse(stdout) as {tools: {name: string}[]}).tools.map((tool) => tool.name);
		assert.ok(tools.includes('echo') && tools.includes('get-sum'), `echo and get-sum in ${tools.join(', ')}`);
		return `${tools.length} tools listed`;
	}],
	['tools/call', ['--tool-name', 'echo', '--tool-arg', 'message=through the gate'], (stdout: string) => {
		assert.match(stdout, /Echo: through the gate/);
		return 'echo answered';
	}],
] as const) {
	const client = ['mcp-inspector', '--cli', '{url}', '--transport', 'http', '--method', method, ...extra];
	matrixTest(
		`the Inspector ${version} CLI (${method}) under mcp-launch with server-everything: it answers, stdout is its JSON only, the tree is gone, no warning`,
		{server: '@modelcontextprotocol/server-everything', client: `MCP Inspector ${version} CLI (\`--method ${method}\`)`, command: display([...server, '--', ...client]), skip},
		async (t) => {
			const dir = tempDir(t);
			const run = startCli([...server, '--', inspector!, ...client.slice(1)], {env: matrixEnv(), cwd: dir, timeoutMs: 80_000});
			const watched = watchTree(t, run);
			const result = await run.exited;
			watched.stop();
			assert.equal(result.code, 0, show(result));
			const said = check(result.stdout);
			await assertTreeGone(watched.tree(), [run.pid]);
			const warned = warnings(result.stderr);
			assert.deepEqual(warned, [], `no warning on a working run (got: ${warned[0]?.trim()})\n${show(result)}`);
			return `${said}, tree gone, no warning`;
		},
	);
}
