import {statSync} from 'node:fs';
import path from 'node:path';
import {expected} from '../option-error.js';
import {toText} from '../option-values.js';

/** `--watch` paths, resolved against `cwd`: each must exist now (a typo would watch nothing). */
export function toWatchPaths(value: unknown, cwd: string): string[] {
	if (value === undefined) {
		return [];
	}

	const given = typeof value === 'string' ? [value] : value;
	if (!Array.isArray(given)) {
		throw expected('--watch', 'a file or directory, like --watch src', value);
	}

	return given.map(item => {
		const text = toText(item, '--watch', 'a file or directory, like --watch src');
		const absolute = path.resolve(cwd, text);
		try {
			statSync(absolute);
		} catch {
			throw expected('--watch', 'an existing file or directory, like --watch src', text);
		}

		return absolute;
	});
}

/**
 * With the front door, mcp-launch listens on the server's URL itself: plain http on a
 * loopback address (the front door is for local clients; the server behind it may do anything).
 */
export function checkFrontDoorUrl(url: string, shownUrl = url): void {
	const {protocol, hostname} = new URL(url);
	if (protocol !== 'http:' || !(hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname))) {
		throw expected('--url', 'an http:// URL on a loopback host with --watch or --restart (mcp-launch listens there itself), like http://127.0.0.1:3000/mcp', shownUrl);
	}
}
