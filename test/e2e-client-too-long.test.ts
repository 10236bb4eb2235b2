// End-to-end, issue 17 item 6: a client whose arguments, placeholders filled, are over what
// the system lets a program have (each under 128 KiB, together far over ARG_MAX): spawning it
// fails with E2BIG, which is exit 126 with one line (not an internal error with a stack), and
// the server is torn down.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {lines, show} from './helpers/cli.js';
import {portIsFree} from './helpers/net.js';
import {waitGone} from './helpers/proc.js';
import {Sandbox} from './helpers/sandbox.js';

test('client arguments over ARG_MAX once {url} is filled: exit 126, one line, the server gone', {timeout: 60_000}, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	// 80 arguments of 4700 {url}: 1.9 MB as typed, 9.8 MB filled (each 122 KB: under the per-argument limit).
	const huge = Array.from({length: 80}, () => '{url}'.repeat(4700));
	const result = await box.start(['-q', '-s', box.server(), '-u', box.url, '--timeout', '20s', '--', 'true', ...huge], {timeoutMs: 50_000}).exited;
	assert.equal(result.code, 126, show({...result, stderr: result.stderr.slice(0, 2000)}));
	assert.doesNotMatch(result.stderr, /internal error|^\s+at /m, 'no internal error, no stack');
	assert.equal(lines(result.stderr).length, 1, `one line\n${result.stderr.slice(0, 2000)}`);
	assert.match(result.stderr, /E2BIG/);
	const server = box.serverPid();
	assert.ok(server, 'the server ran');
	await waitGone([server], 5_000); // The server was torn down.
	assert.equal(await portIsFree(box.port), true);
});
