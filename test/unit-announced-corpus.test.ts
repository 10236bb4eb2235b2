// The "where does the server say it listens" rule on real servers' start-up output
// (test/corpus/*.txt, taken from the packages' own log statements). Every line of every file
// is checked: the lines listed here must read as exactly this announcement, and every other
// line must be ignored (banners, docs and sponsor links, access logs, metrics, errors).
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {type Announcement, parseAnnounced, readAnnouncement} from '../src/diagnose/announced.js';
import {announcedPortMismatch, earlyPortWarning, wrongPortFix} from '../src/diagnose/announced-port.js';

const CORPUS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'corpus');
// The corpus must not depend on this machine's names.
const options = {localHosts: new Set<string>(['devbox'])};

/** Line number (1-based) → the announcement that line makes. Lines not listed make none. */
const expected: Record<string, Record<number, Announcement>> = {
	'python-sdk-uvicorn.txt': {
		5: {host: '127.0.0.1', port: 35577, listen: true},
		// 6: `INFO:     127.0.0.1:43518 - "POST /mcp HTTP/1.1" 400 Bad Request` is the caller, not the server.
	},
	'python-fastmcp.txt': {
		// 10: https://gofastmcp.com, 13: https://horizon.prefect.io: foreign hosts.
		20: {host: '127.0.0.1', port: 41993, path: '/mcp', listen: false},
		24: {host: '127.0.0.1', port: 41993, listen: true},
	},
	'python-fastmcp-2.10.txt': {
		14: {host: '127.0.0.1', port: 8000, path: '/mcp/', listen: false},
		25: {host: '127.0.0.1', port: 8000, path: '/mcp/', listen: true},
		29: {host: '127.0.0.1', port: 8000, listen: true},
	},
	'supergateway.txt': {
		// 2: the https://supercov.com sponsor banner.
		6: {port: 42747, listen: false},
		8: {path: '/mcp', listen: false},
		12: {port: 42747, listen: true},
		13: {host: 'localhost', port: 42747, path: '/mcp', listen: true},
	},
	'supergateway-supermachine.txt': {
		5: {port: 8000, listen: false},
		7: {path: '/sse', listen: false},
		11: {port: 8000, listen: true},
		12: {host: 'localhost', port: 8000, path: '/sse', listen: true},
		// 13: /message is the SSE transport's POST endpoint, not where a client connects.
	},
	'playwright-mcp.txt': {
		1: {host: 'localhost', port: 8931, listen: true},
		6: {host: 'localhost', port: 8931, path: '/mcp', listen: false},
		10: {path: '/sse', listen: true},
	},
	'context7.txt': {
		// 1: http://127.0.0.1:9464/metrics is a second local service, not the MCP endpoint.
		2: {host: 'localhost', port: 18101, path: '/mcp', listen: true},
	},
	'context7-port-taken.txt': {
		// 2: "Port 18101 is in use" names the port it could NOT use.
		3: {host: 'localhost', port: 18102, path: '/mcp', listen: true},
	},
	'server-everything.txt': {
		2: {port: 3001, listen: true},
	},
	'server-everything-port-taken.txt': {},
	'sdk-express-example.txt': {
		1: {port: 3000, listen: true},
	},
	'sdk-express-sse-example.txt': {
		1: {port: 3000, listen: true},
	},
	'hono.txt': {
		1: {host: 'localhost', port: 3000, listen: true},
		// 2-3: hono/logger access lines.
	},
	'npm-fastmcp.txt': {
		1: {host: 'localhost', port: 8080, path: '/mcp', listen: true},
	},
	'npm-fastmcp-old.txt': {
		1: {host: 'localhost', port: 8080, path: '/stream', listen: true},
	},
	// Captured from the real packages, run here (issue 20).
	'mcp-server-chart.txt': {
		// The second instance printed this line too, on a port it could not bind (it then exited 0).
		1: {host: 'localhost', port: 24111, path: '/mcp', listen: true},
	},
	'dbhub-no-dsn.txt': {
		// 12-17, 22: DSN examples (`postgres://user:pass@localhost:5432/…`) name databases, not the server.
	},
	'executeautomation-playwright-sse.txt': {
		2: {port: 24666, listen: false},
		9: {host: '127.0.0.1', port: 24666, listen: true},
		16: {host: 'localhost', port: 24666, path: '/sse', listen: false},
		18: {host: 'localhost', port: 24666, path: '/mcp', listen: false},
		19: {host: 'localhost', port: 24666, path: '/mcp', listen: false},
		26: {host: 'localhost', port: 24666, path: '/mcp', listen: false},
		// 33: "Monitoring HTTP server listening on port 42917" and 34-35: its /health and /metrics are another service.
	},
	'git-mcp-server-stdio.txt': {
		// 77, 80: "Attempting to connect stdio transport...", "MCP Server connected and listening via stdio transport." names no address.
	},
	'git-mcp-server-http.txt': {
		15: {port: 24444, listen: false},
		19: {host: '127.0.0.1', port: 24444, path: '/mcp', listen: true},
	},
	'kubernetes-mcp-server-metrics.txt': {
		// 5: "Metrics server starting" server.addr="0.0.0.0:24557": the metrics port, another service.
		6: {host: '0.0.0.0', port: 24556, listen: true},
	},
	'kubernetes-mcp-server-no-kubeconfig.txt': {
		// 1: the fatal error. 16-20: usage examples that mention a port (not a listen line).
		16: {port: 8080, listen: false},
		17: {port: 8080, listen: false},
		19: {port: 8080, listen: false},
		20: {port: 8080, listen: false},
	},
};

const files = readdirSync(CORPUS).filter(file => file.endsWith('.txt')).sort();
const linesOf = (file: string) => readFileSync(path.join(CORPUS, file), 'utf8').replace(/\n$/, '').split('\n');

describe('readAnnouncement on real servers\' output (test/corpus)', () => {
	it('every corpus file has its expectations, and every expectation its file', () => {
		assert.deepEqual(files, Object.keys(expected).sort());
	});

	for (const file of files) {
		it(file, () => {
			const lines = linesOf(file);
			for (const [index, line] of lines.entries()) {
				const want = expected[file]?.[index + 1];
				assert.deepEqual(readAnnouncement(line, options), want, `${file}:${index + 1}: ${JSON.stringify(line)}`);
			}

			for (const number of Object.keys(expected[file] ?? {})) {
				assert.ok(Number(number) <= lines.length, `${file} has no line ${number}`);
			}
		});
	}
});

describe('the weighed rule on whole start-ups', () => {
	it('uvicorn: the server\'s port, never the probe\'s source port from the access log', () => {
		const announced = parseAnnounced(linesOf('python-sdk-uvicorn.txt'), options);
		assert.deepEqual(announced.ports, [35577]);
		assert.equal(announcedPortMismatch(new URL('http://127.0.0.1:35577/mcp'), announced), undefined);
	});

	it('supergateway: the sponsor link is not an address (it used to suggest http://127.0.0.1:443/mcp)', () => {
		const announced = parseAnnounced(linesOf('supergateway.txt'), options);
		assert.deepEqual(announced.ports, [42747]);
		assert.deepEqual(announced.urls, ['http://localhost:42747/mcp']);
		assert.equal(announcedPortMismatch(new URL('http://127.0.0.1:42747/mcp'), announced), undefined);
	});

	it('Python fastmcp: the docs link is not an address; the MCP URL comes first', () => {
		const announced = parseAnnounced(linesOf('python-fastmcp.txt'), options);
		assert.deepEqual(announced.ports, [41993]);
		assert.equal(announced.urls[0], 'http://127.0.0.1:41993/mcp');
		assert.deepEqual(announced.paths, ['/mcp']);
	});

	it('context7: the metrics port is another service, the MCP URL wins on a wrong port', () => {
		const announced = parseAnnounced(linesOf('context7.txt'), options);
		assert.deepEqual(announced.ports, [18101]);
		assert.deepEqual(announced.paths, ['/mcp']);
		assert.deepEqual(announced.otherServices, [9464]);
		assert.equal(announcedPortMismatch(new URL('http://127.0.0.1:18101/mcp'), announced), undefined);
		const mismatch = announcedPortMismatch(new URL('http://127.0.0.1:41061/mcp'), announced);
		assert.equal(mismatch?.suggestedUrl, 'http://127.0.0.1:18101/mcp');
		assert.equal(mismatch?.message, 'the server announced http://localhost:18101/mcp, you probe :41061');
	});

	it('with listener evidence, a port nobody listens on is not suggested', () => {
		const announced = parseAnnounced(linesOf('server-everything.txt'), options);
		const url = new URL('http://127.0.0.1:41061/mcp');
		assert.equal(announcedPortMismatch(url, announced, {listeners: []}), undefined);
		assert.equal(announcedPortMismatch(url, announced, {listeners: [{address: '::', port: 41061, family: 6}]}), undefined);
		assert.equal(announcedPortMismatch(url, announced, {listeners: [{address: '::', port: 3001, family: 6}]})?.suggestedUrl, 'http://127.0.0.1:3001/mcp');
	});

	it('Playwright: the listen line and the config hint agree; the mention of /sse is only a path', () => {
		const announced = parseAnnounced(linesOf('playwright-mcp.txt'), options);
		assert.deepEqual(announced.ports, [8931]);
		assert.deepEqual(announced.paths, ['/mcp', '/sse']);
	});

	it('kubernetes-mcp-server with --metrics-port: the metrics port is another service, the MCP port is announced', () => {
		const announced = parseAnnounced(linesOf('kubernetes-mcp-server-metrics.txt'), options);
		assert.deepEqual(announced.ports, [24556]);
		assert.deepEqual(announced.otherServices, [24557]);
	});

	it('the old SSE server (executeautomation): its monitoring port is another service; /sse and /mcp are named', () => {
		const announced = parseAnnounced(linesOf('executeautomation-playwright-sse.txt'), options);
		assert.deepEqual(announced.ports, [24666]);
		assert.deepEqual(announced.otherServices, [42917]);
		assert.deepEqual(announced.paths, ['/sse', '/mcp']);
	});

	it('dbhub\'s DSN examples name no address of the server', () => {
		assert.deepEqual(parseAnnounced(linesOf('dbhub-no-dsn.txt'), options).ports, []);
	});

	it('a server that ignores the port it was given: the fix is to pass {port}, not to start it on a port that changes every run', () => {
		const fix = wrongPortFix('http://127.0.0.1:3001/mcp', 41061, true);
		assert.match(fix, /pass \{port\} \(or \$PORT\) in the server command/);
		assert.doesNotMatch(fix, /start the server on port 41061/);
		assert.match(wrongPortFix('http://127.0.0.1:3001/mcp', 3000, false), /use http:\/\/127\.0\.0\.1:3001\/mcp \(or start the server on port 3000\)/);
	});
});

describe('earlyPortWarning: what the gate may say while it waits', () => {
	const probed = new URL('http://127.0.0.1:41061/mcp');
	const own = (port: number) => [{address: '::', port, family: 6 as const, pid: 4001}];

	it('says nothing for lines that turn out irrelevant (each of these warned before)', () => {
		for (const line of [
			'OpenTelemetry metrics available at http://127.0.0.1:9464/metrics',
			'INFO:     127.0.0.1:43518 - "POST /mcp HTTP/1.1" 400 Bad Request',
			'[supergateway] Supergateway is supported by Supercov - Coverage for coding agents and software factories 🌙 - https://supercov.com',
			'                    │                            https://gofastmcp.com                             │',
			'[supergateway]   - port: 42747',
			'Failed to start: Port 3001 is already in use. Set PORT to a free port or stop the conflicting process.',
		]) {
			assert.equal(earlyPortWarning(probed, line, {}), undefined, line);
			assert.equal(earlyPortWarning(probed, line, {listeners: own(9464)}), undefined, line);
		}
	});

	it('a listen line on another port the tree really listens on: warned, with the fix for who chose the port', () => {
		const line = 'MCP Streamable HTTP Server listening on port 3001';
		assert.equal(earlyPortWarning(probed, line, {listeners: own(3001)})?.text, 'the server announced port 3001, you probe :41061 (use --url http://127.0.0.1:3001/mcp)');
		assert.match(earlyPortWarning(probed, line, {listeners: own(3001), portGiven: true})!.text, /^the server announced port 3001, you probe :41061: the server ignores the port it was given \(PORT=41061\): pass \{port\} \(or \$PORT\) in the server command/);
	});

	it('silent when the tree listens on the probed port too, or nobody listens on the announced one', () => {
		const line = 'MCP Streamable HTTP Server listening on port 3001';
		assert.equal(earlyPortWarning(probed, line, {listeners: [...own(3001), ...own(41061)]}), undefined);
		assert.equal(earlyPortWarning(probed, line, {listeners: []}), undefined);
	});
});
