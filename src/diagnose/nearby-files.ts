// The evidence gatherer for a missing file the server was started with (`node mcp-servr.js`):
// does its directory exist, and which names in it are close (a typo, another extension).
import {readdirSync} from 'node:fs';
import path from 'node:path';
import type {FileLook} from './crash.js';

/** Edit distance, for "did you mean"; names here are short. */
function distance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
		}

		previous = current;
	}

	return previous[b.length]!;
}

const stem = (name: string) => name.replace(/\.[cm]?[jt]sx?$/, '');

/** The names in `file`'s directory that look like a typo of it or the same name with another extension, closest first (at most 3). */
export function closeNames(name: string, names: readonly string[]): string[] {
	const limit = Math.max(1, Math.min(3, Math.floor(name.length / 4)));
	return names
		.map(other => ({other, score: stem(other) === stem(name) ? 0 : distance(other, name)}))
		.filter(({other, score}) => other !== name && score <= limit)
		.sort((a, b) => a.score - b.score || a.other.localeCompare(b.other))
		.slice(0, 3)
		.map(({other}) => other);
}

/** What is on disk next to a file that does not exist: read once, after a crash. */
export function lookFor(file: string): FileLook {
	const directory = path.dirname(file);
	try {
		const names = readdirSync(directory);
		return {directory: true, close: closeNames(path.basename(file), names).map(name => path.join(directory, name))};
	} catch {
		return {directory: false, close: []};
	}
}
