// The netstat parser on Windows output in several languages: the title, the headers and the
// state word are translated (and mangled by a mismatched console code page); rows are found by
// their wildcard foreign address, never by a word.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {parseNetstat} from '../src/os/win32/netstat.js';

const fixture = (name: string, encoding: BufferEncoding = 'utf8') => readFileSync(path.join(import.meta.dirname, 'fixtures', 'netstat', name), encoding);

const common = [
	{address: '0.0.0.0', family: 4, port: 135, pid: 1044},
	{address: '127.0.0.1', family: 4, port: 3000, pid: 12_345},
	{address: '::1', family: 6, port: 3000, pid: 12_345},
];

describe('parseNetstat (netstat -ano)', () => {
	it('English: every LISTENING row, IPv4 and IPv6 (zone id dropped), nothing else (connections, TIME_WAIT, UDP)', () => {
		assert.deepEqual(parseNetstat(fixture('en.txt')), [
			{address: '0.0.0.0', family: 4, port: 135, pid: 1044},
			{address: '0.0.0.0', family: 4, port: 445, pid: 4},
			{address: '127.0.0.1', family: 4, port: 3000, pid: 12_345},
			{address: '::', family: 6, port: 135, pid: 1044},
			{address: '::1', family: 6, port: 3000, pid: 12_345},
			{address: 'fe80::1c2b:3a4d:5e6f:7a8b', family: 6, port: 5357, pid: 4},
		]);
	});

	for (const [name, language] of [['de.txt', 'German (ABHÖREN, HERGESTELLT, WARTEND)'], ['es.txt', 'Spanish (ESCUCHANDO)'], ['fr.txt', 'French'], ['ru.txt', 'Russian headers'], ['ja.txt', 'Japanese headers, wider first column']] as const) {
		it(`${language}: the same listeners`, () => {
			assert.deepEqual(parseNetstat(fixture(name)), common);
		});
	}

	it('German through a mismatched code page (ABH™REN, read as latin1): the same listeners', () => {
		assert.deepEqual(parseNetstat(fixture('de-cp850.txt', 'latin1')), common);
	});

	it('Wine 8\'s netstat -ano: connections only, no LISTENING rows, no PID column: no listeners (unknown, not "free")', () => {
		assert.deepEqual(parseNetstat(fixture('wine.txt')), []);
	});

	it('Windows line endings or Unix ones, and nothing at all', () => {
		assert.deepEqual(parseNetstat(fixture('en.txt').replaceAll('\r\n', '\n')), parseNetstat(fixture('en.txt')));
		assert.deepEqual(parseNetstat(''), []);
		assert.deepEqual(parseNetstat('\r\nActive Connections\r\n\r\n  Proto  Local Address          Foreign Address        State\r\n'), []);
	});

	it('a multi-word state (Italian IN ASCOLTO) and a row with a port out of range', () => {
		assert.deepEqual(parseNetstat('  TCP    127.0.0.1:3000         0.0.0.0:0              IN ASCOLTO       31\r\n  TCP    127.0.0.1:70000        0.0.0.0:0              LISTENING       32\r\n'), [
			{address: '127.0.0.1', family: 4, port: 3000, pid: 31},
		]);
	});
});
