// End-to-end: a server process that leaves its process group (`setsid … &`) cannot be stopped
// by tearing the group down; mcp-launch says so at exit, naming the pid that still listens.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {SERVER_FIXTURE, shellJoin, show} from './helpers/cli.js';
import {readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {waitFor} from './helpers/wait.js';

test('a server that escaped its group with setsid: named at exit with its pid; the exit code stays the client\'s', {timeout: 30_000}, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup()); // kills every pid the fixture reported, the escaped one included
	const server = `setsid ${shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port), '--report', box.serverReport])} & sleep 300`;
	const result = await box.start(['-s', server, '-p', String(box.port), '--timeout', '15s', '--kill-timeout', '1s', '--', 'true']).exited;
	assert.equal(result.code, 0, show(result));
	const escaped = await waitFor(() => readJsonLines(box.serverReport).find((event) => event.event === 'listening'), {timeoutMs: 1_000, what: 'the escaped server\'s report'});
	assert.match(result.stderr, new RegExp(`pid ${escaped.pid} \\(node [^)]*\\) still listens on 127\\.0\\.0\\.1:${box.port} after its process group was stopped`), show(result));
});
