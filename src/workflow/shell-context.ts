/**
 * Where a position in a /bin/sh command stands: outside quotes, inside '…', or inside "…".
 * A small lexer for exactly what POSIX sh does with quotes, backslashes, `$(…)` and
 * backticks (a command substitution opens a new unquoted context, even inside "…").
 * Used to insert a placeholder's value as a variable reference that is safe where it lands.
 */
export type ShellContext = 'bare' | 'single' | 'double';

type Frame = 'bare' | 'single' | 'double' | 'subst' | 'backtick';

/** The quoting context at each of the given offsets of `command` (offsets ascending). */
export function shellContexts(command: string, offsets: readonly number[]): ShellContext[] {
	const result: ShellContext[] = [];
	const stack: Frame[] = ['bare'];
	let next = 0;
	for (let index = 0; index <= command.length && next < offsets.length; index++) {
		while (next < offsets.length && offsets[next] === index) {
			const top = stack.at(-1)!;
			result.push(top === 'single' || top === 'double' ? top : 'bare');
			next++;
		}

		index = step(command, index, stack);
	}

	return result;
}

/** Advance over the character at `index` (and what it escapes); returns the last index consumed. */
function step(command: string, index: number, stack: Frame[]): number {
	const char = command[index];
	const top = stack.at(-1)!;
	if (top === 'single') {
		if (char === '\'') {
			stack.pop();
		}

		return index;
	}

	if (char === '\\') {
		return index + 1; // The next character is literal (in "…" only some are, which changes nothing here).
	}

	if (char === '$' && command[index + 1] === '(') {
		stack.push('subst');
		return index + 1;
	}

	if (char === '`') {
		if (top === 'backtick') {
			stack.pop();
		} else {
			stack.push('backtick');
		}

		return index;
	}

	if (top === 'double') {
		if (char === '"') {
			stack.pop();
		}

		return index;
	}

	if (char === '\'') {
		stack.push('single');
	} else if (char === '"') {
		stack.push('double');
	} else if (char === '(' && top === 'subst') {
		stack.push('subst');
	} else if (char === ')' && top === 'subst') {
		stack.pop();
	}

	return index;
}

/**
 * A reference to variable `name` that expands to its value as exactly one word, with no
 * further expansion of the value, wherever it is inserted.
 */
export function variableReference(name: string, context: ShellContext): string {
	switch (context) {
		case 'single': {
			return `'"\${${name}}"'`; // Close the quote, expand in double quotes, reopen.
		}

		case 'double': {
			return `\${${name}}`;
		}

		default: {
			return `"\${${name}}"`;
		}
	}
}
