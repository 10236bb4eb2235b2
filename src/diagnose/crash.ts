import {describePortOwners, type Listener} from './port-owner.js';

export type CrashKind = 'port-in-use' | 'missing-module' | 'missing-env' | 'command-not-found' | 'not-executable' | 'spawn-failed' | 'signal' | 'exit-code';

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
};

function isStreams(tail: CrashTail): tail is {stderr: readonly string[]; stdout: readonly string[]} {
	return !Array.isArray(tail);
}

function allLines(tail: CrashTail): string[] {
	if (isStreams(tail)) {
		return [...tail.stderr, ...tail.stdout];
	}

	return [...tail];
}

function find(lines: readonly string[], pattern: RegExp): {line: string; match: RegExpExecArray} | undefined {
	for (const line of lines) {
		const match = pattern.exec(line);
		if (match) {
			return {line: line.trim(), match};
		}
	}

	return undefined;
}

/** The port in an "address in use" line: Node, Python, Go, and "Port N is already in use". */
export function portInUse(lines: readonly string[]): {port: number | undefined; line: string} | undefined {
	const hit = find(lines, /EADDRINUSE|address already in use|port \d+ is (?:already )?in use|Only one usage of each socket address/i);
	if (!hit) {
		return undefined;
	}

	const {line} = hit;
	const candidates = [
		/port (\d{1,5}) is (?:already )?in use/i.exec(line)?.[1],
		/\(\s*'[^']*',\s*(\d{1,5})\s*\)/.exec(line)?.[1], // Python: ('127.0.0.1', 8000)
		[...line.matchAll(/:(\d{1,5})\b(?![.\d])/g)].at(-1)?.[1], // :::3000, 127.0.0.1:3000, tcp :8080:
	];
	const port = candidates.map(Number).find(value => Number.isInteger(value) && value > 0 && value < 65_536);
	return {port, line};
}

const envPatterns = [
	/missing (?:required )?env(?:ironment)?(?: var(?:iable)?s?)?\b[\s:'"`]*([A-Z][\w]*)/i,
	/\benv(?:ironment)? var(?:iable)? [`'"]?([A-Z][A-Z\d_]+)[`'"]? (?:is )?(?:not set|missing|required|undefined|must be set|is empty)/i,
	/\b([A-Z][A-Z\d]*_[A-Z\d_]+|[A-Z]{3,}) (?:is not set|must be set|is required|is missing|is undefined|not set|not defined)\b/,
	/undefined env(?:ironment)? var(?:iable)?[\s:'"`]*([A-Z][\w]*)/i,
	/missing ([A-Z][A-Z\d_]+) (?:env|environment)/i,
	/KeyError: '([A-Z][A-Z\d_]+)'/, // Python os.environ['X']
];

function missingEnv(lines: readonly string[]): {variable: string; line: string} | undefined {
	for (const pattern of envPatterns) {
		const hit = find(lines, pattern);
		if (hit) {
			return {variable: hit.match[1]!, line: hit.line};
		}
	}

	return undefined;
}

function missingModule(lines: readonly string[]): {module: string; line: string; built: boolean; python: boolean} | undefined {
	const hit = find(lines, /Cannot find (?:module|package) '([^']+)'|ERR_MODULE_NOT_FOUND|No module named '([^']+)'/);
	if (!hit) {
		return undefined;
	}

	const module = hit.match[1] ?? hit.match[2] ?? /'([^']+)'/.exec(hit.line)?.[1] ?? 'a module';
	// A file path (./dist/index.js, /app/build/server.js) is a build output; a bare name is a dependency.
	const built = /^(?:\.{0,2}\/|[A-Za-z]:\\)/.test(module);
	// The runtime that crashed picks the advice: a Python traceback is no case for npm install.
	const python = hit.match[2] !== undefined || lines.some(line => /^Traceback \(most recent call last\)|ModuleNotFoundError|ImportError|^\s+File ".*\.py", line \d+/.test(line));
	return {module, line: hit.line, built, python};
}

function commandNotFound(lines: readonly string[]): {command: string; line: string} | undefined {
	const hit = find(lines, /^(?:\/bin\/)?(?:sh|bash|dash|zsh)(?:: line \d+| ?: ?\d+)?: (.+?): (?:command )?not found$/)
		?? find(lines, /^(?:env|exec): [`'"]?([^`'":]+)[`'"]?: No such file or directory$/);
	return hit ? {command: hit.match[1]!.trim(), line: hit.line} : undefined;
}

function lastErrorLine(lines: readonly string[]): string | undefined {
	// Node prints the offending source line before the error itself: prefer a line that starts
	// with the error's name (`Error: …`, `TypeError: …`), then any line that mentions one.
	return (lines.find(line => /^\s*(?:[\w.]*(?:Error|Exception)|panic|fatal|FATAL)\b:?/.test(line))
		?? lines.find(line => /\b(?:\w*Error|Exception|Traceback|panic|fatal|FATAL|Unhandled)\b/.test(line)))?.trim();
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

function explainCrashMessage(exit: CrashExit, tail: CrashTail, options: CrashOptions): Omit<CrashCause, 'reason'> {
	const lines = allLines(tail).filter(line => line.trim() !== '');
	const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
	if (exit.spawnError) {
		return {kind: 'spawn-failed', cause: 'crash', message: `the server could not be started (${exit.spawnError})`, fix: 'check the working directory and that /bin/sh exists'};
	}

	const inUse = portInUse(lines);
	if (inUse) {
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
	}

	const notFound = commandNotFound(lines);
	if (notFound || exit.code === 127) {
		return {
			kind: 'command-not-found',
			cause: 'crash',
			message: `the server ${how}: ${notFound ? `command not found: ${notFound.command}` : 'the shell could not find the command (exit 127)'}`,
			fix: 'check the --server command: the program is misspelled, not installed, or not on PATH (npx / npm run add node_modules/.bin)',
			...(notFound ? {subject: notFound.command, line: notFound.line} : {}),
		};
	}

	if (exit.code === 126) {
		return {kind: 'not-executable', cause: 'crash', message: `the server ${how}: the command is not executable (exit 126)`, fix: 'chmod +x the script, or run it through its interpreter (node server.js)'};
	}

	const module = missingModule(lines);
	if (module) {
		return {
			kind: 'missing-module',
			cause: 'crash',
			message: `the server ${how}: cannot find module ${module.module}`,
			fix: module.python
				? `a Python dependency is not installed: pip install ${module.module.split('.')[0]} in the environment the command runs in (or pip install -r requirements.txt / uv sync in the project; is its virtual environment active?)`
				: (module.built
					? 'the build output is missing: run the build step first (npm run build)'
					: 'a dependency is not installed: run npm install'),
			subject: module.module,
			line: module.line,
		};
	}

	const env = missingEnv(lines);
	if (env) {
		return {
			kind: 'missing-env',
			cause: 'crash',
			message: `the server ${how}: environment variable ${env.variable} is not set`,
			fix: `set ${env.variable} (export ${env.variable}=… before mcp-launch, or in the server's .env file)`,
			subject: env.variable,
			line: env.line,
		};
	}

	if (exit.signal) {
		const oom = exit.signal === 'SIGKILL' ? ' SIGKILL from outside usually means the out-of-memory killer (check dmesg or the container memory limit).' : '';
		return {kind: 'signal', cause: 'crash', message: `the server ${how}.${oom}`, fix: exit.signal === 'SIGKILL' ? 'give it more memory, or find what killed it' : 'look at the server\'s last output for the fault'};
	}

	const line = lastErrorLine(lines);
	return {
		kind: 'exit-code',
		cause: 'crash',
		message: `the server ${how}${line ? `: ${line}` : ''}`,
		fix: 'run the server command alone to see the whole error, fix it, then run mcp-launch again',
		...(line ? {line} : {}),
	};
}
