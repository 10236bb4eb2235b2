// Helpers for the workflow specs (test/e2e-workflow*.test.ts): optional third-party clients,
// a PATH with `mcp-launch` (and a fake `npx` / `claude`) on it, process groups read from /proc.
import {accessSync, constants, chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {CLI, ROOT, sq} from './cli.js';

export const EXAMPLES = path.join(ROOT, 'examples');

function isExecutable(file: string): boolean {
	try {
		accessSync(file, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

/**
 * An optional client's executable: the project's node_modules/.bin first, then PATH
 * (so a tool installed elsewhere can be tried with PATH=/somewhere/node_modules/.bin:$PATH).
 */
export function findTool(name: string): string | undefined {
	const dirs = [path.join(ROOT, 'node_modules', '.bin'), ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean)];
	for (const dir of dirs) {
		const file = path.join(dir, name);
		if (isExecutable(file)) return file;
	}
	return undefined;
}

/** Why a spec needing `tool` is skipped, or false when it can run. */
export function skipUnless(tool: string, pkg: string): string | false {
	return findTool(tool)
		? false
		: `${tool} not installed: npm install --save-dev ${pkg} (looked in node_modules/.bin and PATH)`;
}

/**
 * A temp bin dir to put first on PATH: `mcp-launch` runs the built CLI, and each extra entry
 * becomes an executable /bin/sh script with that body. `remove()` deletes it.
 */
export function binDir(scripts: Record<string, string> = {}): {dir: string; env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv; remove(): void} {
	const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-wf-bin-'));
	const all: Record<string, string> = {'mcp-launch': `exec ${sq(process.execPath)} ${sq(CLI)} "$@"`, ...scripts};
	for (const [name, body] of Object.entries(all)) {
		const file = path.join(dir, name);
		writeFileSync(file, `#!/bin/sh\n${body}\n`);
		chmodSync(file, 0o755);
	}
	return {
		dir,
		env: (extra = {}) => ({...process.env, ...extra, PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}`}),
		remove: () => rmSync(dir, {recursive: true, force: true}),
	};
}

/** A fake `npx` for editor configs: `npx [-y] mcp-launch ...` runs the built CLI, `npx [-y] mcp-remote ...` the installed bridge. */
export function fakeNpx(mcpRemote: string): string {
	return [
		'case $1 in -y|--yes) shift ;; esac',
		'case $1 in',
		`\tmcp-launch) shift; exec ${sq(process.execPath)} ${sq(CLI)} "$@" ;;`,
		`\tmcp-remote) shift; exec ${sq(mcpRemote)} "$@" ;;`,
		'\t*) echo "fake npx: unexpected package $1" >&2; exit 127 ;;',
		'esac',
	].join('\n');
}

export interface ProcInfo {
	pid: number;
	ppid: number;
	pgid: number;
	cmdline: string;
}

function procInfo(pid: number): ProcInfo | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
		const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
		return {pid, ppid: Number(fields[1]), pgid: Number(fields[2]), cmdline};
	} catch {
		return undefined;
	}
}

/** Live (non-zombie) members of a process group, from /proc. */
export function groupMembers(pgid: number): ProcInfo[] {
	const members: ProcInfo[] = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const info = procInfo(Number(name));
		if (info?.pgid === pgid) members.push(info);
	}
	return members;
}

/** The chain of ancestors of pid (pid first), up to but excluding stopAt (or pid 1). */
export function ancestors(pid: number, stopAt: number): ProcInfo[] {
	const chain: ProcInfo[] = [];
	let info = procInfo(pid);
	while (info && info.pid !== stopAt && info.pid > 1 && chain.length < 20) {
		chain.push(info);
		info = procInfo(info.ppid);
	}
	return chain;
}
