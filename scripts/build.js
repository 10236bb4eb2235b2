// Build: tsc emits the library with its types (dist/lib); esbuild bundles the CLI into
// dist/cli.js with lazily loaded chunks, so `mcp-launch` starts close to bare Node.
//
// The build must never leave a moment without a working dist/: other processes may be running
// dist/cli.js while it runs (the test suite builds, and other suites run the CLI). So: nothing
// is done when the inputs are unchanged, and otherwise the new tree is built aside and swapped
// in with two renames. It runs before `npm pack` (prepack), never on a user's install.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {build} from 'esbuild';
import {buildJobHelper, compilerAvailable} from './job-helper.js';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// prepack requires the Windows job helper in what it packs; `npm pack --dry-run` (the package
// spec) packs nothing, so a machine without mingw can still run it.
const requireJobHelper = process.argv.includes('--require-job-helper') && process.env.npm_config_dry_run !== 'true';
const withJobHelper = compilerAvailable();
if (requireJobHelper && !withJobHelper) {
	buildJobHelper(root, dist, {required: true}); // Throws, naming the package to install.
}

function inputsHash() {
	const hash = createHash('sha256');
	const files = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.lib.json', 'scripts/build.js', 'scripts/job-helper.js'];
	const walk = directory => {
		for (const name of readdirSync(path.join(root, directory)).sort()) {
			const relative = path.join(directory, name);
			if (statSync(path.join(root, relative)).isDirectory()) {
				walk(relative);
			} else {
				files.push(relative);
			}
		}
	};

	walk('src');
	for (const file of files) {
		hash.update(file).update('\0').update(readFileSync(path.join(root, file))).update('\0');
	}

	hash.update(`job helper: ${withJobHelper}`); // A compiler installed later means a rebuild with the helper.
	return hash.digest('hex');
}

const stamp = path.join(dist, '.build-hash');
const hash = inputsHash();
if (existsSync(path.join(dist, 'cli.js')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
	process.stderr.write('dist/ is up to date\n'); // stdout stays clean: `npm pack --json` prints its JSON there.
	process.exit(0);
}

const next = path.join(root, `.dist-next-${process.pid}`);
rmSync(next, {recursive: true, force: true});
process.once('exit', () => rmSync(next, {recursive: true, force: true})); // A failed build leaves nothing behind.
// The library: what src/index.ts reaches (tsconfig.lib.json); the CLI is the bundle below. tsc's
// own output goes to stderr too, for the same reason.
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.lib.json'), '--outDir', path.join(next, 'lib')], {stdio: ['ignore', 2, 2]});
await build({
	entryPoints: {cli: path.join(root, 'src/cli.ts')},
	outdir: next,
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20.19',
	chunkNames: 'chunks/[name]-[hash]',
	define: {MCP_LAUNCH_VERSION: JSON.stringify(version)},
	// Some dependencies are CommonJS and require() Node built-ins.
	banner: {js: 'import {createRequire as __mcpLaunchRequire} from \'node:module\'; const require = __mcpLaunchRequire(import.meta.url);'},
	legalComments: 'none',
	logLevel: 'warning',
});
chmodSync(path.join(next, 'cli.js'), 0o755);
const helperSize = buildJobHelper(root, next, {required: requireJobHelper});
if (helperSize !== undefined) {
	process.stderr.write(`dist/win32-x64/mcp-launch-job.exe: ${helperSize} bytes\n`); // stderr: see above
}

writeFileSync(path.join(next, '.build-hash'), hash);

const old = path.join(root, `.dist-old-${process.pid}`);
if (existsSync(dist)) {
	renameSync(dist, old);
}

renameSync(next, dist);
rmSync(old, {recursive: true, force: true});
