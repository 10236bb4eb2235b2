import {redactText, redactTypedUrl} from './redact.js';

/**
 * A bad option, found before anything starts. It is a `TypeError` (as the conventions say bad
 * options are), and the only one the CLI turns into exit 2: any other TypeError is a bug.
 * `flag` names the option as the user typed it (`--timeout`, `--header`, `headers`).
 *
 * @example
 * try { await launch(options) } catch (error) {
 *   if (error instanceof OptionError) console.error(`fix ${error.flag}: ${error.message}`)
 * }
 */
export class OptionError extends TypeError {
	readonly flag: string;

	constructor(flag: string, message: string) {
		super(oneLine(message));
		this.flag = flag;
	}
}

const maxShown = 80;

/**
 * A user's value as it may appear in a one-line message: secrets redacted first (a URL's
 * password and query values, whatever the URL holds, so clipping cannot keep the start of
 * one), control characters escaped, long text clipped.
 */
export function shown(value: unknown): string {
	const raw = String(value);
	const text = oneLine(/^\s*[a-z][a-z\d+.-]*:\/\//i.test(raw) ? redactTypedUrl(raw) : redactText(raw));
	return text.length > maxShown ? `${text.slice(0, maxShown)}… (${text.length} characters)` : text;
}

const escapes: Record<string, string> = {'\n': String.raw`\n`, '\r': String.raw`\r`, '\t': String.raw`\t`};
const escape = (character: string) => escapes[character] ?? `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`;

/** Control characters (newlines, CR, escapes) written as escapes, so a message stays one line. */
export function oneLine(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, escape);
}

/**
 * Text as it may reach a terminal: every control character but newline and tab written as an
 * escape (`\u001b`), so what a server printed or answered (an OSC that sets the window title,
 * a cursor move, a CR that overwrites the line) shows as text and does nothing. Applied where
 * mcp-launch writes: its log lines, doctor's report, a LaunchError.
 */
export function printable(text: string): string {
	// eslint-disable-next-line no-control-regex
	return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029]/g, escape);
}

/** The message every option error reads like: the flag, the expected form, what was given. */
export function expected(flag: string, form: string, value: unknown): OptionError {
	return new OptionError(flag, `Expected \`${flag}\` to be ${form}, got \`${shown(value)}\``);
}
