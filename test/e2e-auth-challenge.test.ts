// End-to-end, issue 17 item 12: a server behind auth answers the probe 401 with its challenge
// (WWW-Authenticate); the probe keeps that header, and the 401 finding quotes it, in the
// launcher's warning and in doctor's report (one mapping from an answer to the rules' input).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {FIXTURES, shellJoin, show} from './helpers/cli.js';
import {readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {waitFor} from './helpers/wait.js';

const AUTH_SERVER = path.join(FIXTURES, 'wf-auth-server.js');
const T = {timeout: 60_000};

test('launcher: a 401 without --header is reported with the server\'s WWW-Authenticate challenge', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const result = await box.start([
		'-p', String(box.port), '-s', shellJoin(['node', AUTH_SERVER, '--port', String(box.port), '--report', box.serverReport]),
		'--strict', '--timeout', '20s', '--', 'true',
	], {env: {...process.env, WF_AUTH_TOKEN: 'tok-123'}}).exited;
	assert.equal(result.code, 125, `--strict fails on the 401\n${show(result)}`);
	assert.match(result.stderr, /answered 401 at \/mcp: the server wants credentials \(WWW-Authenticate: Bearer\)/, show(result));
});

test('doctor: the 401 step and verdict quote WWW-Authenticate', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const auth = box.start(['doctor', '--format', 'json', '-s', shellJoin(['node', AUTH_SERVER, '--port', String(box.port), '--report', box.serverReport]), box.url], {env: {...process.env, WF_AUTH_TOKEN: 'tok-123'}});
	await waitFor(() => readJsonLines(box.serverReport).some((event) => event.event === 'listening'), {timeoutMs: 20_000, what: 'the auth server to listen'});
	const result = await auth.exited;
	assert.equal(result.code, 1, show(result));
	const report = JSON.parse(result.stdout) as {verdict: {cause: string; summary: string}};
	assert.equal(report.verdict.cause, 'auth', show(result));
	assert.match(result.stdout, /WWW-Authenticate: Bearer/, show(result));
});
