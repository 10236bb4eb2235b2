// End-to-end: secrets given to mcp-launch (a --header value, a URL's password and query values)
// never show: not on stderr (pretty and JSON, at debug level), not in --server-log, not in the
// argv of any process it spawns (what `ps` shows), not in doctor's output; and doctor never
// re-sends them in clear text when it tries http for an https URL. The client still gets the
// real URL.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {CLI, FIXTURES, show, shellJoin, startCli, type CliRun} from './helpers/cli.js';
import {freePort} from './helpers/net.js';
import {killHard} from './helpers/proc.js';
import {readClientReport, readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {waitFor} from './helpers/wait.js';

const T = {timeout: 60_000};
const AUTH_SERVER = path.join(FIXTURES, 'wf-auth-server.js');
const HEADER_SECRET = 'hdr-SECRET-7f3a9c';
const PASSWORD = 'pw-SECRET-91c2e4';
const QUERY_SECRET = 'qs-SECRET-5d8e01';
const secrets = [HEADER_SECRET, PASSWORD, QUERY_SECRET];
// A server that logs its config prints `auth=Bearer <the header's token>` (from its environment,
// not its argv); the crash and timeout reports show the server's last lines.
const SERVER_SAYS = 'auth=${SAY_AUTH}';
const sayEnv = {...process.env, SAY_AUTH: `Bearer ${HEADER_SECRET}`};
const secretUrl = (port: number) => `http://admin:${PASSWORD}@127.0.0.1:${port}/mcp?token=${QUERY_SECRET}&mode=x`;
const formats = ['pretty', 'json'] as const;

function assertNoSecret(text: string, where: string): void {
	for (const secret of secrets) {
		assert.ok(!text.includes(secret), `${where} holds the secret ${secret}:\n${text}`);
	}
}

/**
 * The argv of every process mcp-launch spawned (its descendants by parent pid, its own excluded:
 * the user typed that one). Other specs run mcp-launch with the same secrets at the same time;
 * their processes are not this run's.
 */
function spawnedCmdlines(root: number): Map<number, string> {
	const parents = new Map<number, number>();
	for (const name of readdirSync('/proc')) {
		const pid = Number(name);
		if (!Number.isInteger(pid)) continue;
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			parents.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {
			// gone in between
		}
	}

	const found = new Map<number, string>();
	for (const pid of parents.keys()) {
		let up = parents.get(pid);
		while (up !== undefined && up > 1 && up !== root) up = parents.get(up);
		if (up !== root) continue;
		try {
			const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			// Another spec file's mcp-launch (files run two at a time) holds what its user typed, as this
			// run's own does: only what mcp-launch spawns is in question.
			if (argv[1] === CLI) continue;
			found.set(pid, argv.join(' '));
		} catch {
			// gone in between
		}
	}
	return found;
}

/** No spawned process carries a secret in its argv; and the scan did see the ones named. */
function assertArgvClean(run: CliRun, mustSee: readonly number[]): void {
	const all = spawnedCmdlines(run.pid);
	for (const pid of mustSee) assert.ok(all.has(pid), `process ${pid} was spawned by mcp-launch, running and scanned`);
	for (const [pid, argv] of all) {
		for (const secret of secrets) assert.ok(!argv.includes(secret), `process ${pid} shows the secret in its argv: ${argv}`);
	}
}

const guardianPid = (stderr: string): number | undefined => {
	const match = /"guardian":(\d+)/.exec(stderr);
	return match ? Number(match[1]) : undefined;
};

for (const format of formats) {
	test(`success run (--log-level debug, ${format}): no secret on stderr, in --server-log or in any spawned argv; the client gets the real URL`, T, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const release = box.path('release');
		const log = box.path('server.log');
		const run = box.start([
			'--server', shellJoin(['node', AUTH_SERVER, '--port', String(box.port), '--report', box.serverReport]),
			'--url', secretUrl(box.port),
			'--header', `Authorization: Bearer ${HEADER_SECRET}`,
			'--log-level', 'debug', '--log-format', format,
			'--server-log', log,
			'--timeout', '30s',
			'--', ...box.client(['--no-connect', '--until-file', release]),
		], {env: {...process.env, WF_AUTH_TOKEN: HEADER_SECRET}, timeoutMs: 50_000});
		const client = await waitFor(() => readClientReport(box.clientReport), {timeoutMs: 40_000, what: `the client to start (stderr: ${run.stderr()})`});
		const server = readJsonLines(box.serverReport).find((event) => event.event === 'start');
		assert.ok(server, 'the server reported its start');
		const seen = [client.pid, server.pid];
		if (format === 'json') {
			const guardian = guardianPid(run.stderr());
			assert.ok(guardian, `the debug log names the guardian: ${run.stderr()}`);
			seen.push(guardian);
		}
		assertArgvClean(run, seen);
		writeFileSync(release, '');
		const result = await run.exited;
		assert.equal(result.code, 0, show(result));
		// The probe carried the header (the server answers 200 only with it), and no log shows it.
		const requests = readJsonLines(box.serverReport).filter((event) => event.event === 'request') as unknown as Array<{authorization: string | null}>;
		assert.ok(requests.some((request) => request.authorization === `Bearer ${HEADER_SECRET}`), 'the probe sent the header');
		assertNoSecret(result.stderr, 'stderr');
		assertNoSecret(result.stdout, 'stdout');
		assertNoSecret(readFileSync(log, 'utf8'), '--server-log');
		assert.match(result.stderr, /admin:\*\*\*@127\.0\.0\.1/, 'the URL is shown, with its password hidden');
		assert.match(result.stderr, /token=\*\*\*&mode=\*\*\*/, 'query names are shown, values hidden');
		assert.equal(readClientReport(box.clientReport)?.env.MCP_SERVER_URL, secretUrl(box.port), 'the client gets the real URL');
	});

	test(`failure by timeout (--log-level debug, ${format}): the error names the URL without its secrets; no spawned argv has them`, T, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const run = box.start([
			'--server', box.server(['--say', SERVER_SAYS, '--never-listen']),
			'--url', secretUrl(box.port),
			'--header', `Authorization: Bearer ${HEADER_SECRET}`,
			'--log-level', 'debug', '--log-format', format,
			'--timeout', '1500ms',
			'--', ...box.client(['--no-connect']),
		], {env: sayEnv, timeoutMs: 40_000});
		await waitFor(() => box.serverPid(), {timeoutMs: 20_000, what: 'the server to start'});
		assertArgvClean(run, [box.serverPid()!]);
		const result = await run.exited;
		assert.equal(result.code, 124, show(result));
		assertNoSecret(result.stderr, 'stderr');
		assert.match(result.stderr, /did not answer within/);
		assert.match(result.stderr, /admin:\*\*\*@127\.0\.0\.1:\d+\/mcp\?token=\*\*\*/);
		assert.match(result.stderr, /auth=\*\*\*/, 'the server\'s line is in the report, its secret masked');
	});

	test(`failure by crash (--log-level debug, ${format}): no secret in the crash report`, T, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const result = await box.start([
			'--server', box.server(['--say', SERVER_SAYS, '--crash-on-boot', 'fixture: cannot start']),
			'--url', secretUrl(box.port),
			'--header', `Authorization: Bearer ${HEADER_SECRET}`,
			'--log-level', 'debug', '--log-format', format,
			'--timeout', '20s',
			'--', ...box.client(['--no-connect']),
		], {env: sayEnv, timeoutMs: 40_000}).exited;
		assert.equal(result.code, 125, show(result));
		assertNoSecret(result.stderr, 'stderr');
		assert.match(result.stderr, /fixture: cannot start/, 'the crash report is there');
		assert.match(result.stderr, /auth=\*\*\*/, 'the server\'s line is in the report, its secret masked');
		assert.match(result.stderr, /admin:\*\*\*@127\.0\.0\.1/);
	});
}

test('a bad --url and a bad --header are reported without their secrets', T, async () => {
	const badUrl = await startCli(['--server', 'true', '--url', `ftp://admin:${PASSWORD}@127.0.0.1:1/mcp?token=${QUERY_SECRET}`, '--', 'true']).exited;
	assert.equal(badUrl.code, 2, show(badUrl));
	assertNoSecret(badUrl.stderr, 'stderr');
	const badHeader = await startCli(['--server', 'true', '--header', `Bad Header ${HEADER_SECRET}`, '--', 'true']).exited;
	assert.equal(badHeader.code, 2, show(badHeader));
	assertNoSecret(badHeader.stderr, 'stderr');
});

for (const format of ['text', 'json'] as const) {
	test(`doctor (${format}) on https against a plain-http server: the http try carries no header and no password; the output no secret`, T, async (t) => {
		const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-e2e-'));
		const port = await freePort();
		const report = path.join(dir, 'auth-server.jsonl');
		const server = spawn(process.execPath, [AUTH_SERVER, '--port', String(port), '--report', report], {env: {...process.env, WF_AUTH_TOKEN: HEADER_SECRET}, stdio: 'ignore'});
		t.after(() => {
			killHard(server.pid);
			rmSync(dir, {recursive: true, force: true});
		});
		await waitFor(() => readJsonLines(report).some((event) => event.event === 'listening'), {timeoutMs: 20_000, what: 'the auth server to listen'});
		const https = `https://admin:${PASSWORD}@127.0.0.1:${port}/mcp?token=${QUERY_SECRET}`;
		const result = await startCli(['doctor', https, '--header', `Authorization: Bearer ${HEADER_SECRET}`, '--format', format], {timeoutMs: 40_000}).exited;
		assert.equal(result.code, 1, show(result));
		assert.match(result.stdout, /plain HTTP/, 'the scheme mismatch is found');
		const requests = readJsonLines(report).filter((event) => event.event === 'request') as unknown as Array<{authorization: string | null}>;
		assert.ok(requests.length > 0, 'doctor tried http (the confirming probe reached the server)');
		for (const request of requests) assert.equal(request.authorization, null, 'no header, no Basic auth over plain http');
		assertNoSecret(result.stdout, 'doctor stdout');
		assertNoSecret(result.stderr, 'doctor stderr');
		assert.match(result.stdout, /admin:\*\*\*@127\.0\.0\.1/);
	});
}
