import {findExecutable} from '../client/find-executable.js';
import {LaunchError} from '../errors.js';
import type {ResolvedOptions} from '../options.js';
import {messages} from './messages.js';

/** The client must exist and be executable before anything starts (127 / 126 otherwise). */
export function checkClient(command: string, plan: Pick<ResolvedOptions, 'cwd' | 'env'>): void {
	if (command.includes('{')) {
		return; // A placeholder; checked once it is filled.
	}

	const check = findExecutable(command, {cwd: plan.cwd, pathEnv: plan.env.PATH});
	if (check.status === 'not-found') {
		throw new LaunchError('CLIENT_NOT_FOUND', messages.clientNotFound(command), {details: {command}});
	}

	if (check.status === 'not-executable') {
		throw new LaunchError('CLIENT_NOT_EXECUTABLE', messages.clientNotExecutable(check.path), {details: {command, path: check.path}});
	}
}
