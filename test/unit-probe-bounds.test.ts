// Unit: a probe's bound covers every step, the name lookup included, and a failed lookup is
// remembered for a while instead of asked again on every probe.
import assert from 'node:assert/strict';
import type {LookupAddress} from 'node:dns';
import {describe, it} from 'node:test';
import {cachedLookup, probe, ProbeError} from '../src/readiness/probe.js';

describe('probe bounds', () => {
	it('a lookup that never answers: the probe fails with ETIMEDOUT at its timeout', async () => {
		const lookup = cachedLookup({resolve: () => new Promise<LookupAddress[]>(() => {})});
		const started = performance.now();
		await assert.rejects(probe(new URL('http://never-answers.example:3000/mcp'), {timeoutMs: 200, lookup}), (error: ProbeError) => error.code === 'ETIMEDOUT');
		assert.ok(performance.now() - started < 2_000, 'bounded by the probe timeout, not by the resolver');
	});

	it('an aborted signal ends a probe whose lookup hangs', async () => {
		const lookup = cachedLookup({resolve: () => new Promise<LookupAddress[]>(() => {})});
		const controller = new AbortController();
		const pending = probe(new URL('http://never-answers.example:3000/mcp'), {timeoutMs: 60_000, lookup, signal: controller.signal});
		controller.abort();
		await assert.rejects(pending, (error: ProbeError) => error.code === 'ABORT_ERR');
	});

	it('a failed lookup is remembered for failureTtlMs: one resolver call for many probes', async () => {
		let calls = 0;
		const lookup = cachedLookup({failureTtlMs: 60_000, resolve: async () => {
			calls++;
			throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), {code: 'ENOTFOUND'});
		}});
		for (let index = 0; index < 5; index++) {
			// eslint-disable-next-line no-await-in-loop
			await assert.rejects(probe(new URL('http://nowhere.invalid:3000/mcp'), {timeoutMs: 1_000, lookup}), (error: ProbeError) => error.code === 'ENOTFOUND');
		}

		assert.equal(calls, 1);
	});
});
