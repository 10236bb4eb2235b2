import {pollUntil} from './poll.js';
import type {ProcessTree, StopResult} from './types.js';

/** How long the kill may take to show before what is left is reported (it never hangs). */
export const killSettleMs = 2_000;

/**
 * Stop a tree the same way on every platform: the graceful step, then the kill after
 * `graceMs` (0: at once), and resolve once it is gone, bounded. `wake` (the top process's
 * exit) makes the wait look again at once.
 */
export async function stopTree(tree: Pick<ProcessTree, 'stopGracefully' | 'killTree' | 'isGone'>, graceMs: number, wake?: Promise<unknown>): Promise<StopResult> {
	const start = performance.now();
	if (await tree.isGone()) {
		return {step: undefined, durationMs: 0, leftover: false};
	}

	if (graceMs > 0) {
		tree.stopGracefully();
		if (await pollUntil(async () => tree.isGone(), graceMs, wake)) {
			return {step: 'graceful', durationMs: performance.now() - start, leftover: false};
		}
	}

	tree.killTree();
	const gone = await pollUntil(async () => tree.isGone(), killSettleMs);
	return {step: 'kill', durationMs: performance.now() - start, leftover: !gone};
}
