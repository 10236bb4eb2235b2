/**
 * Windows command lines are one string; each program splits it itself. Two rule sets matter:
 *
 * - CommandLineToArgvW / the C runtime (every .exe built with MSVC or mingw, node.exe among
 *   them): whitespace separates, "…" groups, `\` is literal except before a `"`, where 2n
 *   backslashes + `"` are n backslashes and a quote mark, 2n+1 + `"` are n backslashes and a
 *   literal `"`. {@link quoteArgument} writes one argument back so it splits out unchanged.
 * - A batch file (`claude.cmd`, `npm.cmd`) runs under cmd.exe, which first expands `%VAR%` and
 *   acts on `& | < > ^` outside quotes, then hands `%*` on to the program inside. So its
 *   arguments are quoted for both (the rules Rust's std adopted after "BatBadBut",
 *   CVE-2024-24576): always quoted when not plain, `"` doubled, every `%` written as
 *   `%%cd:~,%` (an empty substring of %cd%, so no `%NAME%` can form), and a line break refused.
 */

/** Characters that need no quotes in either rule set. */
const plain = /^[\w#$*+\-./:?@\\]+$/;

/** One argument for CommandLineToArgvW / the C runtime. */
export function quoteArgument(argument: string): string {
	if (argument !== '' && !/[\s"]/.test(argument)) {
		return argument;
	}

	let result = '"';
	let backslashes = 0;
	for (const char of argument) {
		if (char === '\\') {
			backslashes++;
			continue;
		}

		// Backslashes before a quote are doubled, and the quote escaped; elsewhere they are literal.
		result += '\\'.repeat(char === '"' ? (backslashes * 2) + 1 : backslashes) + char;
		backslashes = 0;
	}

	return `${result}${'\\'.repeat(backslashes * 2)}"`; // Doubled: the closing quote must stay a quote.
}

/** A whole command line for a program that uses the C runtime's rules. */
export function commandLine(argv: readonly string[]): string {
	return argv.map(argument => quoteArgument(argument)).join(' ');
}

/** One argument for a batch file run by cmd.exe; undefined when it cannot be passed (a line break, a NUL). */
export function quoteBatchArgument(argument: string): string | undefined {
	if (/[\r\n\0]/.test(argument)) {
		return undefined;
	}

	if (plain.test(argument)) {
		return argument;
	}

	let result = '"';
	let backslashes = 0;
	for (const char of argument) {
		if (char === '\\') {
			backslashes++;
			result += char;
			continue;
		}

		if (char === '"') {
			result += `${'\\'.repeat(backslashes)}"`; // Doubled backslashes, then `""`: one literal quote in both parsers.
		} else if (char === '%') {
			result += '%%cd:~,';
		}

		result += char;
		backslashes = 0;
	}

	return `${result}${'\\'.repeat(backslashes)}"`;
}

/**
 * The arguments of `%ComSpec%` that run a batch file with these arguments:
 * `/d /e:on /v:off /s /c ""C:\path\claude.cmd" "arg 1" …"` (to pass with
 * `windowsVerbatimArguments`). Undefined when an argument cannot be passed safely.
 */
export function batchCommand(script: string, argv: readonly string[]): string[] | undefined {
	if (script.includes('"') || script.endsWith('\\')) {
		return undefined;
	}

	const quoted = argv.map(argument => quoteBatchArgument(argument));
	if (quoted.some(argument => argument === undefined)) {
		return undefined;
	}

	return ['/d', '/e:on', '/v:off', '/s', '/c', `""${script}"${quoted.map(argument => ` ${argument}`).join('')}"`];
}
