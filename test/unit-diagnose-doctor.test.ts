import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {doctor, type DoctorOptions, formatDoctor} from '../src/doctor.js';
import type {Listener} from '../src/os/types.js';
import {ProbeError, type ProbeAnswer, type ProbeOptions} from '../src/readiness/probe.js';

type World = {
	addresses?: Array<{address: string; family: 4 | 6}>;
	/** address → answer (status) or error code, per scheme. */
	answers: Record<string, number | string>;
	listeners?: Listener[];
	tree?: Listener[];
};

function inject(world: World): DoctorOptions {
	return {
		async resolve() {
			return world.addresses ?? [{address: '127.0.0.1', family: 4}];
		},
		async probe(url: URL, options: ProbeOptions): Promise<ProbeAnswer> {
			const key = `${url.protocol}//${options.address}${url.pathname}`;
			const answer = world.answers[key] ?? world.answers[`${url.protocol}//${options.address}`] ?? 'ECONNREFUSED';
			if (typeof answer === 'number') {
				return {status: answer, durationMs: 1};
			}

			const messages: Record<string, string> = {EPROTO: 'write EPROTO ssl3_get_record:wrong version number', ECONNRESET: 'socket hang up'};
			throw new ProbeError(answer, messages[answer] ?? `connect ${answer} ${options.address}`);
		},
		findListeners: () => world.listeners ?? [],
		...(world.tree ? {pgid: 77, findGroupListeners: () => world.tree!} : {}),
	};
}

const node3000: Listener = {address: '127.0.0.1', port: 3000, family: 4, pid: 4242, command: 'node server.js'};

describe('doctor (injected evidence)', () => {
	it('healthy: every check passes, exit 0', async () => {
		const report = await doctor('http://127.0.0.1:3000/mcp', inject({answers: {'http://127.0.0.1': 400}, listeners: [node3000]}));
		assert.equal(report.exitCode, 0);
		assert.equal(report.verdict.cause, 'ok');
		assert.deepEqual(report.checks.map(check => check.step), ['address', 'resolve', 'addresses', 'listener', 'endpoint', 'path', 'scheme']);
		assert.ok(report.checks.every(check => check.ok), formatDoctor(report));
		const text = formatDoctor(report);
		assert.match(text, /✓ listener\s+127\.0\.0\.1:3000 ← pid 4242 \(node server\.js\)/);
		assert.match(text, /verdict: healthy/);
	});

	it('localhost → ::1 first, server on 127.0.0.1 only: address family, exit 1', async () => {
		const report = await doctor('http://localhost:3000/mcp', inject({
			addresses: [{address: '::1', family: 6}, {address: '127.0.0.1', family: 4}],
			answers: {'http://127.0.0.1': 400},
			listeners: [node3000],
		}));
		assert.equal(report.exitCode, 1);
		assert.equal(report.verdict.cause, 'address-family');
		assert.equal(report.verdict.suggestedUrl, 'http://127.0.0.1:3000/mcp');
		const text = formatDoctor(report);
		assert.match(text, /✗ addresses\s+\[::1\]:3000 failed.*127\.0\.0\.1:3000 answered HTTP 400/);
		assert.match(text, /fix: use http:\/\/127\.0\.0\.1:3000\/mcp in the client/);
	});

	it('nothing listens: not-listening, later steps skipped', async () => {
		const report = await doctor('http://127.0.0.1:3000/mcp', inject({answers: {}}));
		assert.equal(report.verdict.cause, 'not-listening');
		assert.match(formatDoctor(report), /✗ listener\s+nothing listens on port 3000/);
		assert.match(formatDoctor(report), /- path\s+skipped/);
	});

	it('a server (pgid) listening on another port: wrong port', async () => {
		const report = await doctor('http://127.0.0.1:3000/mcp', inject({answers: {}, tree: [{address: '127.0.0.1', port: 8080, family: 4, pid: 78}]}));
		assert.equal(report.verdict.cause, 'wrong-port');
		assert.equal(report.verdict.suggestedUrl, 'http://127.0.0.1:8080/mcp');
	});

	it('404 at the probed path, with the announced path from the server output', async () => {
		const report = await doctor('http://127.0.0.1:3000/sse', {...inject({answers: {'http://127.0.0.1/sse': 404}, listeners: [node3000]}), serverOutput: ['listening on http://127.0.0.1:3000/mcp']});
		assert.equal(report.verdict.cause, 'wrong-path');
		assert.equal(report.verdict.suggestedUrl, 'http://127.0.0.1:3000/mcp');
		assert.match(formatDoctor(report), /✗ path\s+answered 404 at \/sse: not the MCP endpoint; the server announced \/mcp/);
	});

	it('https against plain http: scheme, certain even before confirming', async () => {
		const report = await doctor('https://127.0.0.1:3000/mcp', inject({answers: {'https://127.0.0.1': 'EPROTO', 'http://127.0.0.1': 400}, listeners: [node3000]}));
		assert.equal(report.verdict.cause, 'scheme');
		assert.equal(report.verdict.suggestedUrl, 'http://127.0.0.1:3000/mcp');
		assert.match(formatDoctor(report), /✗ scheme\s+.*plain HTTP/);
	});

	it('http against TLS: hang-up confirmed by an https answer', async () => {
		const report = await doctor('http://127.0.0.1:3000/mcp', inject({answers: {'http://127.0.0.1': 'ECONNRESET', 'https://127.0.0.1': 400}, listeners: [node3000]}));
		assert.equal(report.verdict.cause, 'scheme');
		assert.equal(report.verdict.suggestedUrl, 'https://127.0.0.1:3000/mcp');
	});

	it('a hang-up that https does not fix is no scheme problem', async () => {
		const report = await doctor('http://127.0.0.1:3000/mcp', inject({answers: {'http://127.0.0.1': 'ECONNRESET'}, listeners: [node3000]}));
		assert.equal(report.verdict.cause, 'no-answer');
	});

	it('the JSON form is the report itself', async () => {
		const report = await doctor('http://127.0.0.1:3000/mcp', inject({answers: {'http://127.0.0.1': 401}, listeners: [node3000]}));
		const json = JSON.parse(JSON.stringify(report)) as typeof report;
		assert.equal(json.verdict.cause, 'auth');
		assert.equal(json.exitCode, 1);
	});

	it('a bad URL is a TypeError (usage)', async () => {
		await assert.rejects(doctor('ftp://x/'), TypeError);
	});
});
