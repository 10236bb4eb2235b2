// The OS seam: one stop sequence and one wait loop for every platform (pure, with injected
// trees), /proc/PID/stat parsed in one place, and the rule that nothing outside src/os/ touches
// processes or sockets itself (no /proc, lsof, netstat, group signals or platform checks), with
// diagnose/ taking only the seam's types.
import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, it} from 'node:test';
import {pollUntil} from '../src/os/poll.js';
import {stopTree} from '../src/os/stop-tree.js';

/** A tree that is gone once `goneAfter` says so, recording the steps it was sent. */
function fakeTree(goneAfter: (steps: string[]) => boolean) {
	const steps: string[] = [];
	return {
		steps,
		stopGracefully: () => steps.push('graceful'),
		killTree: () => steps.push('kill'),
		isGone: async () => goneAfter(steps),
	};
}

describe('stopTree (every platform)', () => {
	it('already gone: no step at all', async () => {
		const tree = fakeTree(() => true);
		assert.deepEqual(await stopTree(tree, 1_000), {step: undefined, durationMs: 0, leftover: false});
		assert.deepEqual(tree.steps, []);
	});

	it('the graceful step suffices: no kill', async () => {
		const tree = fakeTree(steps => steps.includes('graceful'));
		const result = await stopTree(tree, 1_000);
		assert.equal(result.step, 'graceful');
		assert.deepEqual(tree.steps, ['graceful']);
	});

	it('ignored: the kill after the grace', async () => {
		const tree = fakeTree(steps => steps.includes('kill'));
		const result = await stopTree(tree, 50);
		assert.equal(result.step, 'kill');
		assert.equal(result.leftover, false);
		assert.ok(result.durationMs >= 45, `waited the grace (${result.durationMs} ms)`);
		assert.deepEqual(tree.steps, ['graceful', 'kill']);
	});

	it('a grace of 0: the kill at once', async () => {
		const tree = fakeTree(steps => steps.includes('kill'));
		assert.equal((await stopTree(tree, 0)).step, 'kill');
		assert.deepEqual(tree.steps, ['kill']);
	});

	it('surviving even the kill is reported as a leftover, bounded (never hangs)', async () => {
		const tree = fakeTree(() => false);
		const result = await stopTree(tree, 10);
		assert.equal(result.leftover, true);
		assert.ok(result.durationMs < 5_000);
	});
});

describe('pollUntil', () => {
	it('a wake (an exit) makes it look again at once, not at its next pause', async () => {
		let done = false;
		let wake: () => void = () => {};
		const woken = new Promise<void>(resolve => {
			wake = resolve;
		});
		const polls: number[] = [];
		const waiting = pollUntil(() => {
			polls.push(performance.now());
			return done;
		}, 10_000, woken);
		await new Promise(resolve => setImmediate(resolve));
		done = true;
		wake();
		assert.equal(await waiting, true);
	});

	it('false once the bound has passed', async () => {
		assert.equal(await pollUntil(() => false, 20), false);
	});
});

const src = path.resolve(import.meta.dirname, '..', 'src');
function files(directory: string): string[] {
	return readdirSync(directory).flatMap(name => {
		const file = path.join(directory, name);
		return statSync(file).isDirectory() ? files(file) : (name.endsWith('.ts') ? [file] : []);
	});
}

/** The code of a file without its comments (they may name /proc or lsof to explain). */
const code = (file: string) => readFileSync(file, 'utf8').replaceAll(/\/\*[\s\S]*?\*\//g, '').replaceAll(/^\s*\/\/.*$/gm, '').replaceAll(/ \/\/ .*$/gm, '');

describe('one seam: nothing outside src/os/ reads the OS itself', () => {
	const outside = files(src).filter(file => !file.startsWith(path.join(src, 'os') + path.sep));

	it('no /proc, lsof, netstat, process-group signal or platform check outside src/os/ (cli.ts picks the implementation)', () => {
		const found = outside.flatMap(file => {
			const text = code(file);
			const hits = [/['"`]\/proc\//, /(?:execFile|spawn)(?:Sync)?\(\s*['"`](?:lsof|ps)['"`]/, /netstat/i, /process\.kill\(-/, /process\.platform/].filter(pattern => pattern.test(text) && !(pattern.source.includes('platform') && file.endsWith(`${path.sep}cli.ts`)));
			return hits.map(pattern => `${path.relative(src, file)}: ${pattern.source}`);
		});
		assert.deepEqual(found, []);
	});

	it('diagnose/ takes only the seam\'s types; the seam imports nothing above it but exit-codes', () => {
		const imports = (file: string) => [...code(file).matchAll(/from '([^']+)'|import\('([^']+)'\)/g)].map(match => path.resolve(path.dirname(file), match[1] ?? match[2]!));
		const diagnoseToOs = files(path.join(src, 'diagnose')).flatMap(file => imports(file).filter(target => target.startsWith(path.join(src, 'os'))).map(target => `${path.relative(src, file)} -> ${path.relative(src, target)}`));
		assert.deepEqual(diagnoseToOs.filter(line => !line.endsWith('os/types.js')), []);
		const osUp = files(path.join(src, 'os')).flatMap(file => imports(file).filter(target => target.startsWith(src) && !target.startsWith(path.join(src, 'os')) && !target.endsWith('exit-codes.js')).map(target => `${path.relative(src, file)} -> ${path.relative(src, target)}`));
		assert.deepEqual(osUp, []);
	});
});
