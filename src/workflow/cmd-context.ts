/**
 * Where a position in a cmd.exe command stands, for inserting a placeholder's value as a
 * reference to an environment variable (`%MCP_LAUNCH_URL%`) that cmd expands as data.
 *
 * cmd expands `%NAME%` first (phase 1), then reads the expanded text for quotes, `^` and the
 * operators `& | < > ( )` (phase 2). So a value is safe only where phase 2 reads it as quoted
 * text: inside "…" a reference is enough; outside quotes it is wrapped in quotes of its own.
 * A value itself never holds `"` (a URL serializer percent-encodes it; values that do are
 * refused), so it cannot close those quotes. Refused, because the quote state there cannot be
 * read from the text as written: a placeholder right after an escaping `^` (the `^` would
 * make our opening quote literal), and any command that holds another `%` (its own `%VAR%`,
 * expanded first, may bring quotes or shift how the `%` pair up).
 */
export type CmdContext = 'bare' | 'double' | 'after-caret';

/** The quoting context at each of the given offsets of `command` (offsets ascending). */
export function cmdContexts(command: string, offsets: readonly number[]): CmdContext[] {
	const result: CmdContext[] = [];
	let quoted = false;
	let escaped = false;
	let next = 0;
	for (let index = 0; next < offsets.length; index++) {
		while (next < offsets.length && offsets[next] === index) {
			result.push(escaped ? 'after-caret' : (quoted ? 'double' : 'bare'));
			next++;
		}

		if (index >= command.length) {
			break;
		}

		const char = command[index];
		if (escaped) {
			escaped = false;
		} else if (char === '"') {
			quoted = !quoted;
		} else if (char === '^' && !quoted) {
			escaped = true;
		}
	}

	return result;
}

/** Whether the command holds a `%` outside the placeholders (their offsets and lengths given). */
export function hasOwnPercent(command: string, placeholders: ReadonlyArray<{index: number; length: number}>): boolean {
	let rest = command;
	for (const {index, length} of [...placeholders].sort((a, b) => b.index - a.index)) {
		rest = rest.slice(0, index) + rest.slice(index + length);
	}

	return rest.includes('%');
}

/** A reference to variable `name` that cmd expands to its value as quoted text, wherever it is inserted. */
export function cmdVariableReference(name: string, context: 'bare' | 'double'): string {
	return context === 'double' ? `%${name}%` : `"%${name}%"`;
}

/** Values cmd could not carry as data inside quotes: a quote, a line break, a NUL. */
export function cmdSafeValue(value: string): boolean {
	return !/["\r\n\0]/.test(value);
}
