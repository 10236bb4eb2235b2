import {lstatSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Guardian, ProcessTree} from '../types.js';

/** Whether `dir` is a directory mcp-launch made with mkdtemp for {mcp-config} (Windows: no owner or mode to check). */
export function isOwnTempDirWin32(dir: string, parent: string = tmpdir()): boolean {
	// eslint-disable-next-line no-control-regex
	if (!path.win32.isAbsolute(dir) || /[\u0000-\u001F\u007F]/.test(dir) || path.win32.dirname(dir).toLowerCase() !== path.win32.resolve(parent).toLowerCase() || !/^mcp-launch-[A-Za-z\d]{6}$/.test(path.win32.basename(dir))) {
		return false;
	}

	const stat = lstatSync(dir, {throwIfNoEntry: false});
	return stat !== undefined && stat.isDirectory() && !stat.isSymbolicLink();
}

/**
 * On Windows every tree's job helper is its own guardian (the kernel ends its job when the
 * helper's handle closes, and the client's helper dies with mcp-launch): what is left to tell
 * is the {mcp-config} directory, handed to every server's helper (the first to outlive
 * mcp-launch removes it).
 */
export function startWin32Guardian(): Guardian {
	const trees: Array<Pick<ProcessTree, 'removeOnOrphan'>> = [];
	let directory: string | undefined;
	return {
		pid: undefined,
		addTree(tree) {
			trees.push(tree);
			if (directory !== undefined) {
				tree.removeOnOrphan(directory);
			}
		},
		setClient() {},
		setGrace() {}, // Each job ends at once when its helper's pipe closes: there is no grace to keep.
		setTempDir(dir) {
			if (!isOwnTempDirWin32(dir)) {
				throw new Error(`refusing to hand the job helper \`${JSON.stringify(dir)}\`: not a private directory mcp-launch created`);
			}

			directory = dir;
			for (const tree of trees) {
				tree.removeOnOrphan(dir);
			}
		},
		dismiss() {},
	};
}
