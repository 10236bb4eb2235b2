import type {TestContext} from 'node:test';

const stacks = new WeakMap<TestContext, Array<() => unknown>>();

/**
 * Run `cleanup` when the test ends, the last one registered first (like Go's t.Cleanup).
 * node:test runs `t.after` hooks in the order they were added, so a temp dir made before the
 * run that writes into it would be removed while that run still writes there (ENOTEMPTY, seen
 * under load); with this, the run is killed first, then its directory is removed. Every cleanup
 * runs even when one throws; the first error is thrown after.
 */
export function defer(t: TestContext, cleanup: () => unknown): void {
	const stack = stacks.get(t);
	if (stack) {
		stack.push(cleanup);
		return;
	}

	const cleanups = [cleanup];
	stacks.set(t, cleanups);
	t.after(async () => {
		const errors: unknown[] = [];
		for (const run of cleanups.reverse()) {
			try {
				// eslint-disable-next-line no-await-in-loop
				await run();
			} catch (error) {
				errors.push(error);
			}
		}

		if (errors.length > 0) {
			throw errors[0];
		}
	});
}
