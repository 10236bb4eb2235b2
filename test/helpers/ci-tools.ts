// Tools .ci/run fetches into its cache (.ci/fetch, versions in .ci/versions) rather than into
// node_modules: today's Claude Code (a ~390 MB native binary) and the MCP Inspector 2.x CLI.
// A spec that needs one runs it from the cache, and skips, saying how to fetch it, when it is not there.
import {accessSync, constants, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {ROOT} from './cli.js';

/** .ci/versions: KEY=VALUE lines. */
export const ciVersions: Readonly<Record<string, string>> = Object.fromEntries(
	readFileSync(path.join(ROOT, '.ci', 'versions'), 'utf8')
		.split('\n')
		.map((line) => /^([A-Z0-9_]+)=(\S+)$/.exec(line.trim()))
		.filter((match): match is RegExpExecArray => match !== null)
		.map((match) => [match[1]!, match[2]!]),
);

/** The cache directory, as .ci/fetch computes it. */
export function ciCache(): string {
	return process.env.MCP_LAUNCH_CI_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'mcp-launch-ci');
}

const tools = {
	'claude-code': {key: 'CLAUDE_CODE', file: ['bin', 'claude']},
	inspector: {key: 'INSPECTOR', file: ['node_modules', '.bin', 'mcp-inspector']},
} as const;

export type CiTool = keyof typeof tools;

/** The pinned version of a cached tool. */
export const ciVersion = (tool: CiTool): string => ciVersions[tools[tool].key]!;

/** The executable of a cached tool, or undefined when .ci/fetch has not fetched it. */
export function ciTool(tool: CiTool): string | undefined {
	const file = path.join(ciCache(), `${tool}-${ciVersion(tool)}`, ...tools[tool].file);
	try {
		accessSync(file, constants.X_OK);
		return file;
	} catch {
		return undefined;
	}
}

/** Why a spec needing a cached tool is skipped (false: it can run). */
export function skipUnlessFetched(tool: CiTool): string | false {
	return ciTool(tool) ? false : `${tool} ${ciVersion(tool)} is not fetched: .ci/fetch ${tool} ${ciVersion(tool)} (.ci/run does)`;
}

/** Whether this Node is at least `wanted` (`22.19.0`). */
export function nodeAtLeast(wanted: string): boolean {
	const have = process.versions.node.split('.').map(Number);
	const want = wanted.split('.').map(Number);
	for (let index = 0; index < 3; index++) {
		if ((have[index] ?? 0) !== (want[index] ?? 0)) return (have[index] ?? 0) > (want[index] ?? 0);
	}
	return true;
}
