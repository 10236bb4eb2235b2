import {parseAnnounced} from './announced.js';
import {commandNotFound, firstErrorLine, missingEnv, missingModule, portInUse, stdioMode} from './crash-output.js';
import {portFlagHint} from './port-flag.js';
import {describePortOwners, type Listener} from './port-owner-text.js';

export {portInUse} from './crash-output.js';

export type CrashKind = 'port-in-use' | 'missing-module' | 'missing-file' | 'missing-env' | 'command-not-found' | 'not-executable' | 'spawn-failed' | 'stdio-mode' | 'signal' | 'exit-code';

export type CrashCause = {
	kind: CrashKind;
	/** For a Diagnosis: `port-in-use` for EADDRINUSE, `crash` otherwise. */
	cause: 'crash' | 'port-in-use';
	message: string;
	/** The message without its leading "the server exited with code N", for a sentence that already says how it ended. */
	reason: string;
	fix: string;
	/** The port named by EADDRINUSE. */
	port?: number;
	/** The module, variable or command named in the output. */
	subject?: string;
	/** The output line that gave the cause away. */
	line?: string;
};

export type CrashExit = {code: number | undefined; signal: string | undefined; spawnError?: string};

/** The server's last lines: stderr first (a crash usually explains itself there), then stdout. */
export type CrashTail = {stderr: readonly string[]; stdout: readonly string[]} | readonly string[];

export type CrashOptions = {
	/** Who holds a port (port-owner's `listeners`), injected so the rule stays pure. */
	findOccupants?: (port: number) => Listener[];
	/** The port mcp-launch gave the server (`-p`: PORT and {port}). */
	givenPort?: number;
	/** The server command, for naming the flag that fixes its port. */
	command?: string;
	/** What is on disk near a missing file (nearby-files.ts), injected so the rule stays pure. */
	lookFor?: (file: string) => FileLook;
};

/** A missing file's surroundings: whether its directory exists, and the names in it that look close. */
export type FileLook = {directory: boolean; close: string[]};

function isStreams(tail: CrashTail): tail is {stderr: readonly string[]; stdout: readonly string[]} {
	return !Array.isArray(tail);
}

function allLines(tail: CrashTail): string[] {
	if (isStreams(tail)) {
		return [...tail.stderr, ...tail.stdout];
	}

	return [...tail];
}

/**
 * Name the cause of a server's death before it became ready, from its exit and its last
 * lines: EADDRINUSE (with the occupant), a module that is not installed or built, a missing
 * environment variable, a wrong command (127), a signal, or just the exit code. Pure.
 *
 * @example
 * explainCrash({code: 1, signal: undefined}, {stderr: ['Error: listen EADDRINUSE: address already in use :::3000'], stdout: []}, {findOccupants: listeners})
 * // {kind: 'port-in-use', port: 3000, message: 'port 3000 is already in use by pid 4242 (node old.js) ...', ...}
 */
export function explainCrash(exit: CrashExit, tail: CrashTail, options: CrashOptions = {}): CrashCause {
	const found = explainCrashMessage(exit, tail, options);
	const how = `the server ${exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`}`;
	const reason = found.message.startsWith(how) ? found.message.slice(how.length).replace(/^[:.]\s*/, '') : found.message;
	return {...found, reason};
}

/** What the detectors read: the exit, the non-blank output lines, and how the server ended, in words. */
type Death = {exit: CrashExit; lines: string[]; how: string; options: CrashOptions};

/** A detector names one cause of death, or passes (undefined) to the next. */
type CrashDetector = (death: Death) => Omit<CrashCause, 'reason'> | undefined;

const spawnFailed: CrashDetector = ({exit}) => (exit.spawnError
	? {kind: 'spawn-failed', cause: 'crash', message: `the server could not be started (${exit.spawnError})`, fix: 'check the working directory and that /bin/sh exists'}
	: undefined);

/** EADDRINUSE, with who holds the port when that can be told. */
const portTaken: CrashDetector = ({lines, how, options}) => {
	const inUse = portInUse(lines);
	if (!inUse) {
		return undefined;
	}

	const occupants = inUse.port === undefined ? [] : (options.findOccupants?.(inUse.port) ?? []);
	const owner = inUse.port === undefined
		? 'its port is already in use'
		: (occupants.length > 0 ? describePortOwners(inUse.port, occupants) : `port ${inUse.port} is already in use`);
	return {
		kind: 'port-in-use',
		cause: 'port-in-use',
		message: `the server ${how}: ${owner} (${inUse.line})`,
		fix: occupants[0]?.pid === undefined
			? 'stop the old instance that holds the port (a stale dev server?), or give the server another port'
			: `stop pid ${occupants[0].pid} (kill ${occupants[0].pid}) if it is a stale instance, or give the server another port`,
		...(inUse.port === undefined ? {} : {port: inUse.port}),
		line: inUse.line,
	};
};

/**
 * It said where it listens, a port another process holds (a stale instance on a fixed port),
 * and ended: it could not bind it. With `-p`, it also ignored the port it was given.
 */
const announcedPortTaken: CrashDetector = ({lines, how, options}) => {
	const inUse = portInUse(lines);
	const announced = parseAnnounced(lines).announcements.filter(item => item.listen && item.port !== undefined);
	const ports = [...new Set([...(inUse?.port === undefined ? [] : [inUse.port]), ...announced.map(item => item.port!)])];
	for (const port of ports.filter(value => value !== options.givenPort)) {
		if (inUse?.port === port && options.givenPort === undefined) {
			continue; // Plain EADDRINUSE on the port it was meant to use: portTaken says it.
		}

		const occupants = options.findOccupants?.(port) ?? [];
		if (occupants.length === 0) {
			continue;
		}

		const said = inUse?.port === port ? inUse.line : lines.find(line => parseAnnounced([line]).ports.includes(port))!.trim();
		const ignored = options.givenPort === undefined ? '' : `it ignored the port it was given (PORT=${options.givenPort}) and `;
		const pid = occupants.find(listener => listener.pid !== undefined)?.pid;
		const stop = pid === undefined ? 'stop the process that holds it (a stale instance?)' : `stop pid ${pid} (kill ${pid}) if it is a stale instance`;
		return {
			kind: 'port-in-use',
			cause: 'port-in-use',
			message: `the server ${how}: ${ignored}tried port ${port} ("${said}"), but ${describePortOwners(port, occupants)}`,
			fix: options.givenPort === undefined
				? `${stop}, or give the server another port`
				: `${stop}; and pass {port} (or $PORT) in the server command so each run gets the port mcp-launch picked, ${portFlagHint(port, options.command, lines)}`,
			port,
			line: said,
		};
	}

	return undefined;
};

const commandMissing: CrashDetector = ({exit, lines, how}) => {
	const notFound = commandNotFound(lines);
	if (!notFound && exit.code !== 127) {
		return undefined;
	}

	return {
		kind: 'command-not-found',
		cause: 'crash',
		message: `the server ${how}: ${notFound ? `command not found: ${notFound.command}` : 'the shell could not find the command (exit 127)'}`,
		fix: 'check the --server command: the program is misspelled, not installed, or not on PATH (npx / npm run add node_modules/.bin)',
		...(notFound ? {subject: notFound.command, line: notFound.line} : {}),
	};
};

const notExecutable: CrashDetector = ({exit, how}) => (exit.code === 126
	? {kind: 'not-executable', cause: 'crash', message: `the server ${how}: the command is not executable (exit 126)`, fix: 'chmod +x the script, or run it through its interpreter (node server.js)'}
	: undefined);

/** A module that is not installed (npm or pip) or not built. */
/** Where build steps write: a missing file there is an unbuilt project, elsewhere most likely a typo. */
const buildOutput = /\/(?:dist|build|out|lib|\.next|target)\//;

const moduleMissing: CrashDetector = ({lines, how, options}) => {
	const module = missingModule(lines);
	if (!module) {
		return undefined;
	}

	const look = module.built && !module.python && module.module.startsWith('/') ? options.lookFor?.(module.module) : undefined;
	if (look && (look.close.length > 0 || (look.directory && !buildOutput.test(module.module)))) {
		return {
			kind: 'missing-file',
			cause: 'crash',
			message: `the server ${how}: there is no file ${module.module}`,
			fix: `check the path in the --server command${look.close.length > 0 ? `: files with a close name: ${look.close.join(', ')}` : ''}`,
			subject: module.module,
			line: module.line,
		};
	}

	const nodeFix = module.built ? 'the build output is missing: run the build step first (npm run build)' : 'a dependency is not installed: run npm install';
	return {
		kind: 'missing-module',
		cause: 'crash',
		message: `the server ${how}: cannot find module ${module.module}`,
		fix: module.python
			? `a Python dependency is not installed: pip install ${module.module.split('.')[0]} in the environment the command runs in (or pip install -r requirements.txt / uv sync in the project; is its virtual environment active?)`
			: nodeFix,
		subject: module.module,
		line: module.line,
	};
};

const envMissing: CrashDetector = ({lines, how}) => {
	const env = missingEnv(lines);
	return env
		? {
			kind: 'missing-env',
			cause: 'crash',
			message: `the server ${how}: environment variable ${env.variable} is not set`,
			fix: `set ${env.variable} (export ${env.variable}=… before mcp-launch, or in the server's .env file)`,
			subject: env.variable,
			line: env.line,
		}
		: undefined;
};

/** It ran its stdio transport: under mcp-launch its stdin is /dev/null, so it read EOF and ended. */
const stdioTransport: CrashDetector = ({exit, lines, how}) => {
	// Ended cleanly, or with nothing that looks like an error: a crash that mentions stdio is still a crash.
	const stdio = exit.signal || (exit.code !== 0 && firstErrorLine(lines) !== undefined) ? undefined : stdioMode(lines);
	return stdio
		? {
			kind: 'stdio-mode',
			cause: 'crash',
			message: `the server ${how}: it ran in stdio mode ("${stdio.line}"), not as an HTTP server; its stdin is /dev/null under mcp-launch, so it ended at once`,
			fix: `start it in its Streamable HTTP mode${stdio.hint ? ` (its output names ${stdio.hint})` : ''}: a flag or environment variable picks it, often --transport http (or streamable-http), MCP_TRANSPORT_TYPE=http or STREAMABLE_HTTP=true (see its README); or give it to your client as a stdio server (its command and arguments), without mcp-launch`,
			line: stdio.line,
		}
		: undefined;
};

/** Killed by a signal; a SIGKILL from outside is most often the out-of-memory killer. */
const killedBySignal: CrashDetector = ({exit, how}) => {
	if (!exit.signal) {
		return undefined;
	}

	const oom = exit.signal === 'SIGKILL' ? ' SIGKILL from outside usually means the out-of-memory killer (check dmesg or the container memory limit).' : '';
	return {kind: 'signal', cause: 'crash', message: `the server ${how}.${oom}`, fix: exit.signal === 'SIGKILL' ? 'give it more memory, or find what killed it' : 'look at the server\'s last output for the fault'};
};

/** Nothing more specific: the exit code and the last line that looks like an error. */
function exitCode({exit, lines, how}: Death): Omit<CrashCause, 'reason'> {
	const line = firstErrorLine(lines);
	const clean = exit.code === 0 && line === undefined;
	return {
		kind: 'exit-code',
		cause: 'crash',
		message: `the server ${how}${line ? `: ${line}` : (clean ? ' (no error) before serving HTTP' : '')}`,
		fix: clean
			? 'it ended by itself: a stdio-only MCP server does that (its stdin is /dev/null here): start its HTTP mode (often --transport http); a server that goes to the background must stay in the foreground of its command; or run the command alone to see why it stops'
			: 'run the server command alone to see the whole error, and fix it',
		...(line ? {line} : {}),
	};
}

/** Tried in order, most specific first: the first that names the cause wins. */
const detectors: readonly CrashDetector[] = [spawnFailed, announcedPortTaken, portTaken, commandMissing, notExecutable, moduleMissing, envMissing, stdioTransport, killedBySignal];

function explainCrashMessage(exit: CrashExit, tail: CrashTail, options: CrashOptions): Omit<CrashCause, 'reason'> {
	const death: Death = {
		exit,
		lines: allLines(tail).filter(line => line.trim() !== ''),
		how: exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`,
		options,
	};
	for (const detect of detectors) {
		const found = detect(death);
		if (found) {
			return found;
		}
	}

	return exitCode(death);
}
