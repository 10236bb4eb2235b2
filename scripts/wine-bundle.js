// Bundle the Windows specs (test/win32/) for node.exe: tsx cannot run under Wine (its esbuild.exe
// needs a DLL Wine lacks), so esbuild on Linux turns each spec, with the code it tests, into one
// .mjs file. Dependencies of the fixtures stay in node_modules, which node.exe reads through Z:.
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {build} from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const [outdir] = process.argv.slice(2);
const specs = path.join(root, 'test', 'win32');
const entryPoints = readdirSync(specs).filter(name => name.endsWith('.test.ts') || name === 'launcher.ts').map(name => path.join(specs, name));
await build({
	entryPoints,
	outdir,
	outExtension: {'.js': '.mjs'},
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node22',
	packages: 'external',
	logLevel: 'warning',
});
