#!/usr/bin/env node
// The entry point stays tiny: `--version` answers without loading anything, a plain launch's
// servers are spawned held before anything else loads (early-spawn.ts), and the rest of the CLI
// is a lazily loaded chunk of the bundle. Node's compile cache is not turned on here: on Node 24 it
// saved 2-3 ms of a whole run (measured) and writes a directory into the user's temp dir on every
// run, bad input included; NODE_COMPILE_CACHE turns it on for whoever wants it.
import {readFileSync} from 'node:fs';
import {spawnEarly} from './early-spawn.js';
import {osNameOf, unsupportedPlatformMessage} from './os/name.js';

declare const MCP_LAUNCH_VERSION: string | undefined;

const version = typeof MCP_LAUNCH_VERSION === 'string'
	? MCP_LAUNCH_VERSION
	: (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;

const args = process.argv.slice(2);
// Linux reads /proc, macOS asks lsof, Windows runs Job Objects; anything else stops here, before
// anything starts. MCP_LAUNCH_PLATFORM (a test knob) stands in for process.platform: `darwin`
// runs the macOS path on Linux. It never picks win32 off Windows (nor a Unix path on Windows):
// the implementations spawn their platform's own shell.
const platform = process.env.MCP_LAUNCH_PLATFORM || process.platform;
const crossed = (platform === 'win32') !== (process.platform === 'win32');
const source = crossed ? undefined : osNameOf(platform);
let code: number;
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
	process.stdout.write(`${version}\n`);
	code = 0;
} else if (source === undefined) {
	process.stderr.write(`${crossed ? `mcp-launch: MCP_LAUNCH_PLATFORM=${platform} cannot stand in for ${process.platform} (a test knob: the Unix paths stand in for each other, Windows for none)` : unsupportedPlatformMessage(platform)}\n`);
	code = 1;
} else {
	// The early step spawns /bin/sh shells and the /bin/sh guardian: Unix only (on Windows the job
	// helper starts the server, and is its own guardian).
	const prespawned = source === 'win32' ? undefined : spawnEarly(args, process.cwd(), process.env);
	try {
		const {main} = await import('./cli-main.js');
		code = await main(args, version, source, prespawned);
	} catch (error) {
		const [{redactText}, {printable}] = await Promise.all([import('./redact.js'), import('./option-error.js')]);
		process.stderr.write(`mcp-launch: internal error: ${printable(redactText((error as Error).message ?? String(error)))}\n`);
		code = 1;
	} finally {
		prespawned?.cancel();
	}
}

// The one place that exits: by now the server's group is gone and the client has exited.
process.exit(code);
