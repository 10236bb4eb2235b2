// Who listens on a TCP port on Windows: `netstat -ano`, parsed. The words of its output are
// translated (the title, the column headers and the state: LISTENING, ABHÖREN, ESCUCHANDO…, and
// under a mismatched console code page ABH™REN), so nothing here reads a word: a listener is a
// TCP row whose foreign address is the wildcard with port 0, which no locale changes.
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import type {Listener} from '../types.js';

const row = /^\s*TCP\s+(\S+)\s+(\S+)\s+(?:\S.*?\s+)?(\d+)\s*$/i;
const wildcardRemote = new Set(['0.0.0.0:0', '[::]:0', '*:*']);

/** `127.0.0.1:3000`, `[::1]:3000`, `[fe80::1%12]:5357` → address (brackets and zone dropped) and port. */
function splitAddress(text: string): {address: string; family: 4 | 6; port: number} | undefined {
	const match = /^(?:\[([^\]]+)\]|([\d.]+)):(\d{1,5})$/.exec(text);
	if (!match) {
		return undefined;
	}

	const port = Number(match[3]);
	if (port < 1 || port > 65_535) {
		return undefined;
	}

	return match[1] === undefined ? {address: match[2]!, family: 4, port} : {address: match[1].replace(/%.*$/, ''), family: 6, port};
}

/** The LISTEN rows of `netstat -ano` (any locale, IPv4 and IPv6), with their pids. Pure. */
export function parseNetstat(text: string): Listener[] {
	const result: Listener[] = [];
	for (const line of text.split(/\r?\n/)) {
		const match = row.exec(line);
		if (!match || !wildcardRemote.has(match[2]!)) {
			continue;
		}

		const local = splitAddress(match[1]!);
		if (local) {
			result.push({...local, pid: Number(match[3])});
		}
	}

	return result;
}

/**
 * `netstat -ano` (every protocol: `-p TCP` alone would leave out IPv6 listeners, and a second
 * run for `-p TCPv6` costs another process). Empty when netstat cannot run or shows nothing
 * (Wine's netstat lists no listeners and no pids). Read as latin1: only ASCII fields are used.
 * By its full path: a bare name would be looked up in the current directory first. Synchronous,
 * as /proc and lsof are (the diagnosis rules take listeners as a plain function), bounded at 5 s.
 */
export function netstatListeners(systemRoot: string): Listener[] {
	try {
		return parseNetstat(execFileSync(path.win32.join(systemRoot, 'System32', 'netstat.exe'), ['-ano'], {encoding: 'latin1', timeout: 5_000, windowsHide: true, stdio: ['ignore', 'pipe', 'ignore']}));
	} catch {
		return [];
	}
}
