import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {formatPretty} from '../src/log.js';
import {parseProcStat} from '../src/os/procfs/proc-stat.js';
import {formatTail, OutputTail} from '../src/server/output-tail.js';

describe('OutputTail', () => {
	it('splits chunks into lines and keeps the last ones per stream', () => {
		const tail = new OutputTail(3);
		assert.deepEqual(tail.push('stdout', 'a\nb'), ['a']);
		assert.deepEqual(tail.push('stdout', 'c\r\nd\ne\n'), ['bc', 'd', 'e']);
		assert.deepEqual(tail.lines('stdout'), ['bc', 'd', 'e']);
		tail.push('stderr', 'boom');
		assert.deepEqual(tail.lines('stderr'), ['boom'], 'an unterminated line is shown');
		assert.equal(tail.end('stderr'), 'boom');
		assert.deepEqual(tail.lines('stderr'), ['boom']);
	});

	it('keeps the first lines that scrolled out: a fatal error above a long usage text (kubernetes-mcp-server)', () => {
		const usage = Array.from({length: 48}, (_, index) => `usage line ${index + 1}`);
		for (const all of [true, false]) {
			const tail = new OutputTail(40);
			tail.push('stderr', `Error: unable to create kubernetes target provider\n${usage.join('\n')}\n`, all);
			assert.deepEqual(tail.lines('stderr'), usage.slice(-40));
			assert.deepEqual(tail.earlier('stderr').slice(0, 1), ['Error: unable to create kubernetes target provider']);
			assert.equal(tail.kept().stderr[0], 'Error: unable to create kubernetes target provider');
			assert.deepEqual(tail.earlier('stdout'), []);
		}
	});

	it('the first lines still in the tail are not repeated as earlier ones; a flood ends with none in the tail', () => {
		const tail = new OutputTail(5);
		tail.push('stdout', 'a\nb\nc\n', false);
		assert.deepEqual(tail.earlier('stdout'), []);
		tail.push('stdout', 'd\ne\nf\ng\n', false);
		assert.deepEqual(tail.earlier('stdout'), ['a', 'b']);
		assert.deepEqual(tail.kept().stdout, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
		tail.push('stdout', `${Array.from({length: 100}, (_, index) => `x${index}`).join('\n')}\n`, false);
		assert.deepEqual(tail.earlier('stdout').length, 10, 'the head is kept whole once the flood passed it');
		assert.deepEqual(tail.lines('stdout'), ['x95', 'x96', 'x97', 'x98', 'x99']);
	});

	it('formats stderr first', () => {
		const tail = new OutputTail(10);
		tail.push('stdout', 'listening\n');
		tail.push('stderr', 'Error: boom\n');
		assert.equal(formatTail(tail, 5), 'last stderr lines:\n  Error: boom\nlast stdout lines:\n  listening');
		assert.equal(formatTail(new OutputTail(2), 5), 'it printed nothing');
	});
});

describe('parseProcStat', () => {
	it('reads the fields after a comm that holds spaces and parens', () => {
		const stat = parseProcStat('4242 (node (my) app) S 1 4242 4242 34816 4300 4194560 0');
		assert.deepEqual(stat, {pid: 4242, state: 'S', ppid: 1, pgrp: 4242, session: 4242, ttyNr: 34816, tpgid: 4300, startTime: undefined});
		const full = '7 (sh) S 1 7 7 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 123456 8000 200';
		assert.equal(parseProcStat(full)?.startTime, '123456', 'the start time: field 22');
	});
});

describe('formatPretty', () => {
	it('gives short human lines', () => {
		assert.equal(formatPretty({level: 30, msg: 'ready http://127.0.0.1:3000/mcp (406 after 612 ms)'}), 'mcp-launch: ready http://127.0.0.1:3000/mcp (406 after 612 ms)\n');
		assert.equal(formatPretty({level: 40, msg: 'careful'}), 'mcp-launch: warning: careful\n');
		assert.equal(formatPretty({level: 50, msg: 'a\nb'}), 'mcp-launch: error: a\n  b\n');
		assert.equal(formatPretty({level: 20, msg: 'listening', source: 'server', stream: 'stderr'}), '[server stderr] listening\n');
	});
});
