// End-to-end: bad input is exit 2 with one short message naming the flag and nothing spawned;
// --help and --version.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {lines, ROOT, runCli, shellJoin, show} from './helpers/cli.js';
import {Sandbox} from './helpers/sandbox.js';

const T = {timeout: 30_000};

interface BadCase {
	name: string;
	args: (server: string, client: string[]) => string[];
	names: RegExp;
}

const cases: BadCase[] = [
	{name: 'no client command', args: (server) => ['--server', server], names: /client|command|--/i},
	{name: 'nothing after --', args: (server) => ['--server', server, '--'], names: /client|command|--/i},
	{name: 'no --server', args: (_server, client) => ['--', ...client], names: /--server/},
	{name: '--url ftp://x', args: (server, client) => ['--server', server, '--url', 'ftp://x', '--', ...client], names: /--url/},
	{name: '--url notaurl', args: (server, client) => ['--server', server, '--url', 'notaurl', '--', ...client], names: /--url/},
	{name: '--timeout banana', args: (server, client) => ['--server', server, '--timeout', 'banana', '--', ...client], names: /--timeout/},
	{name: '--kill-timeout -1s', args: (server, client) => ['--server', server, '--kill-timeout', '-1s', '--', ...client], names: /--kill-timeout/},
	{name: 'unknown flag --bogus', args: (server, client) => ['--server', server, '--bogus', '--', ...client], names: /--bogus/},
	{name: 'a misspelt flag --sever', args: (server, client) => ['--sever', server, '--', ...client], names: /unknown option --sever: did you mean --server\?/},
	{name: 'a misspelt subcommand wiat', args: () => ['wiat', 'http://127.0.0.1:1/mcp'], names: /unknown command `wiat`: did you mean `mcp-launch wait`\?/},
];

for (const c of cases) {
	test(`bad input, ${c.name}: exit 2, one short message naming it, nothing spawned`, T, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const serverMarker = box.path('server-ran');
		const clientMarker = box.path('client-ran');
		const result = await runCli(c.args(shellJoin(['touch', serverMarker]), ['touch', clientMarker]));
		assert.equal(result.code, 2, show(result));
		const errorLines = lines(result.stderr);
		assert.ok(errorLines.length >= 1 && errorLines.length <= 2, `one or two lines on stderr, got ${errorLines.length}\n${result.stderr}`);
		assert.match(errorLines[0] ?? '', c.names, `the first line names the problem\n${result.stderr}`);
		assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
		assert.equal(result.stdout, '', 'nothing on stdout');
		assert.equal(existsSync(serverMarker), false, 'the server was not spawned');
		assert.equal(existsSync(clientMarker), false, 'the client was not spawned');
	});
}

test('npx mcp-launch --help prints usage, exit 0', T, async () => {
	const result = await runCli(['--no-install', 'mcp-launch', '--help'], {command: ['npx'], cwd: ROOT, timeoutMs: 25_000});
	assert.equal(result.code, 0, show(result));
	assert.match(result.stdout, /usage/i);
	assert.match(result.stdout, /--server/);
	assert.match(result.stdout, /--url/);
	assert.match(result.stdout, /--timeout/);
});

test('--version prints the package.json version', T, async () => {
	const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {version: string};
	const result = await runCli(['--version']);
	assert.equal(result.code, 0, show(result));
	assert.equal(result.stdout.trim(), pkg.version);
});

test('--help: each command\'s own flags first, the logging flags last; -v says what it does for that command', T, async () => {
	const [launch, wait, doctor] = await Promise.all([runCli(['--help']), runCli(['wait', '--help']), runCli(['doctor', '--help'])]);
	for (const [result, first] of [[launch, '--server'], [wait, '--timeout'], [doctor, '--server']] as const) {
		assert.equal(result.code, 0, show(result));
		assert.ok(result.stdout.indexOf(first) < result.stdout.indexOf('--log-level'), `${first} before --log-level\n${result.stdout}`);
	}
	assert.match(launch.stdout, /-v, --verbose +Debug details, and the server's output until the client starts/);
	for (const result of [wait, doctor]) assert.match(result.stdout, /-v, --verbose +Debug details +\[boolean\]/, 'no server output to speak of');
	assert.match(doctor.stdout, /--timeout +With --server: how long to let it boot before checking \[default: 10 s\]/);
	assert.match(doctor.stdout, /--probe-timeout +Bound for each probe \[default: 2 s\]/);
});
