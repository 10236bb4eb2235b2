import {restartBackoff} from '../defaults.js';
import {expected} from '../option-error.js';

/**
 * `--restart`, in Docker's words: `no` (the default: a server that dies is reported, as
 * always) or `on-failure[:N]` (a server that exits with a non-zero code, or dies of a signal
 * mcp-launch did not send, is started again, at most N times in a row).
 */
export type RestartPolicy = {kind: 'no'} | {kind: 'on-failure'; maxRestarts: number};

const form = 'no, on-failure or on-failure:N (N restarts at most, 1-1000), like --restart on-failure:3';

/** Read `--restart`. Throws an OptionError naming the flag and the form. */
export function toRestartPolicy(value: unknown): RestartPolicy {
	if (value === undefined || value === 'no') {
		return {kind: 'no'};
	}

	const match = typeof value === 'string' ? /^on-failure(?::(\d{1,4}))?$/.exec(value) : null;
	const maxRestarts = match?.[1] === undefined ? restartBackoff.defaultMaxRestarts : Number(match[1]);
	if (!match || maxRestarts < 1 || maxRestarts > 1000) {
		throw expected('--restart', form, value);
	}

	return {kind: 'on-failure', maxRestarts};
}

/** How a generation ended, as far as the policy cares. */
export type Ending = {code: number | undefined; signal: string | undefined; spawnError?: string};

export type RestartDecision =
	| {restart: true; delayMs: number; attempt: number; of: number}
	| {restart: false; why: 'policy' | 'clean-exit' | 'exhausted'; of: number};

/**
 * The policy's memory across one launch: how many restarts in a row, and the backoff
 * (Docker's: 100 ms, doubling, capped). A generation that stayed up for `resetAfterMs` (10 s,
 * as Docker counts a container "started successfully") starts the count and the delay over;
 * so does a change under `--watch` (the code is new).
 */
export class RestartBudget {
	private failures = 0;

	constructor(private readonly policy: RestartPolicy, private readonly schedule = restartBackoff) {}

	/** The generation ended after being up (ready) for `upMs` (0: it never got ready). */
	afterEnding(ending: Ending, upMs: number): RestartDecision {
		const of = this.policy.kind === 'on-failure' ? this.policy.maxRestarts : 0;
		if (this.policy.kind === 'no') {
			return {restart: false, why: 'policy', of};
		}

		if (ending.code === 0 && !ending.signal) {
			return {restart: false, why: 'clean-exit', of};
		}

		if (upMs >= this.schedule.resetAfterMs) {
			this.failures = 0;
		}

		if (this.failures >= this.policy.maxRestarts) {
			return {restart: false, why: 'exhausted', of};
		}

		const delayMs = Math.min(this.schedule.firstDelayMs * (this.schedule.factor ** this.failures), this.schedule.maxDelayMs);
		this.failures++;
		return {restart: true, delayMs, attempt: this.failures, of};
	}

	/** Start over: a change under --watch brings new code. */
	reset(): void {
		this.failures = 0;
	}
}
