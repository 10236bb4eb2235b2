import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {formatDuration, parseDuration} from '../src/duration.js';
import {resolveOptions} from '../src/options.js';
import {toDurationMs, toEndpointUrl} from '../src/option-values.js';
import {defaults} from '../src/defaults.js';

describe('parseDuration', () => {
	it('reads ms, s, m and h', () => {
		assert.equal(parseDuration('500ms'), 500);
		assert.equal(parseDuration('30s'), 30_000);
		assert.equal(parseDuration('2m'), 120_000);
		assert.equal(parseDuration('1h'), 3_600_000);
		assert.equal(parseDuration('1.5s'), 1500);
		assert.equal(parseDuration('.5s'), 500);
	});

	it('reads a bare number as seconds', () => {
		assert.equal(parseDuration('30'), 30_000);
		assert.equal(parseDuration('0.25'), 250);
	});

	it('rejects what is not a duration', () => {
		for (const text of ['banana', '', '-1s', '1 s', '1sec', '10x', 's', '1e3', '0x10']) {
			assert.equal(parseDuration(text), undefined, text);
		}
	});

	it('formats for people', () => {
		assert.equal(formatDuration(612.4), '612 ms');
		assert.equal(formatDuration(2500), '2.5 s');
		assert.equal(formatDuration(30_000), '30 s');
		assert.equal(formatDuration(120_000), '2 min');
	});
});

describe('toDurationMs', () => {
	it('takes numbers as milliseconds and strings as durations', () => {
		assert.equal(toDurationMs(250, '--timeout'), 250);
		assert.equal(toDurationMs('2s', '--timeout'), 2000);
	});

	it('names the flag and the expected form', () => {
		assert.throws(() => toDurationMs('banana', '--timeout'), {
			name: 'TypeError',
			message: 'Expected `--timeout` to be a positive duration like 30s, 500ms or 2m (a bare number means seconds), got `banana`',
		});
		assert.throws(() => toDurationMs('0s', '--timeout'), /--timeout.*got `0s`/);
		assert.throws(() => toDurationMs(-5, '--kill-timeout', {allowZero: true}), /--kill-timeout/);
	});

	it('allows zero where asked', () => {
		assert.equal(toDurationMs('0', '--kill-timeout', {allowZero: true}), 0);
	});
});

describe('toEndpointUrl', () => {
	it('accepts http and https', () => {
		assert.equal(toEndpointUrl('http://127.0.0.1:3000/mcp').port, '3000');
		assert.equal(toEndpointUrl('https://localhost/mcp').protocol, 'https:');
	});

	it('rejects other schemes and non-URLs, naming the flag', () => {
		for (const text of ['ftp://x', 'notaurl', 'localhost:3000/mcp', '127.0.0.1:3000', 'file:///tmp/x', '']) {
			assert.throws(() => toEndpointUrl(text), {name: 'TypeError', message: new RegExp(`^Expected \`--url\` to be an http:// or https:// URL`)}, text);
		}
	});
});

describe('resolveOptions', () => {
	it('fills in the defaults', () => {
		const options = resolveOptions({server: 'node s.js', client: ['claude']});
		assert.deepEqual(options.servers, [{name: 'server', command: 'node s.js', url: defaults.url, port: undefined}]);
		assert.equal(options.probe, 'http');
		assert.equal(options.timeoutMs, defaults.timeoutMs);
		assert.equal(options.killTimeoutMs, defaults.killTimeoutMs);
		assert.deepEqual(options.client, ['claude']);
	});

	it('requires a server and a client command', () => {
		assert.throws(() => resolveOptions({server: ' ', client: ['x']}), /`--server`/);
		assert.throws(() => resolveOptions({server: 'node s.js', client: []}), /client command after `--`/);
	});

	it('follows --port in the default URL, and pairs several servers', () => {
		const options = resolveOptions({servers: [{command: 'npm:dev', port: 'auto'}, {command: 'b', url: 'http://127.0.0.1:{port}/x', port: 4000, name: 'db'}], client: ['c']});
		assert.deepEqual(options.servers, [
			{name: 'server-1', command: 'npm run dev', url: 'http://127.0.0.1:{port}/mcp', port: 'auto'},
			{name: 'db', command: 'b', url: 'http://127.0.0.1:{port}/x', port: 4000},
		]);
	});

	it('rejects bad ports, names and a {port} URL without --port', () => {
		assert.throws(() => resolveOptions({server: 's', port: 70_000, client: ['c']}), /`--port` to be a port number/);
		assert.throws(() => resolveOptions({server: 's', url: 'http://127.0.0.1:{port}/mcp', client: ['c']}), /`--port`.*holds \{port\}/);
		assert.throws(() => resolveOptions({servers: [{command: 'a', name: 'x'}, {command: 'b', name: 'x'}], client: ['c']}), /each `--name` to be different/);
		assert.throws(() => resolveOptions({servers: [{command: 'a', name: 'a b'}], client: ['c']}), /`--name`/);
		assert.throws(() => resolveOptions({server: 's', probe: 'udp' as 'tcp', client: ['c']}), /`--probe` to be one of http, tcp, mcp/);
	});

	it('takes the OS implementation this platform can run: procfs and lsof for each other, win32 only on Windows', () => {
		assert.equal(resolveOptions({server: 's', client: ['c'], evidenceSource: 'lsof'}).os.name, 'lsof');
		const elsewhere = process.platform === 'win32' ? 'procfs' : 'win32';
		assert.throws(() => resolveOptions({server: 's', client: ['c'], evidenceSource: elsewhere}), new RegExp(`\`evidenceSource\` to be one this platform can run.*got \`${elsewhere}\``));
		assert.throws(() => resolveOptions({server: 's', client: ['c'], evidenceSource: 'bsd' as 'lsof'}), /`evidenceSource` to be one of procfs, lsof, win32/);
	});

	it('keeps the client argv verbatim', () => {
		const argv = ['node', 'c.js', 'a b', '"q"', '$HOME', '*', ';'];
		assert.deepEqual(resolveOptions({server: 's', client: argv}).client, argv);
	});
});
