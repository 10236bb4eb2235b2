// What scripts/wine-drive.js left behind, checked from Windows: the built CLI's launcher was
// killed with `kill -KILL` from Linux (Node ran no code; Wine tore the process down as Windows
// does for TerminateProcess), or Ctrl-C was typed on its pseudo-terminal. Either way the server's
// tree (cmd → node → child, plus a detached grandchild) and the {mcp-config} directory are gone.
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {waitFor} from '../helpers/wait.js';
import {alive} from './helpers.js';

const out = process.env.MCP_WIN_DRIVE_OUT;
type Pids = {server: number; child: number; grandchild: number};
type State = {ran: boolean; report: string; clientReport: string; client?: {mcpConfig: string; mcpConfigExists: boolean; pid: number; stdinIsTTY: boolean}; exitCode?: number; signal?: string; sigint?: boolean; screen?: string};
const state = (name: string): State => JSON.parse(readFileSync(path.win32.join(out!, `${name}.json`), 'utf8')) as State;

async function assertNothingLeft(name: string, {ran, report, client}: State, boundMs: number): Promise<void> {
	assert.ok(ran, `${name}: the client ran (see ${name}-launcher.log)`);
	const pids = JSON.parse(readFileSync(report, 'utf8')) as Pids;
	const tree = [pids.server, pids.child, pids.grandchild, client!.pid];
	await waitFor(() => tree.every(pid => !alive(pid)), {timeoutMs: boundMs, what: `${name}: every process of the tree gone (${tree.filter(pid => alive(pid)).join(' ')} left)`});
	assert.ok(client!.mcpConfigExists, 'the client had its {mcp-config} file');
	await waitFor(() => !existsSync(path.win32.dirname(client!.mcpConfig)), {timeoutMs: boundMs, what: `${name}: the {mcp-config} directory removed`});
}

describe('driven from Linux (scripts/wine-drive.js)', {skip: !out && 'run by scripts/wine-test.sh after wine-drive.js'}, () => {
	it('the launcher killed with kill -KILL: the job helpers end the tree and remove {mcp-config}', async () => {
		// The helpers see their control pipe close and end their jobs; bounded like the guardian's grace.
		await assertNothingLeft('killed', state('killed'), 3_000);
	});

	it('Ctrl-C typed on the terminal: the client takes it (exit 130, passed through), the tree and {mcp-config} are gone', async () => {
		const ctrlC = state('ctrl-c');
		assert.equal(ctrlC.client?.stdinIsTTY, true, 'the client had the terminal');
		assert.equal(ctrlC.sigint, true, `the client got SIGINT (CTRL_C_EVENT)\n${ctrlC.screen ?? ''}`);
		assert.equal(ctrlC.exitCode, 130, `mcp-launch passed the client's exit code on (Wine ended by ${ctrlC.signal ?? 'no signal'})\n${ctrlC.screen ?? ''}`);
		// mcp-launch had exited: nothing may be left at that moment.
		await assertNothingLeft('ctrl-c', ctrlC, 0);
	});
});
