import {findExecutable} from './find-executable.js';
import type {Os, OsName} from '../types.js';
import type {PosixEvidence} from './evidence.js';
import {spawnGroupTree} from './group-tree.js';
import {startGuardian} from './guardian.js';
import {runClient} from './run-client.js';

/** A Unix implementation: process groups, signals and the /bin/sh guardian, with its evidence. */
export function createPosixOs(name: OsName, evidence: PosixEvidence, seesListeners = true): Os {
	return {
		name,
		shell: 'sh',
		stopWords: {graceful: 'SIGTERM', kill: 'SIGKILL', tree: 'process group'},
		findClient: (command, {cwd, env}) => findExecutable(command, {cwd, pathEnv: env.PATH}),
		seesListeners,
		spawnTree: options => spawnGroupTree(options, evidence, options.adopt),
		spawnClient: (argv, options) => runClient(argv, options, evidence),
		startGuardian,
		listeners: port => evidence.portListeners(port),
		groupListeners: pgid => evidence.groupListeners(pgid),
		inTerminalForeground: stdinIsTty => evidence.inTerminalForeground(stdinIsTty),
		degraded: undefined,
	};
}

/**
 * A Unix the library was asked to run on without an implementation of its own (neither Linux
 * nor macOS): process groups and the guardian work; nothing about sockets or zombies can be told.
 */
export const blindEvidence: PosixEvidence = {
	liveMembers: () => undefined,
	liveMembersEveryMs: 0,
	portListeners: () => [],
	groupListeners: () => [],
	descendants: pid => [{pid, start: undefined}],
	startOf: () => undefined,
	inTerminalForeground: stdinIsTty => stdinIsTty,
};
