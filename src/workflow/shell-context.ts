/**
 * Where a position in a /bin/sh command stands, for placing a placeholder's value there: a
 * small lexer for what POSIX sh does with quotes, backslashes, `$(…)`, backticks, comments and
 * here-docs (and bash's `$'…'`, where it refuses).
 *
 * - `bare`, `single`, `double`: outside quotes, inside '…', inside "…" (a command substitution
 *   opens a new unquoted context, even inside "…").
 * - `heredoc`: the body of an unquoted here-doc (`<<EOF`), where `${VAR}` expands and quotes are text.
 * - `literal`: not a placeholder at all: inside a comment, or escaped by a backslash (`\{url}`).
 * - `refused`: somewhere a value cannot be placed with certainty: a quoted here-doc (`<<'EOF'`,
 *   where nothing expands), a here-doc whose end never comes, or bash's `$'…'`.
 */
export type ShellContext = 'bare' | 'single' | 'double' | 'heredoc' | 'literal' | {refused: string};

type Frame = 'bare' | 'single' | 'double' | 'subst' | 'backtick' | 'arith' | 'ansi';
type Heredoc = {delimiter: string; quoted: boolean; stripTabs: boolean};
type Where = Exclude<ShellContext, {refused: string}> | 'quoted-heredoc' | 'unterminated-heredoc' | 'ansi';

const refusals: Record<string, string> = {
	'quoted-heredoc': 'a quoted here-doc (<<\'EOF\'), where nothing expands',
	'unterminated-heredoc': 'a here-doc whose end line never comes',
	ansi: 'a $\'…\' string',
};

/** The context at each of the given offsets of `command`. */
export function shellContexts(command: string, offsets: readonly number[]): ShellContext[] {
	const where = classify(command);
	return offsets.map(offset => {
		const at = where[offset] ?? 'bare';
		return at in refusals ? {refused: refusals[at]!} : at as ShellContext;
	});
}

/** A token starts here: a `#` here begins a comment. */
const startsWord = (command: string, index: number) => index === 0 || ' \t\n;&|()<>'.includes(command[index - 1]!);

/** The context of every character of `command`. */
function classify(command: string): Where[] {
	const where: Where[] = Array.from({length: command.length});
	const mark = (from: number, to: number, value: Where) => where.fill(value, from, Math.min(to, command.length));
	const stack: Frame[] = ['bare'];
	const pending: Heredoc[] = [];
	let index = 0;
	while (index < command.length) {
		const top = stack.at(-1)!;
		const char = command[index]!;
		if (top === 'single' || top === 'ansi') {
			const escaped = top === 'ansi' && char === '\\';
			mark(index, index + (escaped ? 2 : 1), top === 'single' ? 'single' : 'ansi');
			if (char === '\'') {
				stack.pop();
			}

			index += escaped ? 2 : 1;
			continue;
		}

		const here: Where = top === 'double' ? 'double' : 'bare';
		mark(index, index + 1, here);
		if (char === '\\') {
			mark(index + 1, index + 2, 'literal'); // `\{url}`: the shell's own way to say {url}.
			index += 2;
			continue;
		}

		if (char === '$' && command[index + 1] === '(') {
			const arithmetic = command[index + 2] === '(';
			stack.push(...(arithmetic ? ['arith', 'arith'] as const : ['subst'] as const));
			mark(index, index + (arithmetic ? 3 : 2), here);
			index += arithmetic ? 3 : 2;
			continue;
		}

		if (char === '$' && command[index + 1] === '\'' && top !== 'double') {
			stack.push('ansi');
			mark(index, index + 2, 'ansi');
			index += 2;
			continue;
		}

		if (char === '`') {
			if (top === 'backtick') {
				stack.pop();
			} else {
				stack.push('backtick');
			}

			index++;
			continue;
		}

		if (top === 'double') {
			if (char === '"') {
				stack.pop();
			}

			index++;
			continue;
		}

		index = unquoted(command, index, {stack, pending, mark});
	}

	return where;
}

type Lexer = {stack: Frame[]; pending: Heredoc[]; mark: (from: number, to: number, value: Where) => void};

/** One character (or operator) outside quotes; returns the next index. */
function unquoted(command: string, index: number, {stack, pending, mark}: Lexer): number {
	const top = stack.at(-1)!;
	const char = command[index]!;
	if (char === '\'') {
		stack.push('single');
	} else if (char === '"') {
		stack.push('double');
	} else if (char === '(' && (top === 'subst' || top === 'arith')) {
		stack.push(top);
	} else if (char === ')' && (top === 'subst' || top === 'arith')) {
		stack.pop();
	} else if (char === '#' && top !== 'arith' && startsWord(command, index)) {
		const end = lineEnd(command, index);
		mark(index, end, 'literal');
		return end;
	} else if (char === '<' && command[index + 1] === '<' && top !== 'arith') {
		if (command[index + 2] === '<') {
			return index + 3; // A here-string (bash `<<<`): the next word is an ordinary word.
		}

		const {heredoc, end} = heredocOperator(command, index + 2);
		if (heredoc) {
			pending.push(heredoc);
		}

		return end;
	} else if (char === '\n' && pending.length > 0) {
		const end = heredocBodies(command, index + 1, pending.splice(0), mark);
		return end;
	}

	return index + 1;
}

const lineEnd = (command: string, from: number) => {
	const newline = command.indexOf('\n', from);
	return newline === -1 ? command.length : newline;
};

/** `<<WORD` / `<<-WORD`: the delimiter without its quotes, and whether any part was quoted. */
function heredocOperator(command: string, from: number): {heredoc?: Heredoc; end: number} {
	let index = from;
	const stripTabs = command[index] === '-';
	index += stripTabs ? 1 : 0;
	while (command[index] === ' ' || command[index] === '\t') {
		index++;
	}

	let delimiter = '';
	let quoted = false;
	while (index < command.length && !' \t\n;&|()<>'.includes(command[index]!)) {
		const char = command[index]!;
		if (char === '\'' || char === '"') {
			const close = command.indexOf(char, index + 1);
			const end = close === -1 ? command.length : close;
			const text = command.slice(index + 1, end);
			delimiter += char === '"' ? text.replaceAll(/\\([$`"\\])/g, '$1') : text;
			quoted = true;
			index = end + 1;
		} else if (char === '\\') {
			delimiter += command[index + 1] ?? '';
			quoted = true;
			index += 2;
		} else {
			delimiter += char;
			index++;
		}
	}

	return delimiter === '' ? {end: index} : {heredoc: {delimiter, quoted, stripTabs}, end: index};
}

/** The bodies of the here-docs opened on the line that just ended, in order; returns where the command goes on. */
function heredocBodies(command: string, from: number, heredocs: readonly Heredoc[], mark: Lexer['mark']): number {
	let index = from;
	for (const heredoc of heredocs) {
		const close = delimiterLine(command, index, heredoc);
		if (close === undefined) {
			mark(index, command.length, 'unterminated-heredoc');
			return command.length;
		}

		mark(index, close, heredoc.quoted ? 'quoted-heredoc' : 'heredoc');
		if (!heredoc.quoted) {
			for (let at = command.indexOf('\\', index); at !== -1 && at < close; at = command.indexOf('\\', at + 2)) {
				mark(at + 1, at + 2, 'literal');
			}
		}

		index = lineEnd(command, close) + 1;
	}

	return index;
}

/** Where the line that ends a here-doc starts, if one does. */
function delimiterLine(command: string, from: number, heredoc: Heredoc): number | undefined {
	for (let start = from; start < command.length; start = lineEnd(command, start) + 1) {
		const line = command.slice(start, lineEnd(command, start));
		if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter) {
			return start;
		}
	}

	return undefined;
}

/**
 * A reference to variable `name` that expands to its value as exactly one word, with no
 * further expansion of the value, where it is inserted.
 */
export function variableReference(name: string, context: 'bare' | 'single' | 'double' | 'heredoc'): string {
	switch (context) {
		case 'single': {
			return `'"\${${name}}"'`; // Close the quote, expand in double quotes, reopen.
		}

		case 'double':
		case 'heredoc': {
			return `\${${name}}`; // In a here-doc, quotes would be text; nothing is split or globbed there.
		}

		default: {
			return `"\${${name}}"`;
		}
	}
}
