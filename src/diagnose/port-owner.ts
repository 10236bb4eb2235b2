// Who listens on a TCP port, and which ports a process tree listens on: /proc on Linux
// (proc-net.ts), lsof on macOS (lsof.ts). The wording helpers live in port-owner-text.ts;
// everything stays importable from here.
import {groupMembers} from '../lifecycle/process-group.js';
import {defaultEvidenceSource, type EvidenceSource} from '../platform.js';
import {lsof} from './lsof.js';
import {allPids, commandOf, ownersOf, type ProcNetListener, procListeners, socketInodes} from './proc-net.js';

export {parseLsof} from './lsof.js';
export {type ProcNetListener, commandOf, decodeProcAddress, parseProcNetTcp} from './proc-net.js';
export {addressCovers, describeOwner, describePortOwners, formatHostPort} from './port-owner-text.js';

/** A TCP socket in LISTEN state, and the process that owns it when that can be found out. */
export type Listener = {
	/** The bound address: `127.0.0.1`, `::1`, `0.0.0.0`, `::`, `::ffff:127.0.0.1`. */
	address: string;
	port: number;
	family: 4 | 6;
	/** The owning process (the lowest pid when several share the socket after a fork). */
	pid?: number;
	/** Its command line, arguments joined by spaces. */
	command?: string;
};

function withOwner(socket: ProcNetListener, pid: number | undefined): Listener {
	const listener: Listener = {address: socket.address, port: socket.port, family: socket.family};
	if (pid !== undefined) {
		listener.pid = pid;
		const command = commandOf(pid);
		if (command !== undefined) {
			listener.command = command;
		}
	}

	return listener;
}

export type PortOwnerOptions = {
	/** Where to look: /proc (`procfs`, Linux) or `lsof` (macOS). Default from `process.platform`; none (empty answers) elsewhere. */
	source?: EvidenceSource | undefined;
};

/**
 * Who listens on a TCP port: every LISTEN socket bound to it (all families and addresses),
 * with the owning pid and command line when they can be found. Linux reads /proc;
 * macOS asks `lsof` when it is installed (and `ps` for the command line);
 * elsewhere the result is empty (unknown).
 *
 * @example
 * listeners(3000) // [{address: '127.0.0.1', port: 3000, family: 4, pid: 4242, command: 'node old-server.js'}]
 */
export function listeners(port: number, {source = defaultEvidenceSource()}: PortOwnerOptions = {}): Listener[] {
	if (source === 'procfs') {
		const sockets = procListeners().filter(socket => socket.port === port);
		if (sockets.length === 0) {
			return [];
		}

		const owners = ownersOf(new Set(sockets.map(socket => socket.inode)), allPids());
		return sockets.map(socket => withOwner(socket, owners.get(socket.inode)));
	}

	if (source === 'lsof') {
		return lsof(['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpcnt']).filter(listener => listener.port === port);
	}

	return [];
}

/**
 * The LISTEN sockets owned by a set of processes, such as the members of the server's
 * process group: "the ports the server's tree listens on". Linux (/proc) and macOS (lsof).
 */
export function listeningPortsOf(pids: readonly number[], {source = defaultEvidenceSource()}: PortOwnerOptions = {}): Listener[] {
	if (pids.length === 0) {
		return [];
	}

	if (source === 'procfs') {
		const owners = new Map<number, number>();
		for (const pid of [...pids].sort((a, b) => a - b)) {
			for (const inode of socketInodes(pid)) {
				if (!owners.has(inode)) {
					owners.set(inode, pid);
				}
			}
		}

		return procListeners().filter(socket => owners.has(socket.inode)).map(socket => withOwner(socket, owners.get(socket.inode)));
	}

	if (source === 'lsof') {
		return lsof(['-nP', '-a', `-p${pids.join(',')}`, '-iTCP', '-sTCP:LISTEN', '-Fpcnt']);
	}

	return [];
}

/**
 * The LISTEN sockets of every live process in a process group (the server's whole tree:
 * `sh -c` → npm → node). Linux reads /proc; macOS asks `lsof -g`.
 */
export function listeningPortsOfGroup(pgid: number, {source = defaultEvidenceSource()}: PortOwnerOptions = {}): Listener[] {
	if (source === 'procfs') {
		let pids: number[];
		try {
			pids = groupMembers(pgid).map(member => member.pid);
		} catch {
			return [];
		}

		return listeningPortsOf(pids, {source});
	}

	if (source === 'lsof') {
		return lsof(['-nP', '-a', `-g${pgid}`, '-iTCP', '-sTCP:LISTEN', '-Fpcnt']);
	}

	return [];
}
