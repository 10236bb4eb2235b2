import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {redactCutText, redactingLogger, redactText, redactUrl, urlSecrets} from '../src/redact.js';
import {printable, shown} from '../src/option-error.js';
import type {Logger} from '../src/log-types.js';
import {maxLineLength, OutputTail} from '../src/server/output-tail.js';
import {otherSchemeProbe} from '../src/diagnose/scheme.js';

describe('redactUrl / redactText', () => {
	it('hides the password and every query value, keeps the user name and the parameter names', () => {
		assert.equal(redactUrl('http://admin:hunter2@127.0.0.1:3000/mcp?token=abc'), 'http://admin:***@127.0.0.1:3000/mcp?token=***');
		assert.equal(redactUrl(new URL('https://u:p@example.com/x?a=1&b=&c#frag')), 'https://u:***@example.com/x?a=***&b=***&***#frag');
	});

	it('hides a lone user name (a token passed as https://TOKEN@host)', () => {
		assert.equal(redactUrl('https://ghp_abc123@example.com/mcp'), 'https://***@example.com/mcp');
	});

	it('leaves a URL without secrets alone', () => {
		for (const url of ['http://127.0.0.1:3000/mcp', 'http://[::1]:3000/mcp', 'https://example.com/', 'http://localhost:{port}/mcp']) {
			assert.equal(redactUrl(url), url);
		}
	});

	it('finds URLs in free text and keeps the punctuation around them', () => {
		assert.equal(
			redactText('ready http://a:b@h:1/mcp?t=x (406 after 3 ms); use http://h:2/mcp?t=y.'),
			'ready http://a:***@h:1/mcp?t=*** (406 after 3 ms); use http://h:2/mcp?t=***.',
		);
		assert.equal(redactText('waiting for http://h/m?k=v, http://g/m?k=w'), 'waiting for http://h/m?k=***, http://g/m?k=***');
	});

	it('works on JSON log lines (stops at quotes and escapes)', () => {
		const line = JSON.stringify({url: 'http://a:pw@h:1/mcp?token=s3', msg: 'x http://h:1/mcp?token=s3\nnext line'});
		const redacted = redactText(line);
		assert.ok(!redacted.includes('pw') && !redacted.includes('s3'), redacted);
		assert.deepEqual(JSON.parse(redacted), {url: 'http://a:***@h:1/mcp?token=***', msg: 'x http://h:1/mcp?token=***\nnext line'});
	});

	it('hides each named secret, also as it appears inside a JSON string', () => {
		assert.equal(redactText('Bearer abc-123 and abc-123', ['abc-123']), 'Bearer *** and ***');
		const secret = 'quote"and\\slash';
		assert.ok(!redactText(JSON.stringify({value: secret}), [secret]).includes('slash'));
	});

	it('ignores secrets too short to mean anything', () => {
		assert.equal(redactText('a b c', ['a', '']), 'a b c');
	});

	it('is idempotent', () => {
		const once = redactText('http://a:b@h/m?x=1 and Bearer zzz-top', ['zzz-top']);
		assert.equal(redactText(once, ['zzz-top']), once);
	});
});

describe('redactingLogger', () => {
	it('redacts messages and fields (nested too) before any logger sees them; skips disabled levels', () => {
		const seen: unknown[][] = [];
		const record = (...args: unknown[]) => {
			seen.push(args);
		};
		const inner = {debug: record, info: record, warn: record, error: record, isLevelEnabled: (level: string) => level !== 'debug'} as unknown as Logger;
		const logger = redactingLogger(inner, ['Bearer s3cr3t']);
		logger.info({url: 'http://a:pw@h/m?t=1', stderr: ['auth Bearer s3cr3t'], nested: {at: new URL('http://h/m?k=v')}, n: 3}, 'ready http://h/m?t=1');
		logger.warn('plain http://u:pw@h/');
		logger.debug('never http://u:pw@h/');
		assert.deepEqual(seen, [
			[{url: 'http://a:***@h/m?t=***', stderr: ['auth ***'], nested: {at: 'http://h/m?k=***'}, n: 3}, 'ready http://h/m?t=***'],
			['plain http://u:***@h/'],
		]);
	});
});

describe('otherSchemeProbe', () => {
	it('https → http: no headers and no userinfo (no credentials in clear text)', () => {
		const probe = otherSchemeProbe(new URL('https://admin:pw@127.0.0.1:8443/mcp?t=1'), {authorization: 'Bearer x'});
		assert.equal(probe.url.href, 'http://127.0.0.1:8443/mcp?t=1');
		assert.equal(probe.headers, undefined);
	});

	it('http → https keeps them (the client would send them there too)', () => {
		const headers = {authorization: 'Bearer x'};
		const probe = otherSchemeProbe(new URL('http://admin:pw@127.0.0.1:8443/mcp'), headers);
		assert.equal(probe.url.href, 'https://admin:pw@127.0.0.1:8443/mcp');
		assert.equal(probe.headers, headers);
	});
});

describe('OutputTail bounds', () => {
	it('keeps the start of an unterminated line, at most maxLineLength, marked as cut', () => {
		const tail = new OutputTail(5);
		for (let i = 0; i < 100; i++) {
			assert.deepEqual(tail.push('stdout', String(i % 10).repeat(64 * 1024)), []);
		}

		const [partial] = tail.lines('stdout');
		assert.equal(partial, `${'0'.repeat(maxLineLength)}…`);
		assert.deepEqual(tail.push('stdout', 'end\nnext'), [`${'0'.repeat(maxLineLength)}…`]);
		assert.deepEqual(tail.lines('stdout'), [`${'0'.repeat(maxLineLength)}…`, 'next']);
		assert.equal(tail.end('stdout'), 'next');
	});

	it('a line that grows across chunks past the cap is cut once', () => {
		const tail = new OutputTail(5);
		tail.push('stderr', 'a'.repeat(maxLineLength - 1));
		tail.push('stderr', 'bb');
		assert.equal(tail.end('stderr'), `${'a'.repeat(maxLineLength - 1)}b…`);
	});

	it('a line of exactly maxLineLength is not marked', () => {
		const tail = new OutputTail(5);
		assert.deepEqual(tail.push('stdout', `${'x'.repeat(maxLineLength)}\n`), ['x'.repeat(maxLineLength)]);
	});

	it('with nobody listening, only the kept lines are returned and stored; the result is the same tail', () => {
		const chunk = Array.from({length: 50}, (_, i) => `line ${i}`).join('\n');
		const listening = new OutputTail(3);
		const quiet = new OutputTail(3);
		for (const tail of [listening, quiet]) {
			tail.push('stdout', 'start of line 0 ');
		}

		assert.equal(listening.push('stdout', `${chunk}\nrest`).length, 50);
		assert.deepEqual(quiet.push('stdout', `${chunk}\nrest`, false), ['line 47', 'line 48', 'line 49']);
		assert.deepEqual(quiet.lines('stdout'), listening.lines('stdout'));
		assert.deepEqual(quiet.lines('stdout'), ['line 48', 'line 49', 'rest']);
		// Fewer lines than the limit: the partial line is completed as usual.
		const few = new OutputTail(3);
		few.push('stdout', 'sta');
		assert.deepEqual(few.push('stdout', 'rt\nx\n', false), ['start', 'x']);
	});

	it('CRLF line ends, also split between chunks', () => {
		const tail = new OutputTail(5);
		assert.deepEqual(tail.push('stdout', 'a\r'), []);
		assert.deepEqual(tail.push('stdout', '\nb\r\n'), ['a', 'b']);
	});
});

describe('issue 17: secrets in every spelling, redacted before anything is cut', () => {
	it('a password with a single quote, in free text', () => {
		assert.equal(redactText('ready http://u:pa\'ss@127.0.0.1:1/mcp (400)'), 'ready http://u:***@127.0.0.1:1/mcp (400)');
		assert.equal(redactText('\'http://h:1/mcp?t=x\'.'), '\'http://h:1/mcp?t=***\'.');
	});

	it('a URL as typed (shown in a usage error): quotes and spaces in the password, a password past the clip', () => {
		for (const password of ['p"a s', 'p\'a"b c', 'x'.repeat(90)]) {
			const message = shown(`http://u:${password}@127.0.0.1:0/mcp?token=qv-123`);
			assert.ok(!message.includes(password.slice(0, 5)) && !message.includes('qv-123'), message);
			assert.match(message, /^http:\/\/u:\*\*\*@127\.0\.0\.1:0\/mcp\?token=\*\*\*$/);
		}
	});

	it('a request target in a server\'s access log', () => {
		assert.equal(redactText('INFO: 127.0.0.1:5 - "POST /mcp?token=abc&x=1 HTTP/1.1" 400'), 'INFO: 127.0.0.1:5 - "POST /mcp?token=***&x=*** HTTP/1.1" 400');
		assert.equal(redactText('GET /p?k=v 200'), 'GET /p?k=*** 200');
	});

	it('urlSecrets: the password and each query value, as in the URL and decoded', () => {
		const url = new URL('http://u:p%27w-123@h/mcp?token=a%20b-9&n=12');
		assert.deepEqual(new Set(urlSecrets(url)), new Set(['p%27w-123', 'p\'w-123', 'a%20b-9', 'a b-9']));
		assert.deepEqual(urlSecrets(new URL('https://ghp_token@h/')), ['ghp_token']);
	});

	it('a line cut inside a secret or inside a URL\'s authority keeps no start of it', () => {
		const secret = 'Bearer hdr-SECRET-7f3a9c';
		for (let keep = 1; keep < secret.length; keep++) {
			const cut = redactCutText(`auth: ${secret.slice(0, keep)}`, [secret]);
			assert.equal(cut, 'auth: ***', `${keep} characters kept`);
		}

		assert.equal(redactCutText('see http://u:pppppppppp', []), 'see http://***');
	});

	it('OutputTail: a header value across the 1000-character cut, a query value in a kept line', () => {
		const secret = 'hdr-SECRET-7f3a9c-0123456789';
		const tail = new OutputTail(5, (text, cut) => (cut ? redactCutText(text, [secret]) : redactText(text, [secret])));
		tail.push('stderr', `${'a'.repeat(maxLineLength - 10)} ${secret} and more\n"POST /mcp?t=qv-1 HTTP/1.1"\n`);
		const [long, access] = tail.lines('stderr');
		assert.ok(!long!.includes(secret.slice(0, 3)), long!.slice(-40));
		assert.match(long!, /\*\*\*…$/);
		assert.equal(access, '"POST /mcp?t=*** HTTP/1.1"');
		tail.push('stderr', `partial ${secret.slice(0, 8)}`);
		assert.equal(tail.lines('stderr').at(-1), 'partial ***', 'the line still being printed, too');
	});

	it('printable: an OSC that sets the window title, a CSI, a CR show as text; newlines and tabs stay', () => {
		assert.equal(printable('a\u001B]0;title\u0007b\u009B2J\rc\n\td'), 'a\\u001b]0;title\\u0007b\\u009b2J\\rc\n\td');
	});
});
