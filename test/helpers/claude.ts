// The Claude Code releases the matrix runs, and a throwaway world for each: 1.0.128 (the last
// pure-JS release, from node_modules; it runs on Node 20 and 24 and crashes on 26) and today's
// 2.1.x (a native binary, fetched by .ci/fetch into the CI cache; its package wants Node >= 22).
import type {TestContext} from 'node:test';
import {mkdirSync} from 'node:fs';
import path from 'node:path';
import {startCli, type CliResult} from './cli.js';
import {ciTool, ciVersion, nodeAtLeast, skipUnlessFetched} from './ci-tools.js';
import {BIN, matrixEnv, tempDir} from './matrix.js';

/** One Claude Code release: where its `claude` is, why it cannot run here, and how `claude mcp list` words health. */
export type Claude = {version: string; bin: string | undefined; skip: string | false; connected: RegExp; failed: RegExp};

export const claudes: Claude[] = [
	{
		version: '1.0.128',
		bin: path.join(BIN, 'claude'),
		skip: nodeAtLeast('26.0.0') ? `Claude Code 1.0.128 crashes on Node ${process.versions.node} (Cannot read properties of undefined (reading 'prototype')): its rows run on Node 20 and 24` : false,
		connected: / - ✓ Connected/,
		failed: / - ✗ Failed to connect/,
	},
	{
		version: ciVersion('claude-code'),
		bin: ciTool('claude-code'),
		skip: skipUnlessFetched('claude-code') || (nodeAtLeast('22.0.0') ? false : `Claude Code ${ciVersion('claude-code')} wants Node >= 22 (this is ${process.versions.node}): .ci/run runs its rows on Node 24`),
		connected: / - ✔ Connected/,
		failed: / - ✘ Failed to connect — ECONNREFUSED/,
	},
];

/** A project dir and a throwaway HOME for Claude Code; the environment to run it in. */
export function claudeWorld(t: TestContext, release: Claude): {cwd: string; env: NodeJS.ProcessEnv; dir: string} {
	const dir = tempDir(t, 'mcp-launch-claude-');
	const home = path.join(dir, 'home');
	const cwd = path.join(dir, 'project');
	mkdirSync(home);
	mkdirSync(cwd);
	const env = matrixEnv({HOME: home, DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_TELEMETRY: '1', DISABLE_ERROR_REPORTING: '1'});
	env.PATH = `${path.dirname(release.bin!)}${path.delimiter}${env.PATH}`; // `claude` in a client's shell is this release.
	return {cwd, env, dir};
}

export const claude = (release: Claude, args: string[], world: {cwd: string; env: NodeJS.ProcessEnv}): Promise<CliResult> =>
	startCli(args, {command: [release.bin!], cwd: world.cwd, env: world.env, timeoutMs: 60_000}).exited;

/** `✓ Connected` / `✔ Connected` as this release prints it, for the table. */
export const said = (pattern: RegExp): string => `\`${pattern.source.replace(/^ - /, '').replace(/ — .*/, '')}\``;
