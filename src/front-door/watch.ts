import {type FSWatcher, readdirSync, statSync, watch} from 'node:fs';
import path from 'node:path';
import {frontDoor} from '../defaults.js';

/**
 * `--watch <path>`: tell once per burst of changes which files changed under the paths.
 *
 * Why not `fs.watch(dir, {recursive: true})`: it works on Linux since Node 20 (checked on
 * 20.20), but there it is a JavaScript walk that opens a watch on every file and directory,
 * `node_modules` and `.git` included, with no way to skip them (tens of thousands of inotify
 * watches for a `--watch .`). Here: one non-recursive `fs.watch` per directory (inotify on
 * Linux, FSEvents on macOS), the ignored names never entered, new directories picked up as they
 * appear. That is what chokidar does on Linux too; it is not worth a dependency.
 */
export type Watcher = {close(): void};

export type WatchOptions = {
	/** Called with the changed paths (absolute) once they were quiet for `quietMs`. */
	onChange: (files: string[]) => void;
	/** Files never reported (the --server-log file: the server writes it). */
	ignoreFiles?: readonly string[];
	quietMs?: number;
	maxWaitMs?: number;
};

/** Editors' swap, backup and lock files, and vim's `4913` write probe. */
const editorNoise = /(?:^|[\\/])(?:\.#[^\\/]*|4913|[^\\/]*(?:~|\.sw[a-p]|\.tmp))$/;

export function isIgnored(file: string): boolean {
	return file.split(/[\\/]/).some(part => (frontDoor.ignoredNames as readonly string[]).includes(part)) || editorNoise.test(file);
}

/** Watch each path (a directory, recursively, or a file). Paths must exist (checked by the options). */
export function watchPaths(paths: readonly string[], options: WatchOptions): Watcher {
	const watchers = new Map<string, FSWatcher>();
	const ignored = new Set(options.ignoreFiles?.map(file => path.resolve(file)));
	const changed = new Set<string>();
	let quiet: NodeJS.Timeout | undefined;
	let firstAt = 0;
	let closed = false;

	const flush = () => {
		quiet = undefined;
		// Files that still exist first: a temporary file an editor renamed over the real one is noise.
		const files = [...changed].sort((a, b) => Number(exists(b)) - Number(exists(a)));
		changed.clear();
		if (!closed && files.length > 0) {
			options.onChange(files);
		}
	};

	const report = (file: string) => {
		if (closed || ignored.has(file) || isIgnored(file)) {
			return;
		}

		if (changed.size === 0) {
			firstAt = performance.now();
		}

		changed.add(file);
		clearTimeout(quiet);
		const waited = performance.now() - firstAt;
		quiet = setTimeout(flush, Math.max(0, Math.min(options.quietMs ?? frontDoor.quietMs, (options.maxWaitMs ?? frontDoor.maxQuietWaitMs) - waited)));
	};

	const watchDirectory = (directory: string, only?: string) => {
		const key = only ?? directory;
		if (closed || watchers.has(key) || isIgnored(directory)) {
			return;
		}

		let watcher: FSWatcher;
		try {
			watcher = watch(directory, {persistent: false}, (_type, name) => {
				if (name === null) {
					return;
				}

				const file = path.join(directory, name.toString());
				if (only !== undefined && file !== only) {
					return;
				}

				report(file);
				if (only === undefined && isDirectory(file)) {
					walk(file); // A new directory: watch it (and what is already in it) too.
				}
			});
		} catch {
			return; // Gone already, or not readable: nothing to watch there.
		}

		watcher.on('error', () => {
			watcher.close(); // The directory was removed.
			watchers.delete(key);
		});
		watchers.set(key, watcher);
	};

	const walk = (directory: string) => {
		watchDirectory(directory);
		let entries;
		try {
			entries = readdirSync(directory, {withFileTypes: true});
		} catch {
			return;
		}

		for (const entry of entries) {
			if (entry.isDirectory() && !isIgnored(entry.name)) {
				walk(path.join(directory, entry.name));
			}
		}
	};

	for (const given of paths) {
		const absolute = path.resolve(given);
		if (isDirectory(absolute)) {
			walk(absolute);
		} else {
			// A file: watch its directory for that name, so an editor's save by rename is seen too.
			watchDirectory(path.dirname(absolute), absolute);
		}
	}

	return {
		close() {
			closed = true;
			clearTimeout(quiet);
			for (const watcher of watchers.values()) {
				watcher.close();
			}

			watchers.clear();
		},
	};
}

function exists(file: string): boolean {
	try {
		statSync(file);
		return true;
	} catch {
		return false;
	}
}

function isDirectory(file: string): boolean {
	try {
		return statSync(file).isDirectory();
	} catch {
		return false;
	}
}
