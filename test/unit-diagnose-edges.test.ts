// Issue 20: the causes real servers still got wrong, as pure rules over their real output
// (test/corpus/, captured from the packages run here) and injected evidence. The end-to-end
// specs with real processes are test/e2e-diagnose-edges.test.ts.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {classifyAddresses, type AddressResult} from '../src/diagnose/addresses.js';
import {parseAnnounced} from '../src/diagnose/announced.js';
import {classifyAnswer} from '../src/diagnose/answer.js';
import {explainCrash} from '../src/diagnose/crash.js';
import {formatDiagnosis} from '../src/diagnose/format.js';
import {diagnose} from '../src/diagnose/rules.js';
import {diagnoseTimeout, type TimeoutEvidence} from '../src/diagnose/timeout.js';
import {closeNames} from '../src/diagnose/nearby-files.js';
import {portFlagHint} from '../src/diagnose/port-flag.js';
import type {Listener} from '../src/os/types.js';
import {OutputTail} from '../src/server/output-tail.js';
import {contradiction} from './helpers/report-consistency.js';

const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
const corpus = (file: string) => readFileSync(path.join(CORPUS, file), 'utf8').replace(/\n$/, '').split('\n');
const exit0 = {code: 0, signal: undefined};
const exit1 = {code: 1, signal: undefined};

describe('1. a server that ran its stdio transport and ended (exit 0)', () => {
	it('git-mcp-server without MCP_TRANSPORT_TYPE=http: stdio mode named from its own (JSON) log line, the HTTP mode as the fix', () => {
		const crash = explainCrash(exit0, {stderr: corpus('git-mcp-server-stdio.txt'), stdout: []});
		assert.equal(crash.kind, 'stdio-mode');
		assert.equal(crash.line, 'MCP Server connected and listening via stdio transport.');
		assert.match(crash.message, /^the server exited with code 0: it ran in stdio mode \("MCP Server connected and listening via stdio transport\."\), not as an HTTP server; its stdin is \/dev\/null under mcp-launch, so it ended at once$/);
		assert.match(crash.fix, /^start it in its Streamable HTTP mode: .*--transport http.*MCP_TRANSPORT_TYPE=http.*; or give it to your client as a stdio server/);
		assert.doesNotMatch(crash.fix, /run the server command alone/);
	});

	it('the other wordings real servers print (SDK quickstart, n8n-mcp, mcp-server-kubernetes), and the flag its output names', () => {
		for (const line of ['Weather MCP Server running on stdio', 'stdin closed, shutting down...', 'Starting Kubernetes MCP server v2.4.0, handling commands via stdio transport']) {
			const crash = explainCrash(exit0, {stderr: [line], stdout: []});
			assert.equal(crash.kind, 'stdio-mode', line);
		}

		const hinted = explainCrash(exit0, {stderr: ['Set STREAMABLE_HTTP=true to serve HTTP', 'GitLab MCP server running on stdio'], stdout: []});
		assert.match(hinted.fix, /\(its output names STREAMABLE_HTTP=true\)/);
	});

	it('exit 0 with nothing said: it ended by itself, not "run it alone to see the error"', () => {
		const crash = explainCrash(exit0, {stderr: [], stdout: ['booting']});
		assert.equal(crash.kind, 'exit-code');
		assert.match(crash.fix, /^it ended by itself: a stdio-only MCP server does that/);
	});
});

describe('2. the old HTTP+SSE transport at /mcp (@executeautomation/playwright-mcp-server --port)', () => {
	// Its real answer to the gate's probe (captured here): 400 with a JSON-RPC error.
	const body = '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: sessionId query parameter required"},"id":null}';

	it('named from what it answered, with the /sse + /messages shape and what to do; never "normal"', () => {
		const verdict = classifyAnswer({status: 400, bodySnippet: body}, new URL('http://127.0.0.1:24666/mcp'));
		assert.equal(verdict.severity, 'warn');
		assert.equal(verdict.cause, 'legacy-sse');
		assert.equal(verdict.message, 'answered 400 at /mcp (it said: "Bad Request: sessionId query parameter required"): that is the old HTTP+SSE transport (protocol 2024-11-05: a GET opens an event stream that names where to POST, as /sse + /messages with a sessionId query parameter), not Streamable HTTP; the gate opens on it, but a Streamable HTTP client fails there');
		assert.match(verdict.fix, /^give http:\/\/127\.0\.0\.1:24666\/mcp to a client that supports the SSE transport .*supergateway --sse http:\/\/127\.0\.0\.1:24666\/mcp --outputTransport streamableHttp/);
	});

	it('the Streamable HTTP "no session" answers stay normal (TS SDK, Python SDK)', () => {
		for (const said of ['{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null}', '{"jsonrpc":"2.0","id":"server-error","error":{"code":-32600,"message":"Bad Request: Missing session ID"}}', 'Bad Request: Mcp-Session-Id header is required']) {
			assert.equal(classifyAnswer({status: 400, bodySnippet: said}, new URL('http://127.0.0.1:3000/mcp')).severity, 'ok', said);
		}
	});
});

describe('3. the crash\'s cause is found anywhere in the output', () => {
	it('kubernetes-mcp-server: line 1 of 49 (then its usage text) is the cause, though it scrolled out of the 40-line tail', () => {
		const tail = new OutputTail(40);
		tail.push('stderr', `${corpus('kubernetes-mcp-server-no-kubeconfig.txt').join('\n')}\n`);
		assert.ok(!tail.lines('stderr').some(line => line.startsWith('Error:')), 'the error line is out of the tail');
		const crash = explainCrash(exit1, tail.kept());
		assert.equal(crash.line, 'Error: unable to create kubernetes target provider: no current-context is set and no contexts are defined in kubeconfig.');
		assert.equal(crash.reason, crash.line);
	});

	it('dbhub without a DSN: `ERROR: …` is the cause, not a DSN example below it', () => {
		const crash = explainCrash(exit1, {stderr: corpus('dbhub-no-dsn.txt'), stdout: []});
		assert.equal(crash.reason, 'ERROR: Database connection configuration is required.');
	});
});

describe('5. a stale instance on a fixed port, and a forgotten {port}', () => {
	const chart = corpus('mcp-server-chart.txt').slice(0, 1); // "listening on http://localhost:24111/mcp", then exit 0
	const stale: Listener = {address: '127.0.0.1', port: 24111, family: 4, pid: 4242, command: 'node /app/node_modules/.bin/mcp-server-chart -t streamable -p 24111'};
	const findOccupants = (port: number) => (port === 24111 ? [stale] : []);

	it('-p auto without {port}: both the ignored PORT and the pid holding the port it used are named; the fix names its own flag', () => {
		const crash = explainCrash(exit0, {stderr: [], stdout: chart}, {findOccupants, givenPort: 24999, command: 'mcp-server-chart -t streamable -p 24111'});
		assert.equal(crash.kind, 'port-in-use');
		assert.match(crash.message, /^the server exited with code 0: it ignored the port it was given \(PORT=24999\) and tried port 24111 \(".*listening on http:\/\/localhost:24111\/mcp"\), but port 24111 is already in use by pid 4242 \(node \/app\/node_modules\/\.bin\/mcp-server-chart -t streamable -p 24111\) on 127\.0\.0\.1:24111$/);
		assert.match(crash.fix, /^stop pid 4242 \(kill 4242\) if it is a stale instance; and pass \{port\} \(or \$PORT\) in the server command .*, write -p \{port\} instead of -p 24111$/);
	});

	it('without -p: the stale instance is named all the same (it printed a port it could not have)', () => {
		const crash = explainCrash(exit0, {stderr: [], stdout: chart}, {findOccupants});
		assert.match(crash.message, /tried port 24111 .*but port 24111 is already in use by pid 4242/);
		assert.doesNotMatch(crash.message, /ignored/);
	});

	it('nobody on that port: not this cause', () => {
		assert.notEqual(explainCrash(exit0, {stderr: [], stdout: chart}, {findOccupants: () => [], givenPort: 24999}).kind, 'port-in-use');
	});
});

describe('9. the flag that passes the port, and a mistyped path', () => {
	it('portFlagHint: the command\'s own fixed port first, then a flag the output names, then the common one', () => {
		assert.equal(portFlagHint(8931, 'node server.js --httpPort 8931', []), 'write --httpPort {port} instead of --httpPort 8931');
		assert.equal(portFlagHint(8931, 'MCP_HTTP_PORT=8931 git-mcp-server', []), 'write MCP_HTTP_PORT={port} instead of MCP_HTTP_PORT=8931');
		assert.equal(portFlagHint(8931, 'node server.js', ['Usage: server [--httpPort <port>]']), 'e.g. --httpPort {port} (its output names it)');
		assert.equal(portFlagHint(8931, 'node server.js', ['set MCP_HTTP_PORT to change it']), 'e.g. MCP_HTTP_PORT={port} (its output names it)');
		assert.equal(portFlagHint(8931, 'node server.js', ['listening on 8931']), 'e.g. --port {port}');
		assert.equal(portFlagHint(8931, 'node s.js --url http://user:secret@localhost:8931/mcp', []), 'e.g. --port {port}', 'never quotes userinfo');
	});

	it('node mcp-servr.js: there is no such file, and the close names are listed (not "run the build step")', () => {
		const stderr = ['node:internal/modules/cjs/loader:1228', '  throw err;', '  ^', '', 'Error: Cannot find module \'/app/mcp-servr.js\'', '    at Module._resolveFilename (node:internal/modules/cjs/loader:1225:15)', '  code: \'MODULE_NOT_FOUND\','];
		const lookFor = (file: string) => ({directory: true, close: file === '/app/mcp-servr.js' ? ['/app/mcp-server.js'] : []});
		const crash = explainCrash(exit1, {stderr, stdout: []}, {lookFor});
		assert.equal(crash.kind, 'missing-file');
		assert.equal(crash.message, 'the server exited with code 1: there is no file /app/mcp-servr.js');
		assert.equal(crash.fix, 'check the path in the --server command: files with a close name: /app/mcp-server.js');
		const built = explainCrash(exit1, {stderr: ['Error: Cannot find module \'/app/dist/index.js\''], stdout: []}, {lookFor: () => ({directory: false, close: []})});
		assert.match(built.fix, /the build output is missing/);
	});

	it('/mcp/ answered 404: drop the trailing slash (it used to say only "use the path the server serves MCP on")', () => {
		const verdict = classifyAnswer({status: 404}, new URL('http://127.0.0.1:3000/mcp/'));
		assert.equal(verdict.suggestedUrl, 'http://127.0.0.1:3000/mcp');
		assert.equal(verdict.fix, 'try http://127.0.0.1:3000/mcp, without the trailing slash (servers route /mcp and /mcp/ apart), or see its README');
	});

	it('closeNames: typos and other extensions, nothing far off', () => {
		assert.deepEqual(closeNames('mcp-servr.js', ['mcp-server.js', 'package.json', 'mcp-server.ts', 'README.md']), ['mcp-server.js', 'mcp-server.ts']);
		assert.deepEqual(closeNames('server.mjs', ['server.js', 'client.js']), ['server.js']);
		assert.deepEqual(closeNames('index.js', ['package.json']), []);
	});
});

const P = 24700;
const url = new URL(`http://127.0.0.1:${P}/mcp`);
const own = (port: number, address = '127.0.0.1'): Listener => ({address, port, family: address.includes(':') ? 6 : 4, pid: 4001, command: 'node server.js'});
const refused = (address = '127.0.0.1'): AddressResult => ({address, family: 4, ok: false, code: 'ECONNREFUSED', message: `connect ECONNREFUSED ${address}:${P}`});
const silent = (address = '127.0.0.1'): AddressResult => ({address, family: 4, ok: false, code: 'ETIMEDOUT', message: 'the connection was accepted, but no HTTP answer came within 300 ms'});
const answered = (status: number, bodySnippet?: string): AddressResult => ({address: '127.0.0.1', family: 4, ok: true, status, ...(bodySnippet ? {bodySnippet} : {})});

function timeout(results: AddressResult[], overrides: Partial<TimeoutEvidence> = {}): TimeoutEvidence {
	return {
		url,
		elapsedMs: 1000,
		attempts: 90,
		lastError: {code: 'ETIMEDOUT', message: 'the connection was accepted, but no HTTP answer came within 3 ms'},
		addresses: {results, verdict: classifyAddresses(url, results)},
		server: {pid: 4000, alive: true},
		treeListeners: [own(P)],
		portListeners: [own(P)],
		announced: parseAnnounced([]),
		tail: {stderr: [], stdout: []},
		...overrides,
	};
}

describe('6. at the deadline: the report never contradicts its own evidence', () => {
	it('accepted before the deadline, answered when the report looked: it became ready just too late (was: "accepts connections … but gives no HTTP answer", "may be stuck")', () => {
		const diagnosis = diagnoseTimeout(timeout([answered(200)]));
		assert.equal(diagnosis.cause, 'race');
		assert.equal(diagnosis.summary, `127.0.0.1:${P} answered HTTP 200 when this report looked, right after the 1 s deadline: the server became ready just too late`);
		assert.equal(diagnosis.fix, 'raise --timeout (it needs a little more than 1 s to boot here)');
		assert.equal(contradiction(diagnosis), undefined, formatDiagnosis(diagnosis));
	});

	it('refused by the report\'s probe, listening when the listeners were read: it started listening at the deadline', () => {
		const diagnosis = diagnoseTimeout(timeout([refused()], {lastError: {code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${P}`}}));
		assert.equal(diagnosis.cause, 'race');
		assert.match(diagnosis.summary, new RegExp(`^the server listens on 127\\.0\\.0\\.1:${P} now, but refused the report's probe a moment before: it started listening right at the 1 s deadline$`));
		assert.equal(contradiction(diagnosis), undefined, formatDiagnosis(diagnosis));
	});

	it('the other orderings keep their causes, and none contradicts itself', () => {
		const cases: Array<[TimeoutEvidence, string]> = [
			[timeout([refused()], {treeListeners: [], portListeners: []}), 'race'],
			[timeout([silent()]), 'no-answer'],
			[timeout([answered(400)]), 'race'],
			[timeout([answered(404)]), 'wrong-path'],
		];
		for (const [evidence, cause] of cases) {
			const diagnosis = diagnoseTimeout(evidence);
			assert.equal(diagnosis.cause, cause, formatDiagnosis(diagnosis));
			assert.equal(contradiction(diagnosis), undefined, formatDiagnosis(diagnosis));
		}
	});
});

describe('2. --probe mcp against the old SSE transport, and a handshake that fails', () => {
	const legacy = '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: sessionId query parameter required"},"id":null}';
	const handshake = {code: 'EHANDSHAKE', message: `initialize answered HTTP 400: ${legacy}`};

	it('the old SSE transport is named (was: "accepts connections … no HTTP answer: the server may be stuck (blocked event loop …)")', () => {
		const diagnosis = diagnoseTimeout(timeout([answered(400, legacy)], {lastError: handshake, elapsedMs: 30_000}));
		assert.equal(diagnosis.cause, 'legacy-sse');
		assert.doesNotMatch(formatDiagnosis(diagnosis), /stuck|blocked event loop/);
	});

	it('any other failed handshake: what it answered, not "stuck"', () => {
		const diagnosis = diagnoseTimeout(timeout([answered(400)], {lastError: {code: 'EHANDSHAKE', message: 'initialize answered HTTP 400: Server already initialized'}, elapsedMs: 30_000}));
		assert.equal(diagnosis.cause, 'unexpected-status');
		assert.equal(diagnosis.summary, `127.0.0.1:${P} answers HTTP 400, but the MCP handshake (--probe mcp) failed: initialize answered HTTP 400: Server already initialized`);
	});
});

describe('4. a metrics port taken for the MCP port (kubernetes-mcp-server --port A --metrics-port B, URL on B)', () => {
	const metrics = new URL('http://127.0.0.1:3482/mcp');
	const answer = classifyAnswer({status: 404, bodySnippet: '404 page not found'}, metrics);
	const base = {url: metrics, announced: parseAnnounced(corpus('kubernetes-mcp-server-metrics.txt')), output: {stderr: [], stdout: []}, answer, treeListeners: [own(3481, '::'), own(3482, '::')]};

	it('a 404 on one of its ports while another of its ports answers MCP there: wrong port, naming the one that answers (was: wrong path)', () => {
		const found = diagnose({...base, otherPorts: [{port: 3481, status: 200, ok: true}]});
		assert.equal(found.cause, 'wrong-port');
		assert.equal(found.summary, ':3482 answered 404 at /mcp, but the server\'s other port :3481 answers MCP there (HTTP 200): :3482 serves something else (a metrics or health port?)');
		assert.equal(found.fix, 'use http://127.0.0.1:3481/mcp');
	});

	it('no other port answers MCP: still the wrong path', () => {
		assert.equal(diagnose({...base, otherPorts: [{port: 3481, status: 404, ok: false}]}).cause, 'wrong-path');
	});
});
