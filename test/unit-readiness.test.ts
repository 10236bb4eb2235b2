import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {backoff} from '../src/defaults.js';
import {LaunchError} from '../src/errors.js';
import {ProbeError} from '../src/readiness/probe.js';
import {backoffDelays, waitUntilReady} from '../src/readiness/wait-until-ready.js';

const refused = () => new ProbeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3000');

describe('backoff schedule', () => {
	it('starts short, grows, and is capped low for loopback', () => {
		const delays = backoffDelays(12);
		assert.equal(delays[0], backoff.minTimeoutMs);
		assert.ok(delays[0]! <= 10, 'first retry within 10 ms');
		for (let n = 1; n < delays.length; n++) {
			assert.ok(delays[n]! >= delays[n - 1]!, 'never shrinks');
		}

		assert.equal(Math.max(...delays), backoff.maxTimeoutMs);
		assert.ok(backoff.maxTimeoutMs <= 50, 'a slow server is noticed within 50 ms of listen()');
	});

	it('keeps a 10 s wait to a bounded number of probes', () => {
		const delays = backoffDelays(2000);
		let elapsed = 0;
		let probes = 1;
		for (const delay of delays) {
			if (elapsed + delay > 10_000) {
				break;
			}

			elapsed += delay;
			probes++;
		}

		assert.ok(probes <= 10_000 / backoff.maxTimeoutMs + 20, `${probes} probes in 10 s`);
	});
});

describe('waitUntilReady', () => {
	it('probes at once and retries until any HTTP status comes back', async () => {
		let calls = 0;
		const ready = await waitUntilReady('http://127.0.0.1:3000/mcp', {
			timeout: '5s',
			async probe() {
				calls++;
				if (calls < 4) {
					throw refused();
				}

				return {status: 406, durationMs: 1};
			},
		});
		assert.equal(ready.status, 406);
		assert.equal(ready.attempts, 4);
		assert.equal(ready.url, 'http://127.0.0.1:3000/mcp');
	});

	it('gives up with READY_TIMEOUT naming the URL, the probes and the last error', async () => {
		await assert.rejects(
			waitUntilReady('http://127.0.0.1:3000/mcp', {timeout: 120, async probe() {
				throw refused();
			}}),
			(error: unknown) => {
				assert.ok(error instanceof LaunchError);
				assert.equal(error.code, 'READY_TIMEOUT');
				assert.match(error.message, /http:\/\/127\.0\.0\.1:3000\/mcp did not answer within 120 ms \(\d+ probes; last error: .*ECONNREFUSED/);
				assert.ok(Number(error.details.attempts) > 1);
				return true;
			},
		);
	});

	it('stops with the abort reason when aborted', async () => {
		const controller = new AbortController();
		const waiting = waitUntilReady('http://127.0.0.1:3000/mcp', {
			timeout: '10s',
			signal: controller.signal,
			async probe() {
				queueMicrotask(() => controller.abort('server exited'));
				throw refused();
			},
		});
		await assert.rejects(waiting, reason => reason === 'server exited');
	});

	it('probes again at once when woken, instead of sleeping out the backoff', async () => {
		let wake: (() => void) | undefined;
		let calls = 0;
		let firstFailed: () => void = () => {};
		const failedOnce = new Promise<void>(resolve => {
			firstFailed = resolve;
		});
		const waiting = waitUntilReady('http://127.0.0.1:3000/mcp', {
			timeout: '60s',
			// With this schedule the second probe would come after a minute: only a wake can trigger it.
			backoff: {minTimeoutMs: 600_000, maxTimeoutMs: 600_000},
			wake(listener) {
				wake = listener;
				return () => {
					wake = undefined;
				};
			},
			async probe() {
				calls++;
				if (calls === 1) {
					setImmediate(firstFailed);
					throw refused();
				}

				return {status: 400, durationMs: 1};
			},
		});
		await failedOnce;
		wake!();
		const ready = await waiting;
		assert.equal(ready.status, 400);
		assert.equal(calls, 2);
		assert.equal(wake, undefined, 'unsubscribed when done');
	});
});
