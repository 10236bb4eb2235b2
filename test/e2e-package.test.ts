// The package as npm publishes it (`npm pack --dry-run --json`, which builds first through
// prepack): its JSON stdout is clean, it holds the CLI bundle and the library with its types and
// none of the CLI's sources twice, it needs only what the library imports, installing it runs no
// script, node10 type resolution finds the types, and every link in the README that is not a URL
// names a file the tarball has (the others point into the repository, at files that exist).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {ROOT} from './helpers/cli.js';

const T = {timeout: 120_000};
type Packed = {name: string; files: Array<{path: string}>};
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	scripts: Record<string, string>;
	dependencies?: Record<string, string>;
	types?: string;
	main?: string;
	repository?: {url?: string};
	homepage?: string;
	bugs?: {url?: string};
};

test('npm pack --json: JSON on stdout, the bundle and the typed library, no CLI sources twice, no install script', T, () => {
	const stdout = execFileSync('npm', ['pack', '--dry-run', '--json'], {cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
	const [packed] = JSON.parse(stdout) as Packed[]; // Build chatter on stdout would make this throw.
	const files = new Set(packed!.files.map((file) => file.path));
	// The Windows job helper too: prepack builds it (it needs x86_64-w64-mingw32-gcc, or fails).
	for (const file of ['dist/cli.js', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/win32-x64/mcp-launch-job.exe', 'README.md', 'LICENSE', 'package.json']) {
		assert.ok(files.has(file), `${file} is in the package`);
	}
	assert.deepEqual([...files].filter((file) => /^dist\/lib\/(cli\/|cli\.|cli-main\.|log\.)/.test(file) || file.includes('.build-hash')), [], 'the CLI ships once, as the bundle');
	assert.equal(manifest.scripts.prepare, undefined, 'installing the tarball runs no script (prepack builds for npm pack)');
	for (const hook of ['preinstall', 'install', 'postinstall']) assert.equal(manifest.scripts[hook], undefined, hook);
	// The bundle owns the CLI's packages; the library needs only p-retry.
	assert.deepEqual(Object.keys(manifest.dependencies ?? {}), ['p-retry']);
	const imported = new Set<string>();
	for (const file of files) {
		if (!file.startsWith('dist/lib/') || !file.endsWith('.js')) continue;
		// Statements only (a line's start), not the `import … from 'mcp-launch'` of a TSDoc example.
		for (const match of readFileSync(path.join(ROOT, file), 'utf8').matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*'([^'.][^']*)'|\bimport\(\s*'([^'.][^']*)'\)/gm)) {
			const name = match[1] ?? match[2]!;
			if (!name.startsWith('node:')) imported.add(name);
		}
	}
	assert.deepEqual([...imported], ['p-retry'], 'what the library imports is what it depends on');
	// moduleResolution node10 ignores `exports`: `types` (and `main`) are what it reads.
	assert.equal(manifest.types, './dist/lib/index.d.ts');
	assert.equal(manifest.main, './dist/lib/index.js');
	assert.ok(manifest.repository?.url && manifest.homepage && manifest.bugs?.url, 'repository, homepage and bugs');
	const repository = manifest.homepage!.replace(/#.*$/, '');
	const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
		const file = target!.replace(/#.*$/, '');
		if (file === '' || /^mailto:/.test(file)) continue;
		if (file.startsWith(`${repository}/blob/main/`) || file.startsWith(`${repository}/tree/main/`)) {
			const inRepo = file.replace(/^.*\/(?:blob|tree)\/main\//, '');
			assert.ok(existsSync(path.join(ROOT, inRepo)), `${target} names a file of the repository`);
		} else if (!/^https?:/.test(file)) {
			assert.ok(files.has(file), `README links to ${target}: the tarball must have it (or link into the repository)`);
		}
	}
});
