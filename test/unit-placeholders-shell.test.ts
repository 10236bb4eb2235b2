// Placeholders in a server command go through a real /bin/sh in every quoting context: the
// value arrives as exactly one word, unchanged, and nothing in it is ever run.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {fillShellCommand, type PlaceholderServer, type PlaceholderValues} from '../src/workflow/placeholders.js';
import {shellContexts} from '../src/workflow/shell-context.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-placeholders-'));
after(() => rmSync(dir, {recursive: true, force: true}));
const pwned = path.join(dir, 'pwned');

/** Values an attacker controls through -u or a repository's .mcp.json (--from), as new URL() keeps them. */
const hostile: PlaceholderServer = {
	name: 'api',
	port: '4100',
	url: new URL(`http://127.0.0.1:4100/mcp?t=$(touch${'${IFS}'}${pwned})&u=\`touch${'${IFS}'}${pwned}\`&q='"`).href,
	host: new URL(`http://x$(touch${'${IFS}'}${pwned})y:4100/mcp`).hostname,
};
const values: PlaceholderValues = {self: hostile, byName: new Map([['api', hostile], ['db.2', hostile]])};

/** Run the filled command under /bin/sh with its variables; return what printf printed. */
function run(template: string): string {
	const filled = fillShellCommand(template, values);
	return execFileSync('/bin/sh', ['-c', filled.command], {env: {...process.env, ...filled.env}, encoding: 'utf8'});
}

const placeholders = [
	['{url}', hostile.url],
	['{host}', hostile.host],
	['{port}', hostile.port],
	['{url:api}', hostile.url],
	['{host:api}', hostile.host],
	['{port:api}', hostile.port],
	['{url:db.2}', hostile.url],
] as const;

const contexts = [
	['bare', (p: string) => `printf '[%s]' ${p}`, (v: string) => `[${v}]`],
	['double-quoted', (p: string) => `printf '[%s]' "${p}"`, (v: string) => `[${v}]`],
	['double-quoted with text around', (p: string) => `printf '%s' "[${p}]"`, (v: string) => `[${v}]`],
	['single-quoted', (p: string) => `printf '[%s]' '${p}'`, (v: string) => `[${v}]`],
	['single-quoted with text around', (p: string) => `printf '%s' '[${p}]'`, (v: string) => `[${v}]`],
	['inside $( ) in double quotes', (p: string) => `printf '[%s]' "$(printf '%s' ${p})"`, (v: string) => `[${v}]`],
	['inside backticks', (p: string) => `printf '[%s]' "\`printf '%s' ${p}\`"`, (v: string) => `[${v}]`],
	['as --flag=value', (p: string) => `printf '[%s]' --url=${p}`, (v: string) => `[--url=${v}]`],
] as const;

describe('placeholders in a server command, through /bin/sh', () => {
	for (const [placeholder, value] of placeholders) {
		for (const [where, template, expected] of contexts) {
			it(`${placeholder} ${where}: one word, the exact value, nothing run`, () => {
				assert.equal(run(template(placeholder)), expected(value));
				assert.equal(existsSync(pwned), false, 'a command inside the value was run');
			});
		}
	}

	it('a harmless URL gets no literal quotes: echo "[{url}]" prints [http://…]', () => {
		const plain: PlaceholderServer = {name: 's', port: '3000', url: 'http://127.0.0.1:3000/mcp', host: '127.0.0.1'};
		const filled = fillShellCommand('echo "[{url}]"', {self: plain, byName: new Map([['s', plain]])});
		assert.equal(execFileSync('/bin/sh', ['-c', filled.command], {env: {...process.env, ...filled.env}, encoding: 'utf8'}), '[http://127.0.0.1:3000/mcp]\n');
	});
});

describe('shellContexts', () => {
	it('tracks quotes, escapes, $( ) and backticks', () => {
		const command = String.raw`a 'b' "c \" $(d 'e') f" \' g`;
		const at = (text: string) => command.indexOf(text);
		assert.deepEqual(shellContexts(command, [at('a'), at('b'), at('c'), at('d'), at('e'), at('f'), at('g')]), ['bare', 'single', 'double', 'bare', 'single', 'double', 'bare']);
	});
});
