// The one place an OS implementation is chosen. Everything else gets an `Os` and asks it.
import {createLsofOs} from './lsof/index.js';
import {defaultOsName} from './name.js';
import {blindEvidence, createPosixOs} from './posix/posix-os.js';
import {createProcfsOs} from './procfs/index.js';
import type {Os, OsName} from './types.js';
import {createWin32Os} from './win32/index.js';

export type {Os, OsName} from './types.js';

const made = new Map<string, Os>();

/**
 * The implementation by name (default: this machine's, from `process.platform`, read now).
 * An unsupported platform reached through the library gets process groups and the guardian
 * with no evidence (no listeners, no zombie check).
 */
export function osFor(name: OsName | undefined = defaultOsName()): Os {
	const key = name ?? 'blind';
	let os = made.get(key);
	if (!os) {
		os = name === 'procfs' ? createProcfsOs() : (name === 'lsof' ? createLsofOs() : (name === 'win32' ? createWin32Os() : createPosixOs('lsof', blindEvidence, false)));
		made.set(key, os);
	}

	return os;
}
