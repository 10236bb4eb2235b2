import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {runClientDirectly} from './direct-client.js';
import type {Os} from '../types.js';
import {spawnFallbackTree} from './fallback-tree.js';
import {startWin32Guardian} from './guardian.js';
import {spawnJobClient} from './job-client.js';
import {findWindowsExecutable, isFile} from './find-executable.js';
import {spawnJobTree} from './job-tree.js';
import {netstatListeners} from './netstat.js';

/** The job helper's file name, shipped in the package at dist/win32-x64/. */
export const jobHelperName = 'mcp-launch-job.exe';

/**
 * The shipped helper, found from this module upwards (dist/lib/os/win32/ for the library,
 * dist/chunks/ for the CLI bundle): the first `win32-x64/mcp-launch-job.exe` or
 * `dist/win32-x64/mcp-launch-job.exe` on the way up; undefined when it is not there.
 */
export function findJobHelper(from = path.dirname(fileURLToPath(import.meta.url))): string | undefined {
	for (let directory = from, level = 0; level < 6; level++, directory = path.dirname(directory)) {
		for (const candidate of [path.join(directory, 'win32-x64', jobHelperName), path.join(directory, 'dist', 'win32-x64', jobHelperName)]) {
			if (existsSync(candidate)) {
				return candidate;
			}
		}
	}

	return undefined;
}

export type Win32OsOptions = {
	/** The job helper; default: the shipped one. `false`: none (the fallback). */
	jobHelper?: string | false | undefined;
	/** %SystemRoot% and %ComSpec%: where netstat, taskkill and cmd are (default from the environment, read when created). */
	systemRoot?: string;
	comspec?: string;
	/** The node that runs the fallback's guardian; default this one. */
	node?: string;
};

/**
 * Windows: the server's tree in a Job Object through the job helper (its kernel-kept promise:
 * the tree ends when the helper's handle closes), listeners from netstat, the foreground rule
 * "stdin is a TTY". Without the helper: cmd.exe with `taskkill /T /F` and a detached guardian,
 * and `degraded` says so.
 */
export function createWin32Os(options: Win32OsOptions = {}): Os {
	const systemRoot = options.systemRoot ?? process.env.SystemRoot ?? 'C:\\Windows';
	const system32 = path.win32.join(systemRoot, 'System32');
	const helper = options.jobHelper === false ? undefined : (options.jobHelper ?? findJobHelper());
	const tools = {
		comspec: options.comspec ?? process.env.ComSpec ?? path.win32.join(system32, 'cmd.exe'),
		taskkill: path.win32.join(system32, 'taskkill.exe'),
		node: options.node ?? process.execPath,
	};
	const listeners = () => netstatListeners(systemRoot);
	const listenersOf = (pids: readonly number[]) => {
		const wanted = new Set(pids);
		return wanted.size === 0 ? [] : listeners().filter(listener => listener.pid !== undefined && wanted.has(listener.pid));
	};

	return {
		name: 'win32',
		shell: 'cmd',
		stopWords: {graceful: 'CTRL_BREAK', kill: 'TerminateJobObject', tree: 'the job of process'},
		findClient(command, {cwd, env}) {
			const found = findWindowsExecutable(command, {path: env.PATH ?? env.Path, pathext: env.PATHEXT, cwd, isFile});
			return found === undefined ? {status: 'not-found'} : {status: 'ok', path: found};
		},
		seesListeners: true,
		spawnTree: spawnOptions => (helper === undefined ? spawnFallbackTree(tools, spawnOptions, listenersOf) : spawnJobTree(helper, spawnOptions, listenersOf)),
		spawnClient: (argv, clientOptions) => (helper === undefined ? runClientDirectly(argv, {...clientOptions, comspec: tools.comspec, taskkill: tools.taskkill}) : spawnJobClient(helper, argv, {...clientOptions, comspec: tools.comspec})),
		startGuardian: () => startWin32Guardian(),
		listeners: port => listeners().filter(listener => listener.port === port),
		groupListeners: () => [],
		inTerminalForeground: stdinIsTty => stdinIsTty,
		degraded: helper === undefined
			? `the Windows job helper (${jobHelperName}) is missing: the server's tree is ended with taskkill /T /F, which misses processes that left the tree, and has no graceful stop`
			: undefined,
	};
}
