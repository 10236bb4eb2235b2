import type {ProcessTree, StopResult} from './types.js';

/** How long the kill may take to show before what is left is reported (it never hangs). */
export const killSettleMs = 2_000;

/**
 * Stop a tree the same way on every platform: the graceful step, then the kill after
 * `graceMs` (0: at once), and resolve once it is gone, bounded. Polls `isGone` from 1 ms,
 * doubling to 20 ms.
 */
export async function stopTree(tree: Pick<ProcessTree, 'stopGracefully' | 'killTree' | 'isGone'>, graceMs: number): Promise<StopResult> {
	const start = performance.now();
	if (await tree.isGone()) {
		return {step: undefined, durationMs: 0, leftover: false};
	}

	if (graceMs > 0) {
		tree.stopGracefully();
		if (await waitGone(tree, graceMs)) {
			return {step: 'graceful', durationMs: performance.now() - start, leftover: false};
		}
	}

	tree.killTree();
	const gone = await waitGone(tree, killSettleMs);
	return {step: 'kill', durationMs: performance.now() - start, leftover: !gone};
}

/** Poll until the tree is gone or `ms` have passed; true when gone. */
export async function waitGone(tree: Pick<ProcessTree, 'isGone'>, ms: number): Promise<boolean> {
	const deadline = performance.now() + ms;
	for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
		// eslint-disable-next-line no-await-in-loop
		if (await tree.isGone()) {
			return true;
		}

		const left = deadline - performance.now();
		if (left <= 0) {
			return false;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, Math.min(pause, left));
		});
	}
}
