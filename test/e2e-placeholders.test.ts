// End-to-end: a URL with shell syntax in it (typed with -u, or read by --from from a cloned
// repository's .mcp.json) reaches the server command as data, in every quoting context, its
// shell characters percent-encoded (as toEndpointUrl makes every URL; same meaning).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {SERVER_FIXTURE, shellJoin, show} from './helpers/cli.js';
import {Sandbox} from './helpers/sandbox.js';
import {toEndpointUrl} from '../src/option-values.js';

const T = {timeout: 30_000};

for (const [where, quote] of [['bare', (p: string) => p], ['double-quoted', (p: string) => `"${p}"`], ['single-quoted', (p: string) => `'${p}'`]] as const) {
	test(`-u with $( ) and backticks, {url} ${where} in the server command: recorded as data, nothing run`, T, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const pwned = box.path('pwned');
		const url = `http://127.0.0.1:${box.port}/mcp?t=$(touch\${IFS}${pwned});u=\`touch\${IFS}${pwned}\``;
		const seen = box.path('seen');
		const server = `printf '%s\\n' ${quote('{url}')} > ${seen}; exec ${shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port)])}`;
		const result = await box.start(['-s', server, '-u', url, '--timeout', '15s', '--', 'true']).exited;
		assert.equal(result.code, 0, show(result));
		assert.equal(readFileSync(seen, 'utf8'), `${toEndpointUrl(url).href}\n`);
		assert.equal(existsSync(pwned), false, 'the URL ran a command');
	});
}

test('--from: a repository .mcp.json whose URL holds $( ): the server command gets it as data', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const pwned = box.path('pwned');
	const config = box.path('.mcp.json');
	writeFileSync(config, JSON.stringify({mcpServers: {evil: {type: 'http', url: `http://127.0.0.1:${box.port}/mcp?x=$(touch\${IFS}${pwned})`}}}));
	const seen = box.path('seen');
	const server = `printf '%s\\n' "[{url:evil}]" '{url}' > ${seen}; exec ${shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port)])}`;
	const result = await box.start(['-s', server, '--from', `${config}:evil`, '--timeout', '15s', '--', 'true']).exited;
	assert.equal(result.code, 0, show(result));
	const href = toEndpointUrl(`http://127.0.0.1:${box.port}/mcp?x=$(touch\${IFS}${pwned})`).href;
	assert.equal(readFileSync(seen, 'utf8'), `[${href}]\n${href}\n`);
	assert.equal(existsSync(pwned), false, 'the URL from .mcp.json ran a command');
});
