// Reading Linux's own account of TCP listeners: the LISTEN rows of /proc/net/tcp{,6} and
// which process holds each socket inode (/proc/PID/fd), plus /proc/PID/cmdline.
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import type {Listener} from '../types.js';

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

/** Every LISTEN socket the system shows, IPv4 and IPv6, with its inode. */
export function procListeners(): ProcNetListener[] {
	return [...parseProcNetTcp(readText('/proc/net/tcp'), 4), ...parseProcNetTcp(readText('/proc/net/tcp6'), 6)];
}

/** Socket inodes held open by one process (empty when it is gone or not ours to read). */
export function socketInodes(pid: number): number[] {
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

/** Every pid in /proc (empty when /proc cannot be read). */
export function allPids(): number[] {
	try {
		return readdirSync('/proc').filter(name => /^\d+$/.test(name)).map(Number);
	} catch {
		return [];
	}
}

/** inode → lowest pid holding it, for the wanted inodes only. */
export function ownersOf(inodes: Set<number>, pids: number[]): Map<number, number> {
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

/** Every LISTEN socket on a port (all families and addresses), with the owner's pid and command line. */
export function portListeners(port: number): Listener[] {
	const sockets = procListeners().filter(socket => socket.port === port);
	if (sockets.length === 0) {
		return [];
	}

	const owners = ownersOf(new Set(sockets.map(socket => socket.inode)), allPids());
	return sockets.map(socket => withOwner(socket, owners.get(socket.inode)));
}

/** The LISTEN sockets held by these processes (the lowest pid when several hold one). */
export function listenersOf(pids: readonly number[]): Listener[] {
	if (pids.length === 0) {
		return [];
	}

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
