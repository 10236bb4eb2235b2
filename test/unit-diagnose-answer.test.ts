import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {classifyAnswer} from '../src/diagnose/answer.js';
import {detectSchemeMismatch, otherScheme} from '../src/diagnose/scheme.js';
import {ProbeError} from '../src/readiness/probe.js';

const url = new URL('http://127.0.0.1:3000/mcp');

describe('classifyAnswer', () => {
	for (const status of [200, 202, 400, 405, 406]) {
		it(`${status} is a normal MCP answer`, () => {
			const verdict = classifyAnswer({status}, url);
			assert.equal(verdict.severity, 'ok');
			assert.equal(verdict.cause, 'ok');
		});
	}

	it('404: wrong path, naming the announced path', () => {
		const verdict = classifyAnswer({status: 404}, new URL('http://127.0.0.1:3000/api'), {announcedPaths: ['/mcp']});
		assert.equal(verdict.severity, 'warn');
		assert.equal(verdict.cause, 'wrong-path');
		assert.match(verdict.message, /answered 404 at \/api: not the MCP endpoint; the server announced \/mcp/);
		assert.equal(verdict.suggestedUrl, 'http://127.0.0.1:3000/mcp');
	});

	it('404 at /sse: explains the deprecated transport and suggests /mcp', () => {
		const verdict = classifyAnswer({status: 404}, new URL('http://127.0.0.1:3000/sse'));
		assert.match(verdict.message, /\/sse is the deprecated HTTP\+SSE transport; the Streamable HTTP endpoint is usually \/mcp/);
		assert.equal(verdict.suggestedUrl, 'http://127.0.0.1:3000/mcp');
	});

	it('404 at /mcp with nothing announced: no made-up URL', () => {
		const verdict = classifyAnswer({status: 404}, url);
		assert.equal(verdict.suggestedUrl, undefined);
		assert.match(verdict.fix, /path the server serves MCP on/);
	});

	it('3xx: redirect with the resolved Location', () => {
		const verdict = classifyAnswer({status: 307, location: '/mcp/'}, url);
		assert.equal(verdict.cause, 'redirect');
		assert.equal(verdict.suggestedUrl, 'http://127.0.0.1:3000/mcp/');
		assert.match(verdict.message, /307 at \/mcp, redirecting to http:\/\/127\.0\.0\.1:3000\/mcp\//);
	});

	it('401: auth, quoting WWW-Authenticate', () => {
		const verdict = classifyAnswer({status: 401, wwwAuthenticate: 'Bearer resource_metadata="x"'}, url);
		assert.equal(verdict.cause, 'auth');
		assert.match(verdict.message, /WWW-Authenticate: Bearer/);
		assert.match(verdict.fix, /Authorization: Bearer/);
	});

	for (const status of [403, 421]) {
		it(`${status}: Host/Origin check, suggesting the other loopback name`, () => {
			const verdict = classifyAnswer({status}, new URL('http://localhost:3000/mcp'));
			assert.equal(verdict.cause, 'host-check');
			assert.match(verdict.message, /DNS-rebinding/);
			assert.equal(verdict.suggestedUrl, 'http://127.0.0.1:3000/mcp');
			assert.match(verdict.fix, /allowed hosts/);
		});
	}

	it('415 and 5xx', () => {
		assert.equal(classifyAnswer({status: 415}, url).cause, 'unexpected-status');
		const broken = classifyAnswer({status: 503}, url);
		assert.equal(broken.cause, 'server-error');
		assert.match(broken.message, /up but failing/);
	});
});

describe('detectSchemeMismatch', () => {
	it('https to a plain-http server: OpenSSL wrong version number (EPROTO)', () => {
		const error = new ProbeError('EPROTO', 'write EPROTO 802CABB8AF7F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n');
		const mismatch = detectSchemeMismatch(error, new URL('https://127.0.0.1:3000/mcp'));
		assert.equal(mismatch?.kind, 'https-to-http');
		assert.equal(mismatch?.confidence, 'certain');
		assert.equal(mismatch?.suggestedUrl, 'http://127.0.0.1:3000/mcp');
		assert.match(mismatch!.message, /plain HTTP/);
	});

	it('https: the code on the cause counts too (ERR_SSL_WRONG_VERSION_NUMBER)', () => {
		const cause = Object.assign(new Error('wrong version number'), {code: 'ERR_SSL_WRONG_VERSION_NUMBER'});
		const error = new ProbeError('EPROBE', 'tls failed', {cause});
		assert.equal(detectSchemeMismatch(error, new URL('https://localhost:8443/mcp'))?.kind, 'https-to-http');
	});

	it('http to a TLS server: socket hang up / ECONNRESET, or a parse error on a TLS alert', () => {
		const hangUp = detectSchemeMismatch(new ProbeError('ECONNRESET', 'socket hang up'), url);
		assert.equal(hangUp?.kind, 'http-to-tls');
		assert.equal(hangUp?.confidence, 'likely');
		assert.equal(hangUp?.suggestedUrl, 'https://127.0.0.1:3000/mcp');
		const parse = detectSchemeMismatch(new ProbeError('HPE_INVALID_CONSTANT', 'Parse Error: Expected HTTP/'), url);
		assert.match(parse!.message, /not HTTP/);
	});

	it('refused or timed out is no scheme problem', () => {
		assert.equal(detectSchemeMismatch(new ProbeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3000'), url), undefined);
		assert.equal(detectSchemeMismatch(new ProbeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3000'), new URL('https://127.0.0.1:3000/')), undefined);
		assert.equal(detectSchemeMismatch(new ProbeError('ETIMEDOUT', 'no answer within 2000 ms'), url), undefined);
	});

	it('otherScheme keeps the explicit port', () => {
		assert.equal(otherScheme(new URL('http://127.0.0.1:443/mcp')).href, 'https://127.0.0.1/mcp');
		assert.equal(otherScheme(new URL('https://localhost:8443/x?y')).href, 'http://localhost:8443/x?y');
	});
});
