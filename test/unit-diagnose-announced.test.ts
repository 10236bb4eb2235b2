import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {parseAnnounced} from '../src/diagnose/announced.js';
import {announcedPortMismatch} from '../src/diagnose/announced-port.js';

describe('parseAnnounced', () => {
	const cases: Array<[string, {ports: number[]; urls?: string[]; paths?: string[]; hostPorts?: string[]}]> = [
		['MCP server listening on http://localhost:8080/mcp', {ports: [8080], urls: ['http://localhost:8080/mcp'], paths: ['/mcp'], hostPorts: ['localhost:8080']}],
		['Server running at http://127.0.0.1:8080', {ports: [8080], urls: ['http://127.0.0.1:8080/'], paths: []}],
		['INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)', {ports: [8000], urls: ['http://127.0.0.1:8000/']}],
		['listening on port 8080', {ports: [8080], urls: []}],
		['Listening on PORT: 3001', {ports: [3001]}],
		['server listening on :::8080', {ports: [8080], hostPorts: ['[::]:8080']}],
		['bound to 0.0.0.0:8080', {ports: [8080], hostPorts: ['0.0.0.0:8080']}],
		['Listening on [::1]:9000', {ports: [9000], hostPorts: ['[::1]:9000']}],
		// Node's own server.address() printed into a URL, without brackets (issue 20, item 8).
		['MCP server listening on http://::1:9000/mcp', {ports: [9000], urls: ['http://[::1]:9000/mcp'], paths: ['/mcp'], hostPorts: ['[::1]:9000']}],
		['listening on :8080', {ports: [8080], hostPorts: [':8080']}],
		['ready at localhost:5173.', {ports: [5173], hostPorts: ['localhost:5173']}],
		['Streamable HTTP endpoint: /mcp', {ports: [], paths: ['/mcp']}],
		// A foreign host (a docs link) is not where the server listens (issue 13: it used to count as :443).
		['Visit https://example.com/docs, or http://[::1]:4000/sse.', {ports: [4000], paths: ['/sse']}],
	];

	for (const [line, expected] of cases) {
		it(JSON.stringify(line), () => {
			const announced = parseAnnounced([line]);
			assert.deepEqual(announced.ports, expected.ports);
			if (expected.urls) assert.deepEqual(announced.urls, expected.urls);
			if (expected.paths) assert.deepEqual(announced.paths, expected.paths);
			if (expected.hostPorts) assert.deepEqual(announced.hostPorts, expected.hostPorts);
		});
	}

	it('does not take timestamps, versions or durations for ports', () => {
		const announced = parseAnnounced(['[12:30:45] started in 1.5s', 'node v20.20.0', 'took 3000ms', 'at Server.<anonymous> (/app/index.js:12:34)']);
		assert.deepEqual(announced.ports, []);
	});

	it('dedupes across lines, in order of first appearance', () => {
		const announced = parseAnnounced(['port 8080', 'listening on http://127.0.0.1:8080/mcp', 'admin UI on port 9090']);
		assert.deepEqual(announced.ports, [8080, 9090]);
	});

	it('a metrics or monitoring server\'s port is another service, not where MCP is', () => {
		const announced = parseAnnounced(['listening on http://127.0.0.1:8080/mcp', 'metrics on port 9090', 'Monitoring HTTP server listening on port 9091']);
		assert.deepEqual(announced.ports, [8080]);
		assert.deepEqual(announced.otherServices, [9090, 9091]);
	});
});

describe('announcedPortMismatch', () => {
	it('names the announced URL and suggests the probed URL on that port with the announced path', () => {
		const mismatch = announcedPortMismatch(new URL('http://127.0.0.1:3000/mcp'), parseAnnounced(['listening on http://127.0.0.1:8080/api/mcp']));
		assert.equal(mismatch?.message, 'the server announced http://127.0.0.1:8080/api/mcp, you probe :3000');
		assert.equal(mismatch?.suggestedUrl, 'http://127.0.0.1:8080/api/mcp');
	});

	it('is silent when the probed port was announced, or nothing was', () => {
		assert.equal(announcedPortMismatch(new URL('http://127.0.0.1:3000/mcp'), parseAnnounced(['port 3000'])), undefined);
		assert.equal(announcedPortMismatch(new URL('http://127.0.0.1:3000/mcp'), parseAnnounced(['hello'])), undefined);
	});
});
