import {LaunchError} from '../errors.js';
import type {ResolvedOptions} from '../options.js';
import {messages} from './messages.js';

/** The client must exist and be executable before anything starts (127 / 126 otherwise). */
export function checkClient(command: string, plan: Pick<ResolvedOptions, 'cwd' | 'env' | 'os'>): void {
	if (command.includes('{')) {
		return; // A placeholder; checked once it is filled.
	}

	const check = plan.os.findClient(command, {cwd: plan.cwd, env: plan.env});
	if (check.status === 'not-found') {
		throw new LaunchError('CLIENT_NOT_FOUND', messages.clientNotFound(command), {details: {command}});
	}

	if (check.status === 'not-executable') {
		throw new LaunchError('CLIENT_NOT_EXECUTABLE', messages.clientNotExecutable(check.path), {details: {command, path: check.path}});
	}
}
