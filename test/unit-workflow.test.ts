import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, statSync, writeFileSync, readFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it} from 'node:test';
import {urlFromClientConfig} from '../src/workflow/client-config.js';
import {parseHeaders, redact} from '../src/workflow/headers.js';
import {McpConfigFile, mcpConfigJson} from '../src/workflow/mcp-config.js';
import {expandServerCommand} from '../src/workflow/npm-script.js';
import {fillArgv, fillShellCommand, type PlaceholderValues} from '../src/workflow/placeholders.js';

const first = {name: 'api', port: '4100', url: 'http://127.0.0.1:4100/mcp', host: '127.0.0.1'};
const second = {name: 'db', port: '4200', url: 'http://127.0.0.1:4200/mcp?a=1', host: '127.0.0.1'};
const values: PlaceholderValues = {self: first, byName: new Map([['api', first], ['db', second]]), mcpConfig: '/tmp/x y/mcp-config.json'};

describe('placeholders', () => {
	it('fills the server command with variable references, the port as digits', () => {
		assert.deepEqual(fillShellCommand('node s.js --port {port} --url {url:db}', values), {
			command: 'node s.js --port 4100 --url "${MCP_LAUNCH_URL_DB}"',
			env: {MCP_LAUNCH_URL_DB: 'http://127.0.0.1:4200/mcp?a=1'},
		});
	});

	it('fills client arguments as text, with no shell', () => {
		assert.deepEqual(fillArgv(['--mcp-config', '{mcp-config}', 'url={url}', '{port:db}'], values), ['--mcp-config', '/tmp/x y/mcp-config.json', 'url=http://127.0.0.1:4100/mcp', '4200']);
	});

	it('leaves other braces alone (JSON for a client)', () => {
		const json = '{"mcpServers":{"x":{"url":"{url}"}}}';
		assert.deepEqual(fillArgv([json], values), ['{"mcpServers":{"x":{"url":"http://127.0.0.1:4100/mcp"}}}']);
	});

	it('rejects an unknown server name, naming the choices', () => {
		assert.throws(() => fillArgv(['{url:nope}'], values), /Unknown server name in `\{url:nope\}`: expected one of api, db/);
	});

});

describe('mcp-config', () => {
	it('writes one type:http entry per server, mode 0600, and removes it', () => {
		assert.deepEqual(JSON.parse(mcpConfigJson([{name: 'api', url: first.url}])), {mcpServers: {api: {type: 'http', url: first.url}}});
		const file = new McpConfigFile();
		file.write([{name: 'api', url: first.url}, {name: 'db', url: second.url}]);
		assert.equal(statSync(file.path).mode & 0o777, 0o600);
		assert.equal(statSync(file.directory).mode & 0o777, 0o700);
		assert.equal(Object.keys((JSON.parse(readFileSync(file.path, 'utf8')) as {mcpServers: object}).mcpServers).length, 2);
		file.remove();
		assert.equal(existsSync(file.directory), false);
	});
});

describe('--from', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-from-'));
	const write = (name: string, content: unknown) => {
		const file = path.join(dir, name);
		writeFileSync(file, JSON.stringify(content));
		return file;
	};

	it('reads Claude Code, Cursor and VS Code configs', () => {
		assert.equal(urlFromClientConfig(`${write('claude.json', {mcpServers: {x: {type: 'http', url: 'http://127.0.0.1:1/mcp'}}})}:x`), 'http://127.0.0.1:1/mcp');
		assert.equal(urlFromClientConfig(`${write('cursor.json', {mcpServers: {x: {url: 'http://127.0.0.1:2/mcp'}}})}:x`), 'http://127.0.0.1:2/mcp');
		assert.equal(urlFromClientConfig(`${write('vscode.json', {servers: {x: {type: 'http', url: 'http://127.0.0.1:3/mcp'}}})}:x`), 'http://127.0.0.1:3/mcp');
	});

	it('explains a missing file, a missing name and a non-HTTP entry', () => {
		assert.throws(() => urlFromClientConfig(path.join(dir, 'none.json:x')), /--from.*no such file/);
		const file = write('stdio.json', {mcpServers: {x: {command: 'node', args: ['s.js']}, y: {type: 'sse', url: 'http://h/sse'}}});
		assert.throws(() => urlFromClientConfig(`${file}:z`), /has no "z" \(it has: x, y\)/);
		assert.throws(() => urlFromClientConfig(`${file}:x`), /"x" .* is a stdio server \(command: node\)/);
		assert.throws(() => urlFromClientConfig(`${file}:y`), /deprecated SSE transport/);
		assert.throws(() => urlFromClientConfig('nocolon'), /<file>:<name>/);
	});

	it('cleans up', () => {
		rmSync(dir, {recursive: true, force: true});
	});
});

describe('headers', () => {
	it('parses Name: value and redacts values in messages', () => {
		assert.deepEqual(parseHeaders(['Authorization: Bearer s3cret', 'X-Api-Key:k']), {authorization: 'Bearer s3cret', 'x-api-key': 'k'});
		assert.throws(() => parseHeaders(['Bearer s3cret']), error => {
			assert.match((error as Error).message, /--header/);
			assert.doesNotMatch((error as Error).message, /s3cret/);
			return true;
		});
		assert.equal(redact('Authorization: Bearer s3cret'), 'Authorization: [redacted]');
	});
});

describe('npm: shortcut', () => {
	it('expands to npm run', () => {
		assert.equal(expandServerCommand('npm:dev'), 'npm run dev');
		assert.equal(expandServerCommand('npm:dev --port 3000'), 'npm run dev -- --port 3000');
		assert.equal(expandServerCommand('node s.js'), 'node s.js');
	});
});
