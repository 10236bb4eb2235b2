import {OptionError} from '../option-error.js';
import {type FilledCommand, fillCommandWith, type PlaceholderValues} from './placeholders.js';
import {cmdContexts, cmdSafeValue, cmdVariableReference, hasOwnPercent} from './cmd-context.js';

/**
 * Fill placeholders in a cmd.exe command (the Windows twin of fillShellCommand): `{url}` and
 * `{host}` become `%MCP_LAUNCH_URL%`-style references that cmd expands inside quotes, as data,
 * so a value holding `&`, `|`, `^`, `%` or parentheses is never run. Where cmd's own rules leave
 * that in doubt (see cmd-context.ts) the command is refused with a usage error, never guessed.
 */
export function fillCmdCommand(command: string, values: PlaceholderValues): FilledCommand {
	return fillCommandWith(command, values, matches => {
		const contexts = cmdContexts(command, matches.map(match => match.index));
		const ownPercent = hasOwnPercent(command, matches.map(match => ({index: match.index, length: match.whole.length})));
		return {reference(variable, index, value) {
			const {whole} = matches[index]!;
			const context = contexts[index]!;
			if (!cmdSafeValue(value)) {
				throw new OptionError('--server', `Expected \`${whole}\` to hold no quote or line break for cmd.exe, which could not pass it as data`);
			}

			if (ownPercent) {
				throw new OptionError('--server', `Expected no other \`%\` in a --server command that uses \`${whole}\` (cmd.exe expands %…% before it reads quotes, so where the value lands could not be told)`);
			}

			if (context === 'after-caret') {
				throw new OptionError('--server', `Expected \`${whole}\` not right after a \`^\` in --server (cmd.exe would escape the quote that keeps the value data)`);
			}

			return cmdVariableReference(variable, context);
		}};
	});
}
