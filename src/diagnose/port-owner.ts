import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {groupMembers} from '../lifecycle/process-group.js';
import {defaultEvidenceSource, type EvidenceSource} from '../platform.js';
import {lsof} from './lsof.js';

export {parseLsof} from './lsof.js';

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

/** One LISTEN row of /proc/net/tcp or /proc/net/tcp6. */
export type ProcNetListener = {address: string; port: number; family: 4 | 6; inode: number};

const listenState = '0A';
const maxCommandLength = 200;

/** An IPv4 address as /proc prints it: one 32-bit word in host (little-endian) byte order. */
function ipv4FromHex(hex: string): string {
	const bytes = [0, 2, 4, 6].map(index => Number.parseInt(hex.slice(index, index + 2), 16));
	return bytes.reverse().join('.');
}

/** An IPv6 address as /proc prints it: four 32-bit words, each in little-endian byte order. */
function ipv6FromHex(hex: string): string {
	const bytes: number[] = [];
	for (let word = 0; word < 4; word++) {
		const chunk = hex.slice(word * 8, word * 8 + 8);
		bytes.push(...[6, 4, 2, 0].map(index => Number.parseInt(chunk.slice(index, index + 2), 16)));
	}

	const mapped = bytes.slice(0, 10).every(byte => byte === 0) && bytes[10] === 0xFF && bytes[11] === 0xFF;
	if (mapped) {
		return `::ffff:${bytes.slice(12).join('.')}`;
	}

	const groups = Array.from({length: 8}, (_, index) => ((bytes[index * 2]! << 8) | bytes[(index * 2) + 1]!).toString(16));
	// The WHATWG URL serializer writes the canonical (RFC 5952) compressed form.
	return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

/** Decode a `HEXADDR:HEXPORT` field of /proc/net/tcp{,6}. */
export function decodeProcAddress(field: string, family: 4 | 6): {address: string; port: number} | undefined {
	const [hexAddress, hexPort] = field.split(':');
	const length = family === 4 ? 8 : 32;
	if (hexAddress?.length !== length || !/^[\da-f]+$/i.test(hexAddress) || !hexPort || !/^[\da-f]{1,4}$/i.test(hexPort)) {
		return undefined;
	}

	return {address: family === 4 ? ipv4FromHex(hexAddress) : ipv6FromHex(hexAddress), port: Number.parseInt(hexPort, 16)};
}

/**
 * The LISTEN sockets (state 0A) in the text of /proc/net/tcp (family 4) or /proc/net/tcp6
 * (family 6), with their socket inodes. Pure.
 */
export function parseProcNetTcp(text: string, family: 4 | 6): ProcNetListener[] {
	const result: ProcNetListener[] = [];
	for (const line of text.split('\n')) {
		const fields = line.trim().split(/\s+/);
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
		if (fields.length < 10 || !/^\d+:$/.test(fields[0]!) || fields[3]?.toUpperCase() !== listenState) {
			continue;
		}

		const local = decodeProcAddress(fields[1]!, family);
		const inode = Number(fields[9]);
		if (local && Number.isInteger(inode)) {
			result.push({...local, family, inode});
		}
	}

	return result;
}

function readText(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function procListeners(): ProcNetListener[] {
	return [...parseProcNetTcp(readText('/proc/net/tcp'), 4), ...parseProcNetTcp(readText('/proc/net/tcp6'), 6)];
}

/** Socket inodes held open by one process (empty when it is gone or not ours to read). */
function socketInodes(pid: number): number[] {
	const inodes: number[] = [];
	let fds: string[];
	try {
		fds = readdirSync(`/proc/${pid}/fd`);
	} catch {
		return inodes;
	}

	for (const fd of fds) {
		try {
			const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
			if (match) {
				inodes.push(Number(match[1]));
			}
		} catch {
			// Closed in between.
		}
	}

	return inodes;
}

/** The command line of a process, from /proc/PID/cmdline. */
export function commandOf(pid: number): string | undefined {
	const text = readText(`/proc/${pid}/cmdline`).split('\0').filter(Boolean).join(' ');
	if (text === '') {
		return undefined;
	}

	return text.length > maxCommandLength ? `${text.slice(0, maxCommandLength)}…` : text;
}

function allPids(): number[] {
	try {
		return readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number);
	} catch {
		return [];
	}
}

/** inode → lowest pid holding it, for the wanted inodes only. */
function ownersOf(inodes: Set<number>, pids: number[]): Map<number, number> {
	const owners = new Map<number, number>();
	for (const pid of [...pids].sort((a, b) => a - b)) {
		for (const inode of socketInodes(pid)) {
			if (inodes.has(inode) && !owners.has(inode)) {
				owners.set(inode, pid);
			}
		}

		if (owners.size === inodes.size) {
			break;
		}
	}

	return owners;
}

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
 * macOS asks `lsof` when it is installed (its command is the executable's name only);
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

/** Whether a socket bound to `bound` accepts connections to `target` (wildcards and v4-mapped addresses included). */
export function addressCovers(bound: string, target: string): boolean {
	const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.)/i, '').toLowerCase();
	const b = plain(bound);
	const t = plain(target);
	if (b === t || b === '::') {
		return true;
	}

	return b === '0.0.0.0' && !t.includes(':');
}

/** `127.0.0.1:3000`, `[::1]:3000`. */
export function formatHostPort(address: string, port: number): string {
	return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** `pid 4242 (node old-server.js)`, or `an unknown process` when the owner is not visible. */
export function describeOwner(listener: Pick<Listener, 'pid' | 'command'>): string {
	if (listener.pid === undefined) {
		return 'a process mcp-launch cannot see (another user or container?)';
	}

	return listener.command ? `pid ${listener.pid} (${listener.command})` : `pid ${listener.pid}`;
}

/**
 * One line naming who holds a port, for PORT_IN_USE and EADDRINUSE messages:
 * `port 3000 is already in use by pid 4242 (node old-server.js) on 127.0.0.1:3000`.
 */
export function describePortOwners(port: number, found: readonly Listener[]): string {
	if (found.length === 0) {
		return `port ${port} is already in use (the owner could not be determined on this system)`;
	}

	const byOwner = new Map<string, string[]>();
	for (const listener of found) {
		const owner = describeOwner(listener);
		byOwner.set(owner, [...(byOwner.get(owner) ?? []), formatHostPort(listener.address, listener.port)]);
	}

	const parts = [...byOwner].map(([owner, addresses]) => `${owner} on ${addresses.join(', ')}`);
	return `port ${port} is already in use by ${parts.join('; ')}`;
}
