/**
 * The one wait loop for "is it gone yet": check, then wait 1 ms doubling to 20 ms, until the
 * check says done or `ms` have passed. `wake` (a process's exit) ends a wait at once. Used for a
 * server's tree, a process group, the client's tree, on every platform.
 */
export async function pollUntil(done: () => boolean | Promise<boolean>, ms: number, wake?: Promise<unknown>): Promise<boolean> {
	const deadline = performance.now() + ms;
	let woken = false;
	void wake?.then(() => {
		woken = true;
	});
	for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
		// eslint-disable-next-line no-await-in-loop
		if (await done()) {
			return true;
		}

		const left = deadline - performance.now();
		if (left <= 0) {
			return false;
		}

		let timer: NodeJS.Timeout | undefined;
		// eslint-disable-next-line no-await-in-loop
		await Promise.race([
			new Promise(resolve => {
				timer = setTimeout(resolve, Math.min(pause, left));
			}),
			...(wake && !woken ? [wake] : []),
		]);
		clearTimeout(timer);
	}
}
