import {statSync} from 'node:fs';
import path from 'node:path';

/** What the lookup needs from the machine; injected, so the rules are tested anywhere. */
export type WindowsLookup = {
	/** The PATH value (`;`-separated). */
	path: string | undefined;
	/** The PATHEXT value; Windows' default when unset. */
	pathext: string | undefined;
	/** The directory a relative path is taken from. */
	cwd: string;
	/** Whether a regular file exists there (Windows file names are case-insensitive). */
	isFile: (file: string) => boolean;
};

const defaultPathext = '.COM;.EXE;.BAT;.CMD';

/** Whether a regular file is there (the lookup's `isFile` on the real machine). */
export function isFile(file: string): boolean {
	try {
		return statSync(file).isFile();
	} catch {
		return false;
	}
}

/** Batch files run under cmd.exe (their arguments need {@link batchCommand} quoting). */
export function isBatchFile(file: string): boolean {
	return /\.(?:bat|cmd)$/i.test(file);
}

/**
 * Resolve a command the way Windows finds a program, minus the current directory: `claude`
 * is `claude.cmd` (npm's shim), `node` is `node.exe`. A name with an extension listed in
 * PATHEXT is taken as it is; otherwise each PATHEXT extension is tried in order, in each PATH
 * directory in order. A file with no extension (npm's sh shim next to `claude.cmd`) is not a
 * Windows program and never matches. The current directory is not searched (cmd.exe and
 * CreateProcess would look there first): a cloned repository's `claude.bat` is never run.
 * Pure: undefined when not found.
 */
export function findWindowsExecutable(command: string, lookup: WindowsLookup): string | undefined {
	const extensions = (lookup.pathext || defaultPathext).split(';').filter(extension => extension.startsWith('.'));
	const listed = extensions.some(extension => command.toLowerCase().endsWith(extension.toLowerCase()));
	const candidates = (base: string) => (listed ? [base] : extensions.map(extension => base + extension.toLowerCase()));
	const find = (base: string) => candidates(base).find(candidate => lookup.isFile(candidate));
	if (/[\\/]/.test(command) || path.win32.isAbsolute(command)) {
		return find(path.win32.resolve(lookup.cwd, command));
	}

	for (const directory of (lookup.path ?? '').split(';')) {
		const trimmed = directory.trim().replace(/^"(.*)"$/, '$1'); // PATH entries may be quoted.
		if (trimmed !== '' && path.win32.isAbsolute(trimmed)) {
			const found = find(path.win32.join(trimmed, command));
			if (found) {
				return found;
			}
		}
	}

	return undefined;
}
