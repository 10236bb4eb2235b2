import {frontDoorTexts as texts} from '../launch/messages.js';
import type {ServerRecord} from '../launch/server-record.js';
import type {Generation} from './generation.js';

/**
 * The generations on their way out, and every piece of work that stops one: a replaced
 * generation finishes its requests in flight (at most `drainMs`), then is marked gone and
 * stopped. `settled()` waits for all of it, so a launch's teardown leaves nothing running.
 */
export class Retiring {
	private readonly draining = new Map<Generation, Promise<void>>();
	private readonly pending = new Set<Promise<void>>();

	constructor(private readonly stop: (record: ServerRecord) => Promise<void>, private readonly drainMs: number) {}

	/** Let `gen` finish its requests in flight, then stop it; at once when `now` (mcp-launch is exiting). */
	async retire(gen: Generation, now = false): Promise<void> {
		const already = this.draining.get(gen);
		if (already) {
			return already;
		}

		const stopping = (async () => {
			if (!now) {
				await new Promise<void>(resolve => {
					const timer = setTimeout(resolve, this.drainMs);
					gen.whenIdle(() => {
						clearTimeout(timer);
						resolve();
					});
				});
			}

			gen.markGone(now ? texts.closing : texts.replaced(this.drainMs));
			await this.stop(gen.record);
		})();
		this.draining.set(gen, stopping);
		void stopping.finally(() => this.draining.delete(gen));
		return this.track(stopping);
	}

	/** Count this work (a boot run, a dead generation's teardown) until it is done. */
	async track(promise: Promise<void>): Promise<void> {
		this.pending.add(promise);
		try {
			await promise;
		} finally {
			this.pending.delete(promise);
		}
	}

	/** Cut every drain short (mcp-launch is exiting), then wait for everything under way. */
	async settled(): Promise<void> {
		for (const gen of this.draining.keys()) {
			gen.markGone(texts.closing);
		}

		await Promise.all([...this.pending]);
	}
}
