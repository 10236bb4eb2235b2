import {launchCommand} from './cli/launch-command.js';
import type {Prespawned} from './early-spawn.js';
import type {OsName} from './os/types.js';

/** The whole CLI: argv in, exit code out. Only cli.ts exits the process. */
export async function main(argv: string[], version: string, source: OsName, prespawned?: Prespawned): Promise<number> {
	switch (argv[0]) {
		case 'wait': {
			const {waitCommand} = await import('./cli/wait-command.js');
			return waitCommand(argv.slice(1), version);
		}

		case 'doctor': {
			const {doctorCommand} = await import('./cli/doctor-command.js');
			return doctorCommand(argv.slice(1), version, source);
		}

		default: {
			return launchCommand(argv, version, source, undefined, prespawned);
		}
	}
}
