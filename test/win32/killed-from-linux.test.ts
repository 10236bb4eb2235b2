// After scripts/wine-test.sh killed a launcher's Wine process with `kill -KILL` from Linux
// (Node ran no code; Wine tore the process down as Windows does for TerminateProcess), the
// tree it had started through the job helper and its temp directory are gone.
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {it} from 'node:test';
import {waitFor} from '../helpers/wait.js';
import {alive} from './helpers.js';

const state = process.env.MCP_WIN_KILLED_STATE;

it('a launcher killed with kill -KILL from Linux leaves no tree and no temp directory', {skip: !state && 'run by scripts/wine-test.sh after it killed a launcher'}, async () => {
	const {pids, temporary, launcher} = JSON.parse(readFileSync(state!, 'utf8')) as {pids: {server: number; child: number; grandchild: number}; temporary: string; launcher: number};
	assert.equal(alive(launcher), false, 'the launcher was killed');
	await waitFor(() => [pids.server, pids.child, pids.grandchild].every(pid => !alive(pid)), {timeoutMs: 3_000, what: 'the tree gone'});
	await waitFor(() => !existsSync(temporary), {timeoutMs: 3_000, what: 'the {mcp-config} directory removed'});
});
