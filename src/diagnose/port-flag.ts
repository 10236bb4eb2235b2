// How to hand a server the port mcp-launch chose (`-p`), in the server's own terms: the flag or
// variable its command already uses for a fixed port, else one its output names, else a common
// one. Read from evidence already there (the command, what the server printed): mcp-launch never
// runs `<command> --help` to find out, which would run the user's code in a way they did not ask.
// Pure.

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `-p 1122`, `--httpPort=8931`, `MCP_HTTP_PORT=8931`, `--url http://localhost:8931/mcp` in the command: the text that fixes the port. */
function inCommand(command: string, port: number): {found: string; replaced: string} | undefined {
	const number = escape(String(port));
	const patterns = [
		new RegExp(`(?<![\\w-])(--?[A-Za-z][\\w-]*)(=|\\s+)${number}(?![\\w.])`),
		new RegExp(`(?<![\\w$])([A-Za-z_]\\w*)=${number}(?!\\w)`),
		new RegExp(`(https?://[\\w.\\-[\\]:]*?:)${number}(?!\\d)`),
	];
	for (const pattern of patterns) {
		const match = pattern.exec(command);
		if (match) {
			return {found: match[0], replaced: match[0].replace(new RegExp(`${number}$`), '{port}')};
		}
	}

	return undefined;
}

/** A port flag or variable the server's output names (its usage text, a hint): `--httpPort`, `MCP_HTTP_PORT`. */
function inOutput(output: readonly string[]): string | undefined {
	for (const line of output) {
		const flag = /(?<![\w-])--(?:[\w-]*-)?(?:port|[a-z]+Port)\b/.exec(line)?.[0];
		if (flag) {
			return `${flag} {port}`;
		}

		const variable = /\b(?!PORT\b)[A-Z][A-Z\d_]*PORT\b/.exec(line)?.[0];
		if (variable) {
			return `${variable}={port}`;
		}
	}

	return undefined;
}

/**
 * How to pass the chosen port on, for a fix that says "pass {port} (or $PORT) in the server
 * command, …": `write {port} for 1122 in the server command (-p {port} instead of -p 1122)`,
 * `e.g. --httpPort {port} (its output names --httpPort)`, or `e.g. --port {port}`.
 *
 * @example
 * portFlagHint(1122, 'mcp-server-chart -t streamable -p 1122', []) // 'write -p {port} instead of -p 1122'
 */
export function portFlagHint(usedPort: number | undefined, command: string | undefined, output: readonly string[]): string {
	const fixed = usedPort === undefined || command === undefined ? undefined : inCommand(command, usedPort);
	if (fixed) {
		return `write ${fixed.replaced} instead of ${fixed.found}`;
	}

	const named = inOutput(output);
	return named ? `e.g. ${named} (its output names it)` : 'e.g. --port {port}';
}
