import {constants} from 'node:os';

export type ClientExit = {
	/** The exit code mcp-launch passes on: the client's own, or 128+N when it died of signal N. */
	exitCode: number;
	/** The client's own exit code, when it exited normally. */
	code: number | undefined;
	/** The signal that ended the client, if any. */
	signal: string | undefined;
	/** Set when the client could not be started: ENOENT, EACCES, ... */
	spawnError?: {code: string; message: string};
};

export type RunningClient = {
	readonly pid: number | undefined;
	readonly exited: Promise<ClientExit>;
	kill(signal: NodeJS.Signals): void;
};

let execaModule: Promise<typeof import('execa')> | undefined;

/** Load execa once; called early (while the server boots) so the client starts without that cost. */
export async function loadExeca(): Promise<typeof import('execa')> {
	execaModule ??= import('execa');
	return execaModule;
}

/** 128 + the signal's number, as shells report a death by signal. */
export function signalExitCode(signal: string): number {
	const number = (constants.signals as Record<string, number>)[signal];
	return 128 + (number ?? 15);
}

/**
 * Run the client in the foreground: argv verbatim (no shell), stdio inherited (it owns the
 * terminal), in mcp-launch's own process group so a Ctrl-C typed there reaches it directly.
 */
export async function runClient(argv: readonly [string, ...string[]], options: {cwd: string; env: Record<string, string | undefined>}): Promise<RunningClient> {
	const [file, ...args] = argv;
	const {execa} = await loadExeca();
	const subprocess = execa(file, args, {
		cwd: options.cwd,
		env: options.env,
		extendEnv: false,
		stdio: 'inherit',
		reject: false,
		cleanup: false,
		forceKillAfterDelay: false,
		windowsHide: false,
	});

	const exited = subprocess.then(result => {
		if (result.signal) {
			return {exitCode: signalExitCode(result.signal), code: undefined, signal: result.signal};
		}

		const spawnCode = (result as {code?: string}).code;
		if (result.failed && result.exitCode === undefined && spawnCode) {
			const exitCode = spawnCode === 'ENOENT' ? 127 : 126;
			return {exitCode, code: undefined, signal: undefined, spawnError: {code: spawnCode, message: result.shortMessage ?? ''}};
		}

		return {exitCode: result.exitCode ?? 1, code: result.exitCode, signal: undefined};
	});

	return {
		pid: subprocess.pid,
		exited,
		kill(signal) {
			subprocess.kill(signal);
		},
	};
}
