// The fault soak, short: the same campaign as `npm run soak` (test/soak/campaign.ts) with 30 runs
// and a fixed seed. Every run is checked for leftovers (server tree, client, guardian, both process
// groups), a bound port and the exact documented exit code; the summary names any failing scenario
// with the command that replays it.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {failed, runCampaign, summary} from './soak/campaign.js';

const SEED = 20_250_611;
const RUNS = 30;

test(`fault soak: ${RUNS} seeded runs (seed ${SEED}), no leftovers, no wrong exit code`, {timeout: 300_000}, async () => {
	const result = await runCampaign({runs: RUNS, seed: SEED, concurrency: 2});
	const text = summary(result);
	assert.equal(result.results.length, RUNS);
	assert.deepEqual(result.results.filter(failed).map((r) => r.scenario.index), [], text);
	// The campaign did mix what it claims to mix.
	const kinds = new Set(result.results.map((r) => r.scenario.kind));
	for (const kind of ['no-fault', 'crash-before-ready', 'timeout', 'crash-after-ready', 'client-crash', 'launcher-signal'] as const) {
		assert.ok(kinds.has(kind), `seed ${SEED} covers ${kind}\n${text}`);
	}
	const signals = new Set(result.results.filter((r) => r.scenario.fault?.target === 'launcher').map((r) => r.scenario.fault!.signal));
	assert.deepEqual([...signals].sort(), ['SIGHUP', 'SIGINT', 'SIGKILL', 'SIGTERM'], text);
});
