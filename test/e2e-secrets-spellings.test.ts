// End-to-end, issue 17 items 5 and 10: secrets in every spelling stay out of every output, and
// what a server prints cannot drive the terminal. A URL password holding ', " or a space, or
// longer than a clipped message; query values in the server's own access log (the crash
// report's last lines, -v); a header value where a long line is cut; LaunchError.details for
// a library user who prints the error; escape sequences (an OSC that sets the window title).
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {inspect} from 'node:util';
import path from 'node:path';
import {cliBuilt, FIXTURES, runCli, show} from './helpers/cli.js';
import {freePort} from './helpers/net.js';
import {waitUntilReady} from '../src/index.js';

const SERVER = path.join(FIXTURES, 'log-echo-server.js');
const PASSWORD = 'pw-SECRET-91c2e4';
const QUERY = 'qs-SECRET-5d8e01';
const HEADER = 'hdr-SECRET-7f3a9c-0123456789abcdef';
before(() => {
	assert.ok(cliBuilt(), 'dist/cli.js is built (npm run build)');
});

/** No part of a secret: not whole, not its first 6 characters (a cut), not percent-encoded. */
function assertNone(text: string, secrets: readonly string[], where: string): void {
	for (const secret of secrets) {
		for (const spelling of [secret, secret.slice(0, 6), encodeURIComponent(secret)]) {
			assert.ok(!text.includes(spelling), `${where} shows ${JSON.stringify(spelling)} of a secret:\n${text}`);
		}
	}
}

/** No raw control character but newline (and CR of a terminal's CRLF): an escape sequence shows as text. */
function assertPrintable(text: string, where: string): void {
	// eslint-disable-next-line no-control-regex
	const raw = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/.exec(text.replaceAll('\r\n', '\n'));
	assert.equal(raw, null, `${where} holds a raw control character ${JSON.stringify(raw?.[0])}:\n${JSON.stringify(text)}`);
}

const passwords: Array<[string, string]> = [
	['a single quote', `pw'${PASSWORD}`],
	['a double quote', `pw"${PASSWORD}`],
	['a space', `pw ${PASSWORD}`],
	['90 characters (longer than a clipped message)', `${PASSWORD}${'x'.repeat(74)}`],
];

describe('a URL password in any spelling: ready line, wait timeout, doctor text and JSON, usage errors', {concurrency: 2}, () => {
	for (const [what, password] of passwords) {
		const url = (p: number) => `http://u:${password}@127.0.0.1:${p}/mcp?token=${QUERY}`;
		it(`${what}: the ready line and -v`, {timeout: 30_000}, async () => {
			const own = await freePort();
			const result = await runCli(['-v', '-s', `node ${SERVER} --port ${own}`, '-u', url(own), '--', 'true'], {timeoutMs: 25_000});
			assert.equal(result.code, 0, show(result));
			assert.match(result.stderr, /ready http:\/\/u:\*\*\*@127\.0\.0\.1/, show(result));
			assertNone(result.stderr, [password, QUERY], 'stderr');
		});

		it(`${what}: wait's timeout, doctor (text and JSON), a usage error`, {timeout: 30_000}, async () => {
			const closed = url(1);
			const wait = await runCli(['wait', '--timeout', '200ms', closed]);
			assert.equal(wait.code, 124, show(wait));
			assertNone(wait.stderr, [password, QUERY], 'wait');
			for (const format of ['text', 'json']) {
				const doctor = await runCli(['doctor', '--format', format, closed]);
				assert.equal(doctor.code, 1, show(doctor));
				assertNone(doctor.stdout + doctor.stderr, [password, QUERY], `doctor ${format}`);
			}

			const usage = await runCli(['-s', 'true', '-u', `http://u:${password}@127.0.0.1:0/mcp?token=${QUERY}`, '--', 'true']);
			assert.equal(usage.code, 2, show(usage));
			assertNone(usage.stderr, [password, QUERY], 'the usage error');
		});
	}
});

describe('what a server prints: query values and header values redacted, control characters escaped', {concurrency: 2}, () => {
	it('-v shows its access log without the query value, and its escape sequences as text', {timeout: 30_000}, async () => {
		// -v shows what the server printed until the client starts: the line printed before listen() is sure to be among it.
		const port = await freePort();
		const result = await runCli(['-v', '-s', `node ${SERVER} --port ${port}`, '-p', String(port), '-H', `Authorization: Bearer ${HEADER}`, '-u', `http://127.0.0.1:{port}/mcp?token=${QUERY}`, '--', 'true'], {timeoutMs: 25_000, env: {...process.env, LOG_ECHO_TARGET: `/mcp?token=${QUERY}`}});
		assert.equal(result.code, 0, show(result));
		assert.match(result.stderr, /\[server\] INFO: +127\.0\.0\.1:1 - "POST \/mcp\?token=\*\*\* HTTP\/1\.1" 400/, show(result));
		assert.match(result.stderr, /\\u001b\]0;PWNED-TITLE\\u0007/, 'the OSC is shown escaped');
		assertNone(result.stderr, [QUERY, HEADER, `Bearer ${HEADER}`], 'stderr');
		assertPrintable(result.stderr, 'stderr');
	});

	for (const format of ['pretty', 'json']) {
		it(`the crash report's last lines (${format}): no query value, no start of a header cut at 1000 characters, no raw escape`, {timeout: 30_000}, async () => {
			const crashPort = await freePort();
			const result = await runCli(['--log-format', format, '-s', `node ${SERVER} --port ${crashPort} --crash`, '-H', `Authorization: Bearer ${HEADER}`, '-u', `http://127.0.0.1:${crashPort}/mcp?token=${QUERY}`, '--', 'true'], {timeoutMs: 25_000});
			assert.equal(result.code, 125, show(result));
			assert.match(result.stderr, /token=\*\*\*/, show(result));
			assert.match(result.stderr, /a{100}/, 'the long line is in the report');
			assertNone(result.stderr, [QUERY, HEADER], 'stderr');
			assertPrintable(result.stderr, 'stderr');
		});
	}
});

describe('a library user who prints the error', () => {
	let closed: number;
	before(async () => {
		closed = await freePort();
	});
	after(() => {});

	it('console.error(error) after waitUntilReady shows no password and no query value', async () => {
		const error = await waitUntilReady(`http://u:${PASSWORD}@127.0.0.1:${closed}/mcp?token=${QUERY}`, {timeout: 200}).then(() => undefined, (error: unknown) => error);
		assert.ok(error, 'it timed out');
		const printed = inspect(error, {depth: 10});
		assert.match(printed, /READY_TIMEOUT/);
		assertNone(printed, [PASSWORD, QUERY], 'the printed error');
	});
});
