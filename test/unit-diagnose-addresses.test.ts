import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {type AddressResult, checkAddresses, classifyAddresses, type Resolver, workingUrl} from '../src/diagnose/addresses.js';
import {ProbeError, type ProbeOptions} from '../src/readiness/probe.js';

const url = new URL('http://localhost:3000/mcp');
const refused = (address: string, family: 4 | 6): AddressResult => ({address, family, ok: false, code: 'ECONNREFUSED', message: `connect ECONNREFUSED ${address}:3000`});
const answers = (address: string, family: 4 | 6, status = 400): AddressResult => ({address, family, ok: true, status});

describe('classifyAddresses', () => {
	it('all answer', () => {
		const verdict = classifyAddresses(url, [answers('::1', 6), answers('127.0.0.1', 4)]);
		assert.equal(verdict.kind, 'all-answer');
		assert.equal(verdict.workingAddress, '::1');
	});

	it('::1 first refuses, 127.0.0.1 answers: names both, the failing clients and the fixes', () => {
		const verdict = classifyAddresses(url, [refused('::1', 6), answers('127.0.0.1', 4)]);
		assert.equal(verdict.kind, 'split');
		assert.equal(verdict.firstFails, true);
		assert.equal(verdict.workingAddress, '127.0.0.1');
		assert.match(verdict.message, /localhost resolves to ::1, 127\.0\.0\.1 \(in this order\)/);
		assert.match(verdict.message, /\[::1\]:3000 failed \(ECONNREFUSED\)/);
		assert.match(verdict.message, /127\.0\.0\.1:3000 answered HTTP 400/);
		assert.match(verdict.message, /IPv4 only/);
		assert.match(verdict.message, /Node < 20, some Python clients\) fail with `connect ECONNREFUSED ::1:3000`/);
		assert.match(verdict.fix!, /use http:\/\/127\.0\.0\.1:3000\/mcp in the client/);
		assert.match(verdict.fix!, /both loopback addresses \(127\.0\.0\.1 and ::1\)/);
		assert.match(verdict.fix!, /0\.0\.0\.0, which exposes an unauthenticated server/);
	});

	it('the reverse: 127.0.0.1 first refuses, ::1 answers', () => {
		const verdict = classifyAddresses(url, [refused('127.0.0.1', 4), answers('::1', 6)]);
		assert.equal(verdict.firstFails, true);
		assert.match(verdict.fix!, /use http:\/\/\[::1\]:3000\/mcp/);
		assert.match(verdict.message, /ECONNREFUSED 127\.0\.0\.1:3000/);
	});

	it('the first answers and a later one refuses: split, but clients connect', () => {
		const verdict = classifyAddresses(url, [answers('127.0.0.1', 4), refused('::1', 6)]);
		assert.equal(verdict.kind, 'split');
		assert.equal(verdict.firstFails, false);
		assert.match(verdict.message, /most connect/);
	});

	it('none answer / nothing resolved', () => {
		assert.equal(classifyAddresses(url, [refused('::1', 6), refused('127.0.0.1', 4)]).kind, 'none-answer');
		assert.equal(classifyAddresses(url, []).kind, 'unresolved');
	});
});

describe('workingUrl', () => {
	it('rewrites the host, with brackets for IPv6, keeping port, path and query', () => {
		assert.equal(workingUrl(new URL('http://localhost:3000/mcp?x=1'), '127.0.0.1').href, 'http://127.0.0.1:3000/mcp?x=1');
		assert.equal(workingUrl(new URL('https://localhost:8443/mcp'), '::1').href, 'https://[::1]:8443/mcp');
	});
});

describe('checkAddresses with an injected resolver and probe', () => {
	it('probes every address in resolver order with a fixed address', async () => {
		const resolve: Resolver = async host => {
			assert.equal(host, 'localhost');
			return [{address: '::1', family: 6}, {address: '127.0.0.1', family: 4}];
		};

		const seen: string[] = [];
		const probe = async (_url: URL, options: ProbeOptions) => {
			seen.push(options.address!);
			if (options.address === '::1') {
				throw new ProbeError('ECONNREFUSED', 'connect ECONNREFUSED ::1:3000');
			}

			return {status: 400, durationMs: 1};
		};

		const {results, verdict} = await checkAddresses(url, {timeoutMs: 100, resolve, probe});
		assert.deepEqual(seen.sort(), ['127.0.0.1', '::1']);
		assert.deepEqual(results.map(result => result.address), ['::1', '127.0.0.1']);
		assert.equal(verdict.kind, 'split');
		assert.equal(verdict.firstFails, true);
	});

	it('a resolver failure is an unresolved verdict, not an exception', async () => {
		const {verdict} = await checkAddresses(new URL('http://nope.invalid/mcp'), {
			timeoutMs: 100,
			async resolve() {
				throw Object.assign(new Error('getaddrinfo ENOTFOUND'), {code: 'ENOTFOUND'});
			},
		});
		assert.equal(verdict.kind, 'unresolved');
	});
});

describe('connectProbe (TCP only, for the check after the gate)', () => {
	it('status 0 on accept, ProbeError ECONNREFUSED when refused; described as "accepts connections"', async () => {
		const {createServer} = await import('node:net');
		const server = createServer(socket => socket.destroy());
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as {port: number};
		try {
			const {connectProbe} = await import('../src/diagnose/addresses.js');
			const target = new URL(`http://localhost:${port}/mcp`);
			const {results, verdict} = await checkAddresses(target, {
				timeoutMs: 1000,
				probe: connectProbe,
				resolve: async () => [{address: '127.0.0.1', family: 4}, {address: '127.0.0.2', family: 4}],
			});
			assert.equal(results[0]!.ok && results[0]!.status, 0);
			if (results[1]!.ok) {
				return; // 127.0.0.2 reached the same socket on systems that route all of 127/8 to a wildcard; nothing to check.
			}

			assert.equal(results[1]!.code, 'ECONNREFUSED');
			assert.match(verdict.message, new RegExp(`127\\.0\\.0\\.1:${port} accepts connections`));
		} finally {
			server.close();
		}
	});
});
