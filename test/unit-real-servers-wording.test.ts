// What mcp-launch says about real servers (issue 13, sections 1-3), on their real output
// lines and answers: each spec here failed on the wording or verdict of the old code.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {classifyAddresses, type AddressResult} from '../src/diagnose/addresses.js';
import {parseAnnounced} from '../src/diagnose/announced.js';
import {classifyAnswer, otherLoopbackUrls} from '../src/diagnose/answer.js';
import {explainCrash} from '../src/diagnose/crash.js';
import {formatDiagnosis} from '../src/diagnose/format.js';
import type {Listener} from '../src/os/types.js';
import {diagnoseTimeout, type TimeoutEvidence} from '../src/diagnose/timeout.js';
import {doctor, type DoctorOptions, formatDoctor} from '../src/doctor.js';
import {ProbeError, type ProbeAnswer, type ProbeOptions} from '../src/readiness/probe.js';

const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
const corpus = (file: string) => readFileSync(path.join(CORPUS, file), 'utf8').trimEnd().split('\n');
const url = new URL('http://127.0.0.1:3000/mcp');

describe('classifyAnswer: answers that mean something else', () => {
	it('500 with a JSON-RPC error envelope speaks MCP: ok, not "up but failing"', () => {
		const body = '{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal server error"},"id":null}';
		const verdict = classifyAnswer({status: 500, bodySnippet: body}, url);
		assert.equal(verdict.severity, 'ok');
		assert.equal(verdict.cause, 'ok');
		assert.match(verdict.message, /answered HTTP 500 at \/mcp with a JSON-RPC error \(-32603: Internal server error\): the endpoint speaks MCP/);
		assert.doesNotMatch(verdict.message, /failing/);
	});

	it('500 with an HTML or plain body is still a failing server', () => {
		assert.equal(classifyAnswer({status: 500, bodySnippet: 'Internal Server Error'}, url).cause, 'server-error');
		assert.equal(classifyAnswer({status: 500}, url).cause, 'server-error');
		assert.equal(classifyAnswer({status: 502, bodySnippet: '{"error":"bad gateway"}'}, url).cause, 'server-error');
	});

	it('404 with no announced path: the fix is worded as a guess, not as the server\'s path', () => {
		const verdict = classifyAnswer({status: 404}, new URL('http://127.0.0.1:3000/api'));
		assert.equal(verdict.suggestedUrl, 'http://127.0.0.1:3000/mcp');
		assert.doesNotMatch(verdict.fix, /the path the server serves MCP on/);
		assert.match(verdict.fix, /^try http:\/\/127\.0\.0\.1:3000\/mcp \(a guess: MCP servers usually serve \/mcp/);
	});

	it('context7 on a wrong path: its own 404 body ("Use /mcp") wins over the metrics URL it printed', () => {
		const announced = parseAnnounced(corpus('context7.txt'));
		const body = '{"error":"not_found","message":"Endpoint not found. Use /mcp for MCP protocol communication."}';
		const verdict = classifyAnswer({status: 404, bodySnippet: body}, new URL('http://127.0.0.1:18101/api'), {announcedPaths: announced.paths});
		assert.equal(verdict.suggestedUrl, 'http://127.0.0.1:18101/mcp');
		assert.doesNotMatch(`${verdict.message} ${verdict.fix}`, /metrics/);
		assert.match(verdict.message, /its answer says to use \/mcp/);
	});

	it('a server on the deprecated HTTP+SSE transport (announced /sse only): named, with what to do', () => {
		const announced = parseAnnounced(corpus('supergateway-supermachine.txt'));
		const verdict = classifyAnswer({status: 404}, new URL('http://127.0.0.1:8000/mcp'), {announcedPaths: announced.paths});
		assert.equal(verdict.severity, 'warn');
		assert.match(verdict.message, /it speaks the deprecated HTTP\+SSE transport/);
		assert.match(verdict.fix, /http:\/\/127\.0\.0\.1:8000\/sse to a client that supports the SSE transport/);
		assert.match(verdict.fix, /supergateway/);
		assert.equal(verdict.suggestedUrl, 'http://127.0.0.1:8000/sse');
	});

	it('an SSE-only server probed at its /sse (POST answered 405): not "normal", the SSE transport named', () => {
		const verdict = classifyAnswer({status: 405}, new URL('http://127.0.0.1:8000/sse'), {announcedPaths: ['/sse']});
		assert.equal(verdict.severity, 'warn');
		assert.match(verdict.message, /answered 405 at \/sse; \/sse is where it announced: it speaks the deprecated HTTP\+SSE transport/);
	});

	it('Playwright announces /mcp and mentions /sse: not an SSE-only server', () => {
		const announced = parseAnnounced(corpus('playwright-mcp.txt'));
		const verdict = classifyAnswer({status: 404}, new URL('http://localhost:8931/api'), {announcedPaths: announced.paths});
		assert.doesNotMatch(verdict.message, /deprecated HTTP\+SSE/);
		assert.equal(verdict.suggestedUrl, 'http://localhost:8931/mcp');
	});

	it('401: the server\'s own hint about its token is in the report', () => {
		const output = ['Notion MCP Server listening on port 3000', 'Generated auth token stored in /home/u/.config/notion-mcp/token (use it as Authorization: Bearer <token>)', 'INFO:     127.0.0.1:5555 - "POST /mcp HTTP/1.1" 401 Unauthorized'];
		const verdict = classifyAnswer({status: 401}, url, {serverOutput: output});
		assert.match(verdict.message, /the server said:\n {4}Generated auth token stored in \/home\/u\/\.config\/notion-mcp\/token/);
		assert.doesNotMatch(verdict.message, /POST \/mcp HTTP/);
	});

	it('403 from Playwright\'s Host check: its words are quoted; the other spellings are the ones to try', () => {
		const verdict = classifyAnswer({status: 403, bodySnippet: 'Access is only allowed at localhost:8931'}, new URL('http://127.0.0.1:8931/mcp'));
		assert.equal(verdict.cause, 'host-check');
		assert.match(verdict.message, /\(it said: "Access is only allowed at localhost:8931"\)/);
		assert.deepEqual(otherLoopbackUrls(new URL('http://127.0.0.1:8931/mcp')), ['http://localhost:8931/mcp']);
		assert.deepEqual(otherLoopbackUrls(new URL('http://localhost:8931/mcp')), ['http://127.0.0.1:8931/mcp', 'http://[::1]:8931/mcp']);
	});
});

describe('explainCrash: advice by the runtime that crashed, said once', () => {
	const traceback = [
		'Traceback (most recent call last):',
		'  File "/tmp/app/server.py", line 1, in <module>',
		'    from mcp.server.mcpserver import MCPServer',
		'ModuleNotFoundError: No module named \'mcp\'',
	];

	it('a Python traceback gets pip / uv advice, not npm install', () => {
		const crash = explainCrash({code: 1, signal: undefined}, {stderr: traceback, stdout: []});
		assert.equal(crash.kind, 'missing-module');
		assert.match(crash.fix, /pip install mcp/);
		assert.match(crash.fix, /uv sync/);
		assert.doesNotMatch(crash.fix, /npm/);
	});

	it('a Node crash keeps npm install', () => {
		const crash = explainCrash({code: 1, signal: undefined}, {stderr: ['Error: Cannot find module \'express\'', 'Require stack:', '- /app/server.js'], stdout: []});
		assert.match(crash.fix, /run npm install/);
		assert.doesNotMatch(crash.fix, /pip/);
	});

	it('the reason does not repeat how the server ended', () => {
		const crash = explainCrash({code: 1, signal: undefined}, {stderr: traceback, stdout: []});
		assert.equal(crash.reason, 'cannot find module mcp');
		const bare = explainCrash({code: 1, signal: undefined}, {stderr: [], stdout: []});
		assert.equal(bare.reason, '');
		assert.equal(bare.message, 'the server exited with code 1');
	});
});

const refused = (address: string, port = 3000): AddressResult => ({address, family: address.includes(':') ? 6 : 4, ok: false, code: 'ECONNREFUSED', message: `connect ECONNREFUSED ${address}:${port}`});

function evidence(overrides: Partial<TimeoutEvidence> = {}): TimeoutEvidence {
	const results = [refused('127.0.0.1')];
	return {
		url,
		elapsedMs: 30_000,
		attempts: 1200,
		addresses: {results, verdict: classifyAddresses(url, results)},
		server: {pid: 4000, alive: true},
		treeListeners: [],
		portListeners: [],
		announced: parseAnnounced([]),
		tail: {stderr: [], stdout: []},
		...overrides,
	};
}

describe('diagnoseTimeout with real servers\' output', () => {
	it('context7 on a wrong port: suggests its MCP port and path, not the metrics port', () => {
		const lines = corpus('context7.txt');
		const tree: Listener[] = [{address: '127.0.0.1', port: 9464, family: 4, pid: 4001}, {address: '::', port: 18101, family: 6, pid: 4001}];
		const diagnosis = diagnoseTimeout(evidence({treeListeners: tree, announced: parseAnnounced(lines), tail: {stderr: lines, stdout: []}}));
		assert.equal(diagnosis.cause, 'wrong-port');
		assert.equal(diagnosis.suggestedUrl, 'http://127.0.0.1:18101/mcp');
		assert.doesNotMatch(diagnosis.fix, /9464/);
	});

	it('a server that ignores the port mcp-launch gave it: pass {port}, not "start the server on port N"', () => {
		const lines = corpus('server-everything.txt');
		const tree: Listener[] = [{address: '::', port: 3001, family: 6, pid: 4001}];
		const diagnosis = diagnoseTimeout(evidence({treeListeners: tree, announced: parseAnnounced(lines), tail: {stderr: lines, stdout: []}, portGiven: true}));
		assert.equal(diagnosis.cause, 'wrong-port');
		assert.match(diagnosis.fix, /pass \{port\} \(or \$PORT\) in the server command/);
		assert.doesNotMatch(diagnosis.fix, /start the server on port 3000/);
	});

	it('uvicorn\'s access log does not make the probe\'s source port an announcement', () => {
		const lines = corpus('python-sdk-uvicorn.txt');
		const diagnosis = diagnoseTimeout(evidence({treeListeners: undefined, announced: parseAnnounced(lines), tail: {stderr: lines, stdout: []}}));
		// The access log stays in the quoted tail; it is never taken for where the server listens.
		assert.doesNotMatch(`${diagnosis.summary}\n${diagnosis.fix}\n${diagnosis.suggestedUrl}`, /43518|43530/);
		assert.match(formatDiagnosis(diagnosis), /it announced http:\/\/127\.0\.0\.1:35577\/\n/);
		assert.equal(diagnosis.suggestedUrl, 'http://127.0.0.1:35577/mcp');
	});

	it('a literal address in the URL: no "127.0.0.1 means 127.0.0.1"', () => {
		const diagnosis = diagnoseTimeout(evidence({treeListeners: [{address: '::1', port: 3000, family: 6, pid: 4001}]}));
		assert.equal(diagnosis.cause, 'address-family');
		assert.equal(diagnosis.summary, 'the server listens on [::1]:3000, but you probe 127.0.0.1');
	});
});

type World = {answers: Record<string, ProbeAnswer | string>; listeners?: Listener[]; tree?: Listener[]};

function inject(world: World, extra: Partial<DoctorOptions> = {}): DoctorOptions {
	return {
		async resolve(host) {
			return [{address: host === 'localhost' ? '127.0.0.1' : host, family: 4}];
		},
		async probe(target: URL, options: ProbeOptions): Promise<ProbeAnswer> {
			const answer = world.answers[`${target.protocol}//${options.address}${target.pathname}`] ?? 'ECONNREFUSED';
			if (typeof answer === 'string') {
				throw new ProbeError(answer, `connect ${answer} ${options.address}`);
			}

			return answer;
		},
		findListeners: () => world.listeners ?? [],
		...(world.tree ? {pgid: 77, findGroupListeners: () => world.tree!} : {}),
		...extra,
	};
}

describe('doctor with real servers', () => {
	it('a Python server that exited at once with ModuleNotFoundError: a crash with the traceback, not "still booting"', async () => {
		const output = ['Traceback (most recent call last):', '  File "/tmp/app/server.py", line 1, in <module>', 'ModuleNotFoundError: No module named \'mcp\''];
		const report = await doctor('http://127.0.0.1:3000/mcp', inject({answers: {}, tree: []}, {serverOutput: output, serverExit: {code: 1, signal: undefined}}));
		const text = formatDoctor(report);
		assert.equal(report.verdict.cause, 'crash');
		assert.doesNotMatch(text, /still booting|the server is running/);
		assert.match(text, /verdict: crash on boot: the server exited with code 1: cannot find module mcp/);
		assert.match(text, /fix: a Python dependency is not installed: pip install mcp/);
		assert.match(text, /ModuleNotFoundError: No module named 'mcp'/);
	});

	it('FastMCP on /mcp/ redirecting to /mcp: the path step agrees with the endpoint step', async () => {
		const report = await doctor('http://127.0.0.1:8000/mcp/', inject({answers: {'http://127.0.0.1/mcp/': {status: 307, location: 'http://127.0.0.1:8000/mcp', durationMs: 1}}, listeners: [{address: '127.0.0.1', port: 8000, family: 4}]}));
		const text = formatDoctor(report);
		assert.match(text, /✗ endpoint\s+POST \/mcp\/ → HTTP 307/);
		assert.doesNotMatch(text, /✓ path/);
		assert.match(text, /✗ path\s+\/mcp\/ is not served itself: answered 307/);
		assert.equal(report.verdict.cause, 'redirect');
	});

	it('a JSON-RPC 500: healthy', async () => {
		const body = '{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal server error"},"id":null}';
		const report = await doctor('http://127.0.0.1:3000/mcp', inject({answers: {'http://127.0.0.1/mcp': {status: 500, bodySnippet: body, durationMs: 1}}, listeners: [{address: '127.0.0.1', port: 3000, family: 4}]}));
		assert.equal(report.exitCode, 0, formatDoctor(report));
		assert.match(formatDoctor(report), /✓ endpoint\s+POST \/mcp → HTTP 500 \(a JSON-RPC answer: it speaks MCP\)/);
	});

	it('a literal 127.0.0.1 while the server is on [::1] only: no tautology', async () => {
		const report = await doctor('http://127.0.0.1:3000/mcp', inject({answers: {}, listeners: [{address: '::1', port: 3000, family: 6}]}));
		assert.equal(report.verdict.cause, 'address-family');
		assert.match(report.verdict.summary, /but you probe 127\.0\.0\.1$/);
	});
});
