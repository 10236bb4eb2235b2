/**
 * How the C runtime (and CommandLineToArgvW, since 2008) splits a Windows command line, written
 * from its documented rules, to check quoting against: whitespace separates outside quotes;
 * 2n backslashes + `"` are n backslashes and a quote mark that toggles quoting, 2n+1 + `"`
 * are n backslashes and a literal `"`; inside quotes `""` is a literal `"`; other backslashes
 * are literal.
 */
export function splitCommandLine(line: string): string[] {
	const argv: string[] = [];
	let index = 0;
	while (index < line.length) {
		while (line[index] === ' ' || line[index] === '\t') {
			index++;
		}

		if (index >= line.length) {
			break;
		}

		let argument = '';
		let quoted = false;
		for (; index < line.length; index++) {
			const char = line[index]!;
			if (char === '\\') {
				let count = 0;
				while (line[index] === '\\') {
					count++;
					index++;
				}

				if (line[index] === '"') {
					argument += '\\'.repeat(Math.floor(count / 2));
					if (count % 2 === 1) {
						argument += '"';
						continue;
					}
				} else {
					argument += '\\'.repeat(count);
				}

				index--;
				continue;
			}

			if (char === '"') {
				if (quoted && line[index + 1] === '"') {
					argument += '"';
					index++;
				} else {
					quoted = !quoted;
				}

				continue;
			}

			if ((char === ' ' || char === '\t') && !quoted) {
				break;
			}

			argument += char;
		}

		argv.push(argument);
	}

	return argv;
}
