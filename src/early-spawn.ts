import type {ChildProcess} from 'node:child_process';
import {defaults} from './defaults.js';
import {startGuardian} from './os/posix/guardian.js';
import {type HeldShellSpec, spawnHeldShell} from './os/posix/held-shell.js';
import type {Guardian} from './os/types.js';
import {expandServerCommand} from './workflow/npm-script.js';

/**
 * The CLI's first step on Linux and macOS, before anything heavy loads (it takes the Unix
 * implementation's parts of the OS seam directly: os/index.ts would load all three): when the argv is of the plainest kind,
 * spawn each server's shell held (it runs nothing until released) and the guardian, so both
 * spawns are off the way to the server's start. It only guesses: the full parse (yargs-parser
 * on the flag table, then launch()'s checks) stays the source of truth. launch() adopts a held
 * shell whose command, cwd and env are exactly the ones it would spawn, and releases it once the
 * guardian knows its group; anything not adopted is cancelled unreleased (its shell reads EOF
 * and exits without running the command).
 */
export type Prespawned = {
	/** The held shell for exactly this command, cwd and env, once; undefined if there is none. */
	take(spec: HeldShellSpec): ChildProcess | undefined;
	/** The guardian started with them (its grace is the default until told otherwise), once. */
	takeGuardian(): Guardian | undefined;
	/** End whatever was not taken: held shells unreleased, the guardian dismissed. */
	cancel(): void;
};

/** The flags this step understands, and only in their plainest forms; anything else means no early spawn. */
export const valued: Readonly<Record<string, string>> = {s: 'server', server: 'server', u: 'url', url: 'url', p: 'port', port: 'port', name: 'name', timeout: 'timeout', 'kill-timeout': 'kill-timeout', probe: 'probe', H: 'header', header: 'header', 'on-server-exit': 'on-server-exit', 'log-level': 'log-level', 'log-format': 'log-format'};
export const switches: ReadonlySet<string> = new Set(['q', 'quiet', 'v', 'verbose', 'strict', 'insecure']);

/**
 * The server commands and ports of an argv like `-s "node server.js" -p 3000 -- client`, or
 * undefined when the argv holds anything this step does not fully understand: a subcommand, an
 * unknown or newer flag (--from, --reuse, --server-log, --watch, …), `-p auto`, a placeholder in
 * a server command, combined short flags, a value that starts with `-`, no client. Pure.
 */
export function plainServers(argv: readonly string[]): Array<{command: string; port: string | undefined; url: string}> | undefined {
	const commands: string[] = [];
	const ports: string[] = [];
	const urls: string[] = [];
	let client = false;
	for (let index = 0; index < argv.length; index++) {
		const word = argv[index]!;
		if (word === '--' || !word.startsWith('-') || word === '-') {
			client = argv.length > (word === '--' ? index + 1 : index) && !(index === 0 && (word === 'wait' || word === 'doctor'));
			break;
		}

		const long = word.startsWith('--');
		const equals = long ? word.indexOf('=') : -1;
		const name = long ? word.slice(2, equals === -1 ? undefined : equals) : (word.length === 2 ? word[1]! : '');
		if (switches.has(name) && equals === -1) {
			continue;
		}

		const flag = valued[name];
		const value = equals === -1 ? argv[++index] : word.slice(equals + 1);
		if (flag === undefined || value === undefined || value.startsWith('-')) {
			return undefined;
		}

		if (flag === 'server') {
			commands.push(value);
		} else if (flag === 'port') {
			ports.push(value);
		} else if (flag === 'url') {
			urls.push(value);
		}
	}

	const plain = client && commands.length > 0 && ports.length <= commands.length && urls.length <= commands.length
		&& commands.every(command => !command.includes('{') && command.trim() !== '' && command.length <= plainCommandLength) && ports.every(port => /^[1-9]\d{0,4}$/.test(port))
		&& urls.every(url => plainUrl.test(url));
	if (!plain) {
		return undefined;
	}

	// The URL each server gets as MCP_SERVER_URL, as launch() will write it (a plain one needs no
	// encoding); one the URL parser refuses (port 70000) is for the full parse to report.
	const servers = commands.map((command, index) => {
		const url = urls[index] ?? (ports[index] === undefined ? defaults.url : defaults.portUrl.replace('{port}', ports[index]!));
		return {command: expandServerCommand(command), port: ports[index], url: URL.canParse(url) ? new URL(url).href : ''};
	});
	return servers.every(server => server.url !== '') ? servers : undefined;
}

/** Longer commands are left to the full parse, which checks them against the system's argument limit. */
const plainCommandLength = 65_536;

/** A URL with nothing to encode or check at length: http(s), a name or IPv4 host, a port, a plain path. */
const plainUrl = /^https?:\/\/[a-z\d.-]+(?::[1-9]\d{0,4})?(?:\/[\w.~/-]*)?$/i;

/** Same command, cwd and env (compared by value). */
function sameSpec(a: HeldShellSpec, b: HeldShellSpec): boolean {
	if (a.command !== b.command || a.cwd !== b.cwd) {
		return false;
	}

	const keys = Object.keys(a.env).filter(key => a.env[key] !== undefined);
	return keys.length === Object.keys(b.env).filter(key => b.env[key] !== undefined).length && keys.every(key => a.env[key] === b.env[key]);
}

/** Spawn what {@link plainServers} finds, held, and the guardian; undefined when the argv is not plain. */
export function spawnEarly(argv: readonly string[], cwd: string, env: Record<string, string | undefined>): Prespawned | undefined {
	const servers = plainServers(argv);
	if (servers === undefined) {
		return undefined;
	}

	const held: Array<{spec: HeldShellSpec; child: ChildProcess; taken: boolean; failed: () => boolean}> = [];
	for (const {command, port, url} of servers) {
		const spec: HeldShellSpec = {command, cwd, env: {...env, MCP_SERVER_URL: url, ...(port === undefined ? {} : {PORT: port})}};
		let child: ChildProcess;
		try {
			child = spawnHeldShell(spec);
		} catch {
			// E2BIG, say: nothing early at all; launch() spawns afresh and reports it.
			for (const item of held) {
				item.child.stdin?.end();
			}

			return undefined;
		}

		let failed = false;
		child.once('error', () => {
			failed = true; // No /bin/sh, a bad cwd: launch() spawns afresh and reports it.
		});
		held.push({spec, child, taken: false, failed: () => failed || child.exitCode !== null || child.signalCode !== null});
	}

	let guardian: Guardian | undefined = startGuardian(defaults.killTimeoutMs);
	return {
		take(spec) {
			const found = held.find(item => !item.taken && !item.failed() && sameSpec(item.spec, spec));
			if (found) {
				found.taken = true;
			}

			return found?.child;
		},
		takeGuardian() {
			const taken = guardian;
			guardian = undefined;
			return taken;
		},
		cancel() {
			for (const item of held.filter(item => !item.taken)) {
				item.taken = true;
				item.child.stdin?.end(); // EOF: the shell's read fails and it exits, the command never run.
			}

			guardian?.dismiss();
			guardian = undefined;
		},
	};
}
