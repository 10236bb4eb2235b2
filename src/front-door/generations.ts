import {bounds} from '../defaults.js';
import {frontDoorTexts as texts} from '../launch/messages.js';
import type {ServerRecord} from '../launch/server-record.js';
import type {Logger} from '../log-types.js';
import type {ServerExit} from '../server/spawn-server.js';
import {Generation} from './generation.js';
import {type Failure, FailureError} from './json-rpc.js';
import {RestartBudget, type RestartDecision, type RestartPolicy} from './restart-policy.js';
import {Retiring} from './retiring.js';

/** What starting a generation gave: gated and ready, or why not (the crash report is already written). */
export type Booted = {record: ServerRecord; failure?: undefined} | {record: ServerRecord; failure: Failure; exit: ServerExit | undefined; report: string};

export type GenerationsOptions = {
	/** The server as the client knows it (its name in messages). */
	server: ServerRecord;
	policy: RestartPolicy;
	/** The --watch paths as given, when watching (a change can bring a dead server back). */
	watching: readonly string[] | undefined;
	/** --timeout: how long a request is held, and how long a replaced generation may finish its requests. */
	timeoutMs: number;
	/** Start generation `n` and gate it (startServer → gate): the one spawn path a launch takes too. */
	boot: (n: number, signal: AbortSignal) => Promise<Booted>;
	/** Tear a generation's process group down (TERM, KILL after --kill-timeout). */
	stop: (record: ServerRecord) => Promise<void>;
	/** Before a generation takes traffic: the client sessions replayed to it. */
	prepare: (gen: Generation, signal: AbortSignal) => Promise<void>;
	/** A generation now serves: the event streams attach to it and hear `list_changed`. */
	swapped: (gen: Generation, first: boolean) => void;
	/** The server is down and nothing will bring it back (no restart coming, nothing watched). */
	onGiveUp: (exit: ServerExit) => void;
	logger: Logger;
	/** Secrets out of the texts the client's requests get (the logger redacts its own). */
	redact: (text: string) => string;
};

type Cause = {why: string};

/**
 * The generations of one server behind its front door: the one serving, the one booting, the
 * ones being drained. A change (`--watch`) boots the next on a port of its own while the current
 * one serves; once it is gated and the sessions are replayed to it, it takes the new requests
 * and the old one is stopped when its requests in flight are done (bounded by --timeout). A
 * death answers the requests in flight at once and, per `--restart`, boots the next one after
 * the backoff; meanwhile requests are held. When no generation will come (the boot crashed, or
 * the policy gave up), requests get the crash as a JSON-RPC error.
 */
export class Generations {
	private current: Generation | undefined;
	private down: Failure | undefined;
	private count = 0;
	private booting: {n: number; abort: AbortController} | undefined;
	private retryTimer: NodeJS.Timeout | undefined;
	/** Replaced and dead generations being stopped, and the boot runs: close() waits for all of them. */
	private readonly retiring: Retiring;
	private readonly listeners = new Set<() => void>();
	private readonly budget: RestartBudget;
	private closed = false;

	constructor(private readonly options: GenerationsOptions) {
		this.budget = new RestartBudget(options.policy);
		this.retiring = new Retiring(options.stop, options.timeoutMs);
	}

	/** Generation 1, started and gated by the launch itself. */
	adopt(record: ServerRecord): Generation {
		const gen = new Generation(++this.count, record);
		this.serve(gen, true);
		return gen;
	}

	/** The serving generation; held (until `deadline`) while one boots. Rejects with a FailureError when none will. */
	async acquire(deadline: number, what = 'a request'): Promise<Generation> {
		let told = false;
		for (;;) {
			if (this.current && !this.current.gone) {
				return this.current;
			}

			if (this.down) {
				throw new FailureError(this.down);
			}

			const left = deadline - performance.now();
			if (left <= 0) {
				throw new FailureError(texts.notReady(this.options.timeoutMs));
			}

			if (!told) {
				told = true;
				this.options.logger.debug({server: this.options.server.name}, texts.held(this.options.server, what));
			}

			// eslint-disable-next-line no-await-in-loop
			await this.nextChange(left);
		}
	}

	/** The generation serving now, if one does (no waiting). */
	serving(): Generation | undefined {
		return this.current && !this.current.gone ? this.current : undefined;
	}

	/** Files changed under --watch: the next generation boots now (one booting already is dropped). */
	change(why: string): void {
		if (this.closed) {
			return;
		}

		this.budget.reset();
		clearTimeout(this.retryTimer);
		this.startBoot({why});
	}

	/** Stop every generation (mcp-launch is exiting); requests in flight get an error at once. */
	async close(): Promise<void> {
		this.closed = true;
		clearTimeout(this.retryTimer);
		this.booting?.abort.abort();
		this.down = texts.closing;
		if (this.current) {
			void this.retiring.retire(this.current, true);
		}

		this.current = undefined;
		this.changed();
		await this.retiring.settled();
	}

	private serve(gen: Generation, first: boolean): void {
		const old = this.current;
		this.current = gen;
		this.down = undefined;
		this.watchDeath(gen);
		this.changed();
		this.options.swapped(gen, first);
		if (old) {
			void this.retiring.retire(old);
		}
	}

	private startBoot(cause: Cause): void {
		this.booting?.abort.abort(); // Superseded: that run stops its own generation.
		const n = ++this.count;
		const abort = new AbortController();
		this.booting = {n, abort};
		this.down = undefined; // Requests wait for this one instead of failing.
		this.changed();
		void this.retiring.track(this.runBoot(n, abort.signal, cause).catch((error: unknown) => {
			this.options.logger.error({server: this.options.server.name, error: String(error)}, `internal error while restarting ${this.options.server.label}: ${String(error)}`);
		}));
	}

	private async runBoot(n: number, signal: AbortSignal, cause: Cause): Promise<void> {
		const began = performance.now();
		const booted = await this.options.boot(n, signal);
		const superseded = () => this.closed || this.booting?.n !== n;
		if (superseded() || booted.failure) {
			await this.options.stop(booted.record);
			if (!superseded() && booted.failure) {
				this.booting = undefined;
				this.failed(booted.failure, booted.exit ?? {code: undefined, signal: undefined}, booted.report, cause.why);
			}

			return;
		}

		const gen = new Generation(n, booted.record);
		await this.options.prepare(gen, signal).catch(() => {}); // A session not replayed is bound on its next request.
		if (superseded()) {
			gen.markGone(texts.closing);
			await this.options.stop(gen.record);
			return;
		}

		this.booting = undefined;
		this.serve(gen, false);
		this.options.logger.info({server: this.options.server.name, generation: n, url: gen.url.href, durationMs: Math.round(performance.now() - began)}, texts.restarted(this.options.server, cause.why, performance.now() - began));
	}

	/** The serving generation died on its own. */
	private watchDeath(gen: Generation): void {
		const server = gen.record.process!;
		void server.exited.then(async exit => {
			await server.drained(bounds.drainMs);
			if (gen.gone) {
				return; // Stopped by mcp-launch (replaced, or exiting): its requests were answered.
			}

			const last = server.tail.lines('stderr', 3).filter(line => line.trim() !== '').map(line => this.options.redact(line));
			const died = texts.died(exit, last);
			const data = {exitCode: exit.code, signal: exit.signal, stderr: last};
			if (gen !== this.current) {
				gen.markGone(texts.failure(`the server ${died}`, data));
				return;
			}

			this.current = undefined;
			const decision = this.budget.afterEnding(exit, performance.now() - gen.readyAt);
			const next = texts.next(decision, this.options.watching);
			const failure = texts.failure(`the server ${died}; ${next}`, data);
			gen.markGone(failure);
			void this.retiring.track(this.options.stop(gen.record)); // What is left of its group.
			if (decision.restart) {
				this.retry(decision, `${this.options.server.label} ${died} (${texts.restartCount(decision.attempt, decision.of)})`);
			} else {
				this.goDown(failure, exit);
				this.options.logger.warn({server: this.options.server.name, exitCode: exit.code, signal: exit.signal, stderr: last}, texts.diedWhileServing(this.options.server, died, next));
			}
		});
	}

	/** A generation failed to boot (its crash report is `report`). The one serving, if any, runs stale code: it goes too. */
	private failed(failure: Failure, exit: ServerExit, report: string, why: string): void {
		const decision = this.budget.afterEnding(exit, 0);
		const next = texts.next(decision, this.options.watching);
		const told = {message: `mcp-launch: ${why}: ${failure.message}\n${next}`, ...(failure.data ? {data: failure.data} : {})};
		if (this.current) {
			void this.retiring.retire(this.current);
			this.current = undefined;
		}

		this.options.logger.error({server: this.options.server.name, exitCode: exit.code, signal: exit.signal}, texts.bootFailed(`${why}: ${report}`, next));
		if (decision.restart) {
			this.retry(decision, `${this.options.server.label} crashed on boot (${texts.restartCount(decision.attempt, decision.of)})`);
		} else {
			this.goDown(told, exit);
		}
	}

	private retry(decision: Extract<RestartDecision, {restart: true}>, why: string): void {
		this.changed();
		this.retryTimer = setTimeout(() => this.startBoot({why}), decision.delayMs);
	}

	private goDown(failure: Failure, exit: ServerExit): void {
		this.down = failure;
		this.changed();
		if (!this.options.watching) {
			this.options.onGiveUp(exit);
		}
	}

	private changed(): void {
		for (const listener of [...this.listeners]) {
			listener();
		}
	}

	private nextChange(ms: number): Promise<void> {
		return new Promise(resolve => {
			const done = () => {
				clearTimeout(timer);
				this.listeners.delete(done);
				resolve();
			};

			const timer = setTimeout(done, ms);
			this.listeners.add(done);
		});
	}
}
