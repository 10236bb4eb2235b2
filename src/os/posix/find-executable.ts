import {accessSync, constants, statSync} from 'node:fs';
import path from 'node:path';
import type {ExecutableCheck} from '../types.js';

function check(candidate: string): ExecutableCheck {
	try {
		if (statSync(candidate).isDirectory()) {
			return {status: 'not-executable', path: candidate};
		}
	} catch {
		return {status: 'not-found'};
	}

	try {
		accessSync(candidate, constants.X_OK);
		return {status: 'ok', path: candidate};
	} catch {
		return {status: 'not-executable', path: candidate};
	}
}

/**
 * Resolve a command the way execvp does (a name with a slash is a path, otherwise each
 * PATH entry in turn), so a typo in the client is reported before the server starts.
 */
export function findExecutable(command: string, {cwd, pathEnv}: {cwd: string; pathEnv: string | undefined}): ExecutableCheck {
	if (command.includes('/')) {
		return check(path.resolve(cwd, command));
	}

	let firstNotExecutable: ExecutableCheck | undefined;
	for (const directory of (pathEnv ?? '').split(path.delimiter)) {
		const result = check(path.resolve(cwd, directory || '.', command));
		if (result.status === 'ok') {
			return result;
		}

		if (result.status === 'not-executable') {
			firstNotExecutable ??= result;
		}
	}

	return firstNotExecutable ?? {status: 'not-found'};
}
