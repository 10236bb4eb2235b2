// End-to-end: --header values (credentials, usually) go only where the client itself would
// send them. An https endpoint whose certificate cannot be verified still counts as up, but is
// probed without them, and mcp-launch says so; --insecure sends them anyway.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {SERVER_FIXTURE, shellJoin, show} from './helpers/cli.js';
import {readJsonLines} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';

const T = {timeout: 30_000};
const secret = 'Bearer s3cret-token-for-the-real-server';

/** A self-signed certificate for a name the URL does not even have: nothing a client would trust. */
function selfSigned(box: Sandbox): string {
	execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', box.path('key.pem'), '-out', box.path('cert.pem'), '-days', '1', '-subj', '/CN=evil.example'], {stdio: 'ignore'});
	return box.dir;
}

const server = (box: Sandbox) => shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port), '--tls', selfSigned(box), '--record-requests', '--report', box.serverReport]);
const requests = (box: Sandbox) => readJsonLines(box.serverReport).filter((event) => event.event === 'request') as unknown as Array<{authorization: string | null}>;

test('https with a certificate that does not verify: ready, but the probe carried no --header value, and it says so', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const url = `https://127.0.0.1:${box.port}/mcp`;
	const result = await box.start(['-s', server(box), '-u', url, '-H', `Authorization: ${secret}`, '--timeout', '15s', '--', 'true']).exited;
	assert.equal(result.code, 0, show(result));
	assert.ok(requests(box).length > 0, 'the endpoint was probed');
	assert.deepEqual(requests(box).map((request) => request.authorization), requests(box).map(() => null), 'no request carried the header');
	assert.match(result.stderr, /certificate could not be verified \(DEPTH_ZERO_SELF_SIGNED_CERT\): the --header values were not sent/);
	assert.doesNotMatch(result.stderr, /s3cret/);
});

test('--insecure: the same endpoint gets the header', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const url = `https://127.0.0.1:${box.port}/mcp`;
	const result = await box.start(['-s', server(box), '-u', url, '-H', `Authorization: ${secret}`, '--insecure', '--timeout', '15s', '--', 'true']).exited;
	assert.equal(result.code, 0, show(result));
	assert.ok(requests(box).some((request) => request.authorization === secret), JSON.stringify(requests(box)));
	assert.doesNotMatch(result.stderr, /not sent/);
});
