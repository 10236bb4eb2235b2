// macOS: sockets and live group members from lsof (Debian's lsof prints the same -F fields, so
// this path runs on Linux in the specs), the foreground rule from the TTY on stdin.
import {createPosixOs} from '../posix/posix-os.js';
import type {PosixEvidence} from '../posix/evidence.js';
import type {Os} from '../types.js';
import {groupListeners, liveGroupMembers, portListeners} from './lsof.js';

export const lsofEvidence: PosixEvidence = {
	liveMembers: liveGroupMembers,
	liveMembersEveryMs: 100, // lsof costs a process spawn (tens of ms).
	portListeners,
	groupListeners,
	// macOS has no /proc to walk: the client's tree is the client alone (its direct signal).
	descendants: pid => [{pid, start: undefined}],
	startOf: () => undefined,
	// Wrong only for a job put in the background of an interactive shell and sent SIGINT by hand:
	// that one is then left to the client.
	inTerminalForeground: stdinIsTty => stdinIsTty,
};

export const createLsofOs = (): Os => createPosixOs('lsof', lsofEvidence);
