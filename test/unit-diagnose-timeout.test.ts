import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {classifyAddresses, type AddressResult} from '../src/diagnose/addresses.js';
import {parseAnnounced} from '../src/diagnose/announced.js';
import {formatDiagnosis} from '../src/diagnose/format.js';
import {classifyPreflight} from '../src/diagnose/preflight.js';
import {diagnoseTimeout, type TimeoutEvidence} from '../src/diagnose/timeout.js';
import type {Listener} from '../src/os/types.js';

const url = new URL('http://127.0.0.1:3000/mcp');
const refused = (address: string): AddressResult => ({address, family: address.includes(':') ? 6 : 4, ok: false, code: 'ECONNREFUSED', message: `connect ECONNREFUSED ${address}:3000`});

function evidence(overrides: Partial<TimeoutEvidence> = {}): TimeoutEvidence {
	const results = [refused('127.0.0.1')];
	return {
		url,
		elapsedMs: 30_000,
		attempts: 1200,
		lastError: {code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:3000'},
		addresses: {results, verdict: classifyAddresses(url, results)},
		server: {pid: 4000, alive: true},
		treeListeners: [],
		portListeners: [],
		announced: parseAnnounced([]),
		tail: {stderr: [], stdout: ['compiling...']},
		...overrides,
	};
}

describe('diagnoseTimeout', () => {
	it('alive, listening nowhere, announcing nothing: still booting (race)', () => {
		const diagnosis = diagnoseTimeout(evidence());
		assert.equal(diagnosis.cause, 'race');
		assert.match(diagnosis.fix, /--timeout/);
		assert.match(diagnosis.fix, /stdio-only/);
		const text = formatDiagnosis(diagnosis);
		assert.match(text, /^likely cause: still booting \(race\)/);
		assert.match(text, /waited 30 s, 1200 probes/);
		assert.match(text, /127\.0\.0\.1:3000: connect ECONNREFUSED/);
		assert.match(text, /the server is still running \(process group 4000\)/);
		assert.match(text, /its processes listen on no TCP port/);
		assert.match(text, /it announced no address or port/);
		assert.match(text, /compiling\.\.\./);
	});

	it('a silent server whose tree listens on another port: wrong port, naming it', () => {
		const treeListeners: Listener[] = [{address: '127.0.0.1', port: 8080, family: 4, pid: 4001, command: 'node server.js'}];
		const diagnosis = diagnoseTimeout(evidence({treeListeners}));
		assert.equal(diagnosis.cause, 'wrong-port');
		assert.equal(diagnosis.summary, 'the server listens on 127.0.0.1:8080, you probe :3000');
		assert.equal(diagnosis.suggestedUrl, 'http://127.0.0.1:8080/mcp');
		assert.ok(diagnosis.evidence.some(line => line.includes('127.0.0.1:8080, pid 4001 (node server.js)')));
	});

	it('an announced other port, tree unknown (no /proc): wrong port from the output', () => {
		const {treeListeners: _, ...rest} = evidence({announced: parseAnnounced(['listening on http://localhost:8080/mcp'])});
		const diagnosis = diagnoseTimeout(rest);
		assert.equal(diagnosis.cause, 'wrong-port');
		assert.match(diagnosis.summary, /announced http:\/\/localhost:8080\/mcp, you probe :3000/);
	});

	it('the tree listens on the port but on ::1 only while the URL means 127.0.0.1: address family', () => {
		const diagnosis = diagnoseTimeout(evidence({treeListeners: [{address: '::1', port: 3000, family: 6, pid: 4001}]}));
		assert.equal(diagnosis.cause, 'address-family');
		assert.equal(diagnosis.suggestedUrl, 'http://[::1]:3000/mcp');
		assert.match(diagnosis.fix, /both loopback addresses/);
	});

	it('a split verdict from the per-address probes: address family with the working URL', () => {
		const localhost = new URL('http://localhost:3000/mcp');
		const results: AddressResult[] = [refused('::1'), {address: '127.0.0.1', family: 4, ok: true, status: 400}];
		const diagnosis = diagnoseTimeout(evidence({url: localhost, addresses: {results, verdict: classifyAddresses(localhost, results)}}));
		assert.equal(diagnosis.cause, 'address-family');
		assert.equal(diagnosis.suggestedUrl, 'http://127.0.0.1:3000/mcp');
	});

	it('https against a plain-http server: scheme', () => {
		const https = new URL('https://127.0.0.1:3000/mcp');
		const results: AddressResult[] = [{address: '127.0.0.1', family: 4, ok: false, code: 'EPROTO', message: 'write EPROTO ...:SSL routines:ssl3_get_record:wrong version number'}];
		const diagnosis = diagnoseTimeout(evidence({url: https, addresses: {results, verdict: classifyAddresses(https, results)}, treeListeners: [{address: '127.0.0.1', port: 3000, family: 4}]}));
		assert.equal(diagnosis.cause, 'scheme');
		assert.equal(diagnosis.suggestedUrl, 'http://127.0.0.1:3000/mcp');
	});

	it('listening on the port but never answering: no-answer', () => {
		const results: AddressResult[] = [{address: '127.0.0.1', family: 4, ok: false, code: 'ETIMEDOUT', message: 'no answer within 1000 ms'}];
		const diagnosis = diagnoseTimeout(evidence({addresses: {results, verdict: classifyAddresses(url, results)}, treeListeners: [{address: '0.0.0.0', port: 3000, family: 4}]}));
		assert.equal(diagnosis.cause, 'no-answer');
	});

	it('the server is dead: the crash cause', () => {
		const diagnosis = diagnoseTimeout(evidence({server: {pid: 4000, alive: false, exit: {code: 1, signal: undefined}}, tail: {stderr: ['Error: Cannot find module \'/app/dist/index.js\''], stdout: []}}));
		assert.equal(diagnosis.cause, 'crash');
		assert.match(diagnosis.fix, /npm run build/);
	});
});

describe('classifyPreflight', () => {
	it('free: refused everywhere and nothing listens', () => {
		assert.equal(classifyPreflight(url, [refused('127.0.0.1')], []), undefined);
	});

	it('free enough: a listener on another address of the port only', () => {
		assert.equal(classifyPreflight(url, [refused('127.0.0.1')], [{address: '::1', port: 3000, family: 6, pid: 9}]), undefined);
	});

	it('taken and answering: names pid and command, reports the status for --reuse', () => {
		const taken = classifyPreflight(url, [{address: '127.0.0.1', family: 4, ok: true, status: 400}], [{address: '0.0.0.0', port: 3000, family: 4, pid: 4242, command: 'node old-server.js'}]);
		assert.equal(taken?.answerStatus, 400);
		assert.equal(taken?.diagnosis.cause, 'port-in-use');
		assert.match(taken!.diagnosis.summary, /^port 3000 is already in use by pid 4242 \(node old-server\.js\) on 0\.0\.0\.0:3000; it answers HTTP 400/);
		assert.match(taken!.diagnosis.fix, /kill 4242/);
		assert.match(taken!.diagnosis.fix, /--reuse/);
	});

	it('taken by something that accepts but is not HTTP, owner invisible', () => {
		const taken = classifyPreflight(url, [{address: '127.0.0.1', family: 4, ok: false, code: 'ECONNRESET', message: 'socket hang up'}], []);
		assert.equal(taken?.answerStatus, undefined);
		assert.match(taken!.diagnosis.summary, /owner could not be determined.*accepts connections \(ECONNRESET\)/);
	});
});
