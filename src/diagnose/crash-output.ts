/** What a dead server's last lines say: the port in use, the missing module, variable or command, the last error. Pure. */

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

export function missingEnv(lines: readonly string[]): {variable: string; line: string} | undefined {
	for (const pattern of envPatterns) {
		const hit = find(lines, pattern);
		if (hit) {
			return {variable: hit.match[1]!, line: hit.line};
		}
	}

	return undefined;
}

export function missingModule(lines: readonly string[]): {module: string; line: string; built: boolean; python: boolean} | undefined {
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

export function commandNotFound(lines: readonly string[]): {command: string; line: string} | undefined {
	const hit = find(lines, /^(?:\/bin\/)?(?:sh|bash|dash|zsh)(?:: line \d+| ?: ?\d+)?: (.+?): (?:command )?not found$/)
		?? find(lines, /^(?:env|exec): [`'"]?([^`'":]+)[`'"]?: No such file or directory$/);
	return hit ? {command: hit.match[1]!.trim(), line: hit.line} : undefined;
}

/**
 * The first line that says what went wrong, wherever it is in the output (a fatal error is
 * often line 1, above a long usage text). Node prints the offending source line before the
 * error itself: prefer a line that starts with the error's name (`Error: …`, `TypeError: …`,
 * `ERROR: …`, `panic: …`), then any line that mentions one.
 */
export function firstErrorLine(lines: readonly string[]): string | undefined {
	return (lines.find(line => /^\s*(?:[\w.]*(?:Error|Exception)|ERROR|FATAL|Fatal error|panic|fatal)\b:?/.test(line))
		?? lines.find(line => /\b(?:\w*Error|Exception|ERROR|Traceback|panic|fatal|FATAL|Unhandled)\b/.test(line)))?.trim();
}

/** A JSON log line (pino, bunyan, winston) read as its message; any other line as it is. */
export function lineText(line: string): string {
	const trimmed = line.trim();
	if (trimmed.startsWith('{')) {
		try {
			const parsed = JSON.parse(trimmed) as {msg?: unknown; message?: unknown};
			const text = parsed.msg ?? parsed.message;
			if (typeof text === 'string') {
				return text;
			}
		} catch {
			// Not JSON after all.
		}
	}

	return trimmed;
}

const stdioListening = /\b(?:running|listening|connected|serving|started|ready|using)\b.*\bstdio\b|\bstdio\b.*\b(?:transport|mode|server)\b|\btransport: ?stdio\b/i;
const stdinClosed = /\bstdin (?:closed|ended|end)\b|\bend of stdin\b|\bEOF on stdin\b/i;

/** The line that shows the server ran its stdio transport (and so ended when its stdin, /dev/null, closed). */
export function stdioMode(lines: readonly string[]): {line: string; hint?: string} | undefined {
	// A usage text's `--log-file … in stdio mode` describes a flag, not what the server did.
	const texts = lines.map(line => lineText(line)).filter(text => !/^-{1,2}\w/.test(text));
	const line = [...texts].reverse().find(text => stdioListening.test(text)) ?? texts.find(text => stdinClosed.test(text));
	if (line === undefined) {
		return undefined;
	}

	// A flag or variable the server's own output names for its transport (`--transport`, `MCP_TRANSPORT_TYPE`).
	const hint = texts.map(text => /--transport\b(?:[ =][\w-]+)?|\b[A-Z][A-Z\d]*_(?:[A-Z\d]+_)*(?:TRANSPORT|HTTP|STREAMABLE|MODE)[A-Z\d_]*\b(?:=\S+)?/.exec(text)?.[0]).find(Boolean);
	return {line, ...(hint ? {hint} : {})};
}
