// End-to-end: on a platform mcp-launch does not support (anything but Linux, macOS and Windows;
// forced here through the CLI's MCP_LAUNCH_PLATFORM knob) every command fails at start: one line,
// exit 1, no stack trace, and nothing started. The knob cannot make Linux run the Windows path
// (its trees are Job Objects, its shell cmd.exe): that is refused the same way. The Windows path
// itself is proven under Wine (test/win32/, scripts/wine-test.sh).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {lines, runCli, show} from './helpers/cli.js';
import {portIsFree} from './helpers/net.js';
import {Sandbox} from './helpers/sandbox.js';

const T = {timeout: 30_000};

const refusal = (platform: string) => (platform === 'win32'
	? `mcp-launch: MCP_LAUNCH_PLATFORM=win32 cannot stand in for ${process.platform} (a test knob: the Unix paths stand in for each other, Windows for none)`
	: `mcp-launch: unsupported platform ${platform} (mcp-launch runs on Linux, macOS and Windows)`);

for (const platform of ['aix', 'freebsd', 'win32']) {
	for (const [what, args] of [
		['launch', (box: Sandbox, marker: string) => ['--server', `touch ${marker}; ${box.server()}`, '--url', box.url, '--', 'sh', '-c', `touch ${marker}-client`]],
		['doctor --server', (box: Sandbox, marker: string) => ['doctor', box.url, '--server', `touch ${marker}; ${box.server()}`]],
		['wait', (box: Sandbox) => ['wait', box.url, '--timeout', '1s']],
	] as const) {
		test(`${platform}: ${what} fails at start with one line and exit 1; nothing is started`, T, async (t) => {
			const box = await Sandbox.create();
			t.after(() => box.cleanup());
			const marker = box.path('started');
			const result = await runCli(args(box, marker), {env: {...process.env, MCP_LAUNCH_PLATFORM: platform}});
			assert.equal(result.code, 1, show(result));
			assert.deepEqual(lines(result.stderr), [refusal(platform)], show(result));
			assert.equal(result.stdout, '');
			assert.equal(existsSync(marker), false, 'no server was started');
			assert.equal(existsSync(`${marker}-client`), false, 'no client was started');
			assert.equal(existsSync(box.serverReport), false, 'the server fixture never ran');
			assert.ok(await portIsFree(box.port), 'nothing listens on the port');
		});
	}
}

test('an unsupported platform still answers --version (it starts nothing)', T, async () => {
	const result = await runCli(['--version'], {env: {...process.env, MCP_LAUNCH_PLATFORM: 'aix'}});
	assert.equal(result.code, 0, show(result));
	assert.match(result.stdout, /^\d+\.\d+\.\d+/);
});

test('MCP_LAUNCH_PLATFORM=darwin (the macOS path) and linux are supported', T, async () => {
	for (const platform of ['darwin', 'linux']) {
		const result = await runCli(['wait', '--help'], {env: {...process.env, MCP_LAUNCH_PLATFORM: platform}});
		assert.equal(result.code, 0, `${platform}: ${show(result)}`);
	}
});
