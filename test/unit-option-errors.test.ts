// The library's option errors: launch(), waitUntilReady() and doctor() reject bad options with
// an OptionError (a TypeError naming the option) before anything starts; the CLI maps only that
// class to exit 2. Plus the names that key objects (__proto__) and the one-line rendering.
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {doctor, launch, type LaunchOptions, OptionError, waitUntilReady} from '../src/index.js';
import {parseHeaders} from '../src/workflow/headers.js';
import {mcpConfigJson} from '../src/workflow/mcp-config.js';
import {oneLine, shown} from '../src/option-error.js';

let dir: string;
before(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-option-errors-'));
});
after(() => {
	rmSync(dir, {recursive: true, force: true});
});

type Row = {name: string; options: (marker: string) => Partial<LaunchOptions> & Record<string, unknown>; flag: string};

const rows: Row[] = [
	{name: 'a header value with a newline', options: () => ({headers: {'x-a': 'b\nX-B: c'}}), flag: '--header'},
	{name: 'a header value with a CR', options: () => ({headers: {'x-a': 'b\rc'}}), flag: '--header'},
	{name: 'a header name with a space', options: () => ({headers: {'bad name': 'v'}}), flag: '--header'},
	{name: 'a header value that is not a string', options: () => ({headers: {'x-a': 42 as unknown as string}}), flag: '--header'},
	{name: 'headers that are not a record', options: () => ({headers: ['a: b'] as unknown as Record<string, string>}), flag: '--header'},
	{name: 'a URL without a host', options: () => ({url: 'http:///mcp'}), flag: '--url'},
	{name: 'a URL on port 0', options: () => ({url: 'http://127.0.0.1:0/mcp'}), flag: '--url'},
	{name: 'port 0', options: () => ({port: 0}), flag: '--port'},
	{name: 'port as a string', options: () => ({port: '3000' as unknown as number}), flag: '--port'},
	{name: 'an infinite timeout', options: () => ({timeout: Number.POSITIVE_INFINITY}), flag: '--timeout'},
	{name: 'a timeout past a day', options: () => ({timeout: '25h'}), flag: '--timeout'},
	{name: 'a kill timeout that overflows a timer', options: () => ({killTimeout: 2 ** 31}), flag: '--kill-timeout'},
	{name: 'a probe that does not exist', options: () => ({probe: 'udp' as 'tcp'}), flag: '--probe'},
	{name: 'a name with a space', options: () => ({servers: [{command: 'true', name: 'a b'}], server: undefined}), flag: '--name'},
	{name: 'an unknown {url:NAME} in the client', options: marker => ({client: ['touch', marker, '{url:nope}']}), flag: '--name'},
	{name: '{mcp-config} in the server command', options: marker => ({server: `touch ${marker} {mcp-config}`}), flag: '--server'},
	{name: 'an empty server log path', options: () => ({serverLog: ''}), flag: '--server-log'},
	{name: 'a server log in a missing directory', options: () => ({serverLog: '/nonexistent/dir/server.log'}), flag: '--server-log'},
	{name: 'an empty client', options: () => ({client: []}), flag: '--'},
	{name: 'servers that are not an array', options: () => ({servers: 'x' as unknown as [], server: undefined}), flag: 'servers'},
];

describe('launch() rejects bad options with OptionError before spawning', () => {
	for (const [index, row] of rows.entries()) {
		it(row.name, async () => {
			const marker = path.join(dir, `server-ran-${index}`);
			const options = {server: `touch ${marker}`, port: 1, client: ['touch', path.join(dir, `client-ran-${index}`)], timeout: '5s', ...row.options(marker)} as LaunchOptions;
			await assert.rejects(launch(options), (error: unknown) => {
				assert.ok(error instanceof OptionError, `an OptionError, got ${String(error)}`);
				assert.ok(error instanceof TypeError, 'an OptionError is a TypeError');
				assert.equal(error.flag, row.flag);
				assert.doesNotMatch(error.message, /\n/, 'one line');
				return true;
			});
			assert.equal(existsSync(marker), false, 'the server was not spawned');
			assert.deepEqual(readdirSync(dir).filter(name => name.startsWith('client-ran')), [], 'the client was not spawned');
		});
	}

	it('a header value never appears in the message', async () => {
		await assert.rejects(launch({server: 'true', port: 1, client: ['true'], headers: {authorization: 'Bearer s3cret\n'}}), (error: Error) => {
			assert.doesNotMatch(error.message, /s3cret/);
			assert.match(error.message, /`authorization`/, 'names the header');
			return true;
		});
	});
});

describe('waitUntilReady() and doctor() check headers up front', () => {
	it('waitUntilReady rejects a header with a newline at once, without probing', async () => {
		let probes = 0;
		await assert.rejects(waitUntilReady('http://127.0.0.1:1/mcp', {timeout: '5s', headers: {'x-a': 'b\nc'}, probe: async () => {
			probes++;
			throw new Error('unreachable');
		}}), OptionError);
		assert.equal(probes, 0);
	});

	it('doctor rejects a header with a CR, and a probe timeout past a day', async () => {
		await assert.rejects(doctor('http://127.0.0.1:1/mcp', {headers: {'x-a': 'b\rc'}}), {name: 'TypeError', flag: '--header'});
		await assert.rejects(doctor('http://127.0.0.1:1/mcp', {timeoutMs: 2 ** 31}), {flag: '--probe-timeout'});
	});
});

describe('names that key objects', () => {
	it('a server named __proto__ is an entry of the generated config', () => {
		const config = JSON.parse(mcpConfigJson([{name: '__proto__', url: 'http://127.0.0.1:1/mcp'}])) as {mcpServers: Record<string, unknown>};
		assert.deepEqual(Object.keys(config.mcpServers), ['__proto__']);
		assert.deepEqual(Object.getOwnPropertyDescriptor(config.mcpServers, '__proto__')?.value, {type: 'http', url: 'http://127.0.0.1:1/mcp'});
	});

	it('a header named __proto__ stays a header', () => {
		const headers = parseHeaders(['__proto__: x']);
		assert.deepEqual(Object.keys(headers), ['__proto__']);
	});
});

describe('messages stay one short line', () => {
	it('escapes control characters and clips long values', () => {
		assert.equal(oneLine('a\nb\rc\u0007'), String.raw`a\nb\rc\u0007`);
		assert.match(shown('x'.repeat(100_000)), /^x{80}… \(100000 characters\)$/);
	});
});
