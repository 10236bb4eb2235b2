import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {formatPretty} from '../src/log.js';
import {parseProcStat} from '../src/lifecycle/process-group.js';
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
		assert.deepEqual(stat, {pid: 4242, state: 'S', ppid: 1, pgrp: 4242, session: 4242, ttyNr: 34816, tpgid: 4300});
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
