import type http from 'node:http';
import type {ServerRecord} from '../launch/server-record.js';
import type {Failure} from './json-rpc.js';
import {type Target, targetAgent} from './upstream.js';

/** What the server said it can do, in its initialize result (the parts the front door uses). */
export type Capabilities = {tools?: unknown; prompts?: unknown; resources?: unknown};

type InFlight = (failure: Failure) => void;

/**
 * One run of the server: started on a port of its own, gated, then serving through the front
 * door until it dies or a newer one replaces it. Its requests in flight are counted (a
 * replaced generation is stopped once they are done) and each is failed at once, with the
 * reason, when the generation goes.
 */
export class Generation implements Target {
	readonly url: URL;
	readonly agent: http.Agent = targetAgent();
	readonly readyAt = performance.now();
	/** What its initialize result said it can do, once seen (a replay or a client's own initialize). */
	capabilities: Capabilities | undefined;
	private goneWith: Failure | undefined;
	private readonly inflight = new Set<InFlight>();
	private readonly idleListeners = new Set<() => void>();
	private readonly goneListeners = new Set<(failure: Failure) => void>();

	constructor(readonly n: number, readonly record: ServerRecord) {
		this.url = new URL(record.ready!.url);
	}

	/** Why it is gone (died, or stopped), once it is. */
	get gone(): Failure | undefined {
		return this.goneWith;
	}

	get busy(): boolean {
		return this.inflight.size > 0;
	}

	/** Count a request in flight; `fail` answers it if the generation goes first. Returns "done". */
	track(fail: InFlight): () => void {
		this.inflight.add(fail);
		return () => {
			this.inflight.delete(fail);
			if (this.inflight.size === 0) {
				for (const listener of this.idleListeners) {
					listener();
				}
			}
		};
	}

	/** Called once no request is in flight any more (at once if none is). */
	whenIdle(listener: () => void): () => void {
		if (this.inflight.size === 0) {
			listener();
			return () => {};
		}

		this.idleListeners.add(listener);
		return () => this.idleListeners.delete(listener);
	}

	/** It is gone: every request still in flight is answered with `failure`, now. */
	markGone(failure: Failure): void {
		if (this.goneWith) {
			return;
		}

		this.goneWith = failure;
		for (const fail of [...this.inflight]) {
			fail(failure);
		}

		this.inflight.clear();
		for (const listener of [...this.idleListeners]) {
			listener();
		}

		for (const listener of [...this.goneListeners]) {
			listener(failure);
		}

		this.agent.destroy();
	}

	/** Why it went, if it goes within `ms` (a broken connection is usually its death, told a moment later). */
	async goneWithin(ms: number): Promise<Failure | undefined> {
		if (this.goneWith) {
			return this.goneWith;
		}

		return new Promise(resolve => {
			const done = (failure: Failure | undefined) => {
				clearTimeout(timer);
				this.goneListeners.delete(done);
				resolve(failure);
			};

			const timer = setTimeout(done, ms, undefined);
			this.goneListeners.add(done);
		});
	}
}
