// Build: tsc emits the library with its types (dist/lib); esbuild bundles the CLI into
// dist/cli.js with lazily loaded chunks, so `mcp-launch` starts close to bare Node.
import {execFileSync} from 'node:child_process';
import {chmodSync, readFileSync, rmSync} from 'node:fs';
import {build} from 'esbuild';

const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), {recursive: true, force: true});
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], {stdio: 'inherit'});
await build({
	entryPoints: {cli: 'src/cli.ts'},
	outdir: 'dist',
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
chmodSync('dist/cli.js', 0o755);
