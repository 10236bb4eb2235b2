// Real-world matrix, the stdio bridge as a first-class recipe: an IDE that can only spawn a stdio
// command runs `mcp-launch -p auto -s "<server>" -- mcp-remote {url}` (mcp-remote 0.15) and speaks MCP
// over mcp-launch's stdin/stdout. An SDK StdioClientTransport spawns exactly that command, as the IDE
// would. Asserted: the client lists the tools; nothing but MCP traffic reaches mcp-launch's stdout (a
// server that prints to stdout at boot included: any non-JSON-RPC line is a transport error); when the
// client closes the pipe, mcp-launch exits 0 by itself and the whole server tree is gone.
import {test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import type {ChildProcess} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {Readable} from 'node:stream';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {defer} from './helpers/cleanup.js';
import {CLI, FIXTURES} from './helpers/cli.js';
import {assertTreeGone, count, descendants, display, matrixEnv, matrixTest, saveRowsAfter, tempDir, warnings} from './helpers/matrix.js';
import {killHard} from './helpers/proc.js';
import type {ProcInfo} from './helpers/soak-procs.js';
import {waitFor} from './helpers/wait.js';

saveRowsAfter(import.meta.filename);
const IDE = 'SDK StdioClientTransport (an IDE) → mcp-remote 0.15';

/** The transport's child process (the SDK keeps it private; the IDE's view of the spawned command). */
const childOf = (transport: StdioClientTransport): ChildProcess => (transport as unknown as {_process: ChildProcess})._process;

interface Session {
	client: Client;
	transport: StdioClientTransport;
	errors: Error[];
	stderr: () => string;
}

async function openSession(t: TestContext, command: string, args: string[], cwd: string): Promise<Session> {
	const transport = new StdioClientTransport({command, args, env: matrixEnv() as Record<string, string>, stderr: 'pipe', cwd});
	let stderr = '';
	(transport.stderr as Readable | null)?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const errors: Error[] = [];
	const client = new Client({name: 'matrix-ide', version: '1.0.0'});
	client.onerror = (error) => errors.push(error);
	defer(t, async () => {
		const pid = transport.pid ?? undefined;
		const tree = pid ? descendants(pid) : [];
		killHard(pid);
		for (const p of tree) killHard(p.pid);
	});
	await client.connect(transport);
	return {client, transport, errors, stderr: () => stderr};
}

test('the stdout check is not vacuous: a line that is not JSON-RPC on the command\'s stdout is a transport error', {timeout: 30_000}, async (t) => {
	const dir = tempDir(t);
	const transport = new StdioClientTransport({command: 'sh', args: ['-c', 'echo "Server listening on port 3000"; cat >/dev/null'], cwd: dir, stderr: 'pipe'});
	const errors: Error[] = [];
	transport.onerror = (error) => errors.push(error);
	t.after(() => transport.close());
	await transport.start();
	await waitFor(() => errors.length > 0, {timeoutMs: 10_000, what: 'the transport to reject the banner line'});
	assert.match(String(errors[0]), /JSON|Unexpected token|Invalid/i);
});

const servers = [
	{server: '@modelcontextprotocol/server-everything', command: 'mcp-server-everything streamableHttp', log: false},
	{server: 'fastmcp (npm), printing a banner on stdout at boot', command: `node ${path.join(FIXTURES, 'matrix-fastmcp.js')} --stdout-banner --port {port}`, log: true},
];

for (const {server, command, log} of servers) {
	// --server-log (only to prove the banner was printed): the server's output, kept off stdout.
	const args = ['-p', 'auto', '-s', command, ...(log ? ['--server-log', 'server.log'] : []), '--', 'mcp-remote', '{url}'];
	matrixTest(
		`stdio bridge, ${server}: the IDE lists the tools, stdout carries only MCP, closing the pipe ends everything`,
		{server, client: IDE, command: display(args)},
		async (t) => {
			const dir = tempDir(t);
			const session = await openSession(t, process.execPath, [CLI, ...args], dir);
			const {tools} = await session.client.listTools();
			assert.ok(tools.length > 0, 'tools listed through the bridge');
			const pid = session.transport.pid!;
			const tree: ProcInfo[] = descendants(pid);
			assert.ok(tree.some((p) => p.argv.some((word) => word.includes('mcp-remote'))), `mcp-remote runs under mcp-launch: ${JSON.stringify(tree.map((p) => p.argv.join(' ')))}`);
			assert.ok(tree.length >= 3, 'a server tree and the bridge');
			// The IDE closes the session: its end of the pipe, nothing else.
			const child = childOf(session.transport);
			const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => {
				if (child.exitCode !== null || child.signalCode !== null) resolve({code: child.exitCode, signal: child.signalCode});
				else child.once('exit', (code, signal) => resolve({code, signal}));
			});
			child.stdin!.end();
			const exit = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 30_000).unref())]);
			assert.notEqual(exit, 'timeout', `mcp-launch exits by itself once the pipe closes\n${session.stderr()}`);
			assert.deepEqual(exit, {code: 0, signal: null}, `mcp-launch exits 0 (mcp-remote's own code)\n${session.stderr()}`);
			await assertTreeGone(tree, [pid]);
			assert.deepEqual(session.errors.map(String), [], `nothing but JSON-RPC on mcp-launch's stdout\n${session.stderr()}`);
			const warned = warnings(session.stderr()).filter((line) => line.startsWith('mcp-launch'));
			assert.deepEqual(warned, [], `no warning from mcp-launch (got: ${warned[0]})\n${session.stderr()}`);
			if (log) {
				const printed = existsSync(path.join(dir, 'server.log')) ? readFileSync(path.join(dir, 'server.log'), 'utf8') : '';
				assert.match(printed, /a banner on stdout/, 'the server did print its banner on its stdout (and the IDE never saw it)');
			}
			await session.transport.close();
			return `${count(tools.length, 'tool')} listed, stdout only JSON-RPC, pipe closed → exit 0, tree gone, no warning`;
		},
	);
}
