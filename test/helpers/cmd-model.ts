/**
 * A model of how Windows' cmd.exe reads a `/c` command line, for checking where a substituted
 * value lands (Wine's cmd cannot show it: it never parses operators inside an expanded value,
 * Windows' does). Phase 1: `%NAME%` is replaced by the variable's value in one left-to-right
 * pass (names case-insensitive; the substituted text is not scanned again; an undefined name
 * is left as it is, scanning on after its first `%`). Phase 2: on the result, `"` toggles
 * quoting, and outside quotes `^` escapes the next character and `& | < > ( )` are operators.
 *
 * Returns, for every character that came from a value of `watched` variables, whether phase 2
 * reads it inside quotes (data) or outside (where `&` would start a command).
 */
export function valueCharactersQuoted(command: string, env: Record<string, string>, watched: ReadonlySet<string>): boolean[] {
	const lookup = new Map(Object.entries(env).map(([name, value]) => [name.toUpperCase(), {name, value}]));
	let text = '';
	const fromValue: boolean[] = [];
	for (let index = 0; index < command.length;) {
		const end = command[index] === '%' ? command.indexOf('%', index + 1) : -1;
		const found = end > index ? lookup.get(command.slice(index + 1, end).toUpperCase()) : undefined;
		if (found) {
			text += found.value;
			fromValue.push(...Array.from(found.value, () => watched.has(found.name)));
			index = end + 1;
		} else {
			text += command[index];
			fromValue.push(false);
			index++;
		}
	}

	const quotedAt: boolean[] = [];
	let quoted = false;
	for (let index = 0; index < text.length; index++) {
		quotedAt.push(quoted);
		if (text[index] === '"') {
			quoted = !quoted;
		} else if (text[index] === '^' && !quoted) {
			quotedAt.push(false);
			index++;
		}
	}

	return [...text].flatMap((_, index) => (fromValue[index] ? [quotedAt[index]!] : []));
}
