import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {connect, createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';

/**
 * A free loopback port that nothing else in the run will take while the test uses it.
 *
 * Not port 0: the kernel hands out ports from its ephemeral range to every `listen(0)` and every
 * outgoing connection, so a port a test picked that way and released (to give to a server,
 * or to probe "nothing listens here") can be taken by a concurrent spec's server or client in
 * between (seen: a spec's "nothing listens on P1" answered by another spec's server). Ports
 * are picked below the ephemeral range instead, which the kernel never hands out, and each is
 * reserved for this run with a file created O_EXCL (so two concurrent spec files never pick
 * the same one), then checked bindable.
 */
export async function freePort(): Promise<number> {
	const [bottom, top] = pickRange();
	for (let attempt = 0; attempt < 200; attempt++) {
		const port = bottom + Math.floor(Math.random() * (top - bottom));
		// eslint-disable-next-line no-await-in-loop
		if (reserve(port) && (await canBind(port))) {
			return port;
		}
	}

	throw new Error(`no free port in ${bottom}-${top}`);
}

/** Below the kernel's ephemeral range (Linux: /proc/sys/net/ipv4/ip_local_port_range), above the usual fixed ports. */
function pickRange(): [number, number] {
	let low = 32_768;
	try {
		low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
	} catch {}

	return [20_000, Math.max(20_100, Math.min(low, 32_768))];
}

const reservations = path.join(tmpdir(), 'mcp-launch-test-ports');
const mine = new Set<number>();
process.once('exit', () => {
	for (const port of mine) {
		rmSync(path.join(reservations, String(port)), {force: true});
	}
});

/** Reserve a port for this process: false when a live process holds it already. */
function reserve(port: number): boolean {
	if (mine.has(port)) {
		return false;
	}

	mkdirSync(reservations, {recursive: true});
	const file = path.join(reservations, String(port));
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			writeFileSync(file, String(process.pid), {flag: 'wx'});
			mine.add(port);
			return true;
		} catch {
			const holder = Number(readFileSync(file, 'utf8'));
			if (holderAlive(holder)) {
				return false;
			}

			rmSync(file, {force: true}); // Left by a run that was killed.
		}
	}

	return false;
}

function holderAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function canBind(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * True when nothing listens on 127.0.0.1:port: a connection is refused. (Trying to bind the
 * port instead would also fail when some unrelated outgoing connection of a concurrent test
 * happens to use it as its local ephemeral port, which says nothing about a leftover server.)
 */
export function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({host: '127.0.0.1', port});
		socket.once('connect', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
	});
}
