// Real-world matrix, npm servers: each third-party server runs through the built CLI the way its own
// README serves Streamable HTTP, on a free port (-p auto: {port} / PORT), with the official SDK client.
// Each asserts: ready, the client lists the server's tools, the whole server tree is gone after exit,
// and no warning on stderr. (context7 has its own file: test/e2e-matrix-context7.test.ts.) Rows go to the table in examples/README.md (test/helpers/matrix.ts).
import assert from 'node:assert/strict';
import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {CLIENT_FIXTURE, FIXTURES, show, startCli} from './helpers/cli.js';
import {assertTreeGone, count, display, matrixEnv, matrixTest, saveRowsAfter, tempDir, warnings, watchTree, workingRunWithSdkClient} from './helpers/matrix.js';
import {readClientReport} from './helpers/report.js';

saveRowsAfter(import.meta.filename);
const SDK = 'SDK client (test/fixtures/client.js)';

interface Case {
	server: string;
	/** Launcher flags; `<dir>` in a word is replaced by a private directory (the filesystem server's root). */
	flags: string[];
	/** Tools the server must list (a sample). */
	tools: string[];
}

const cases: Case[] = [
	{server: '@modelcontextprotocol/server-everything', flags: ['-p', 'auto', '-s', 'mcp-server-everything streamableHttp'], tools: ['echo', 'get-sum']},
	{server: '@playwright/mcp', flags: ['-p', 'auto', '-u', 'http://localhost:{port}/mcp', '-s', 'playwright-mcp --port {port}'], tools: ['browser_navigate']},
	{
		server: 'supergateway + @modelcontextprotocol/server-filesystem',
		flags: ['-p', 'auto', '-s', "supergateway --stdio 'mcp-server-filesystem <dir>' --outputTransport streamableHttp --port {port}"],
		tools: ['read_text_file', 'list_directory'],
	},
	{server: 'fastmcp (npm, httpStream)', flags: ['-p', 'auto', '-s', `node ${path.join(FIXTURES, 'matrix-fastmcp.js')}`], tools: ['add']},
	{server: 'mcp-proxy + @modelcontextprotocol/server-filesystem', flags: ['-p', 'auto', '-s', 'mcp-proxy --port {port} -- mcp-server-filesystem <dir>'], tools: ['read_text_file']},
];

for (const c of cases) {
	matrixTest(`${c.server}: ready, the SDK client lists its tools, the tree is gone, no warning`, {server: c.server, client: SDK, command: `${display(c.flags)} -- node test/fixtures/client.js`}, async (t) => {
		const dir = tempDir(t);
		const root = path.join(dir, 'files');
		mkdirSync(root);
		const run = await workingRunWithSdkClient(t, c.flags.map((word) => word.replace('<dir>', root)));
		for (const tool of c.tools) assert.ok(run.tools.includes(tool), `${tool} in ${run.tools.join(', ')}`);
		return `ready, ${count(run.tools.length, 'tool')} listed, tree gone, no warning`;
	});
}

// Playwright MCP with the default URL (http://127.0.0.1:{port}/mcp): it answers 403 "Access is only
// allowed at localhost:PORT" (Host check). The right behaviour: say so once and hand the client the
// spelling it accepts (localhost), so the client works.
matrixTest(
	'@playwright/mcp on the default 127.0.0.1 URL: the Host check is named once and the client gets the localhost URL that works',
	{server: '@playwright/mcp (default URL: 403 Host check)', client: SDK, command: `${display(['-p', 'auto', '-s', 'playwright-mcp --port {port}'])} -- node test/fixtures/client.js`},
	async (t) => {
		const dir = tempDir(t);
		const report = path.join(dir, 'client.json');
		const run = startCli(['-p', 'auto', '-s', 'playwright-mcp --port {port}', '--', process.execPath, CLIENT_FIXTURE, '--report', report], {env: matrixEnv(), cwd: dir, timeoutMs: 80_000});
		const watched = watchTree(t, run);
		const result = await run.exited;
		watched.stop();
		await assertTreeGone(watched.tree());
		const client = readClientReport(report);
		assert.equal(client?.error ?? null, null, `the client works on the URL it was given\n${show(result)}`);
		assert.match(client?.url ?? '', /^http:\/\/localhost:\d+\/mcp$/, `the client got the localhost URL\n${show(result)}`);
		assert.equal(result.code, 0, show(result));
		const port = /localhost:(\d+)/.exec(client!.url!)![1];
		assert.match(result.stderr, new RegExp(`localhost:${port}`), `the message names the spelling that works\n${show(result)}`);
		assert.ok(warnings(result.stderr).length <= 1, `said once\n${show(result)}`);
		return `Host check named, client handed http://localhost:{port}/mcp, ${count(client!.tools.length, 'tool')} listed`;
	},
);
