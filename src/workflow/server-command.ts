import {findWindowsExecutable, isFile, windowsNpmCommand} from '../os/win32/find-executable.js';
import {fillCmdCommand} from './cmd-placeholders.js';
import {type FilledCommand, fillShellCommand, type PlaceholderValues} from './placeholders.js';

/** Fill placeholders for the shell that runs the server: /bin/sh's rules, or cmd.exe's. */
export function fillServerCommand(shell: 'sh' | 'cmd', command: string, values: PlaceholderValues): FilledCommand {
	return shell === 'cmd' ? fillCmdCommand(command, values) : fillShellCommand(command, values);
}

/**
 * The server's command and environment, as the launcher and `doctor --server` run it: placeholders
 * filled for its shell (values as environment variables), MCP_SERVER_URL, and PORT when
 * mcp-launch chose the port. Under cmd.exe, `npm run` (from `npm:<script>`) names npm.cmd by its
 * full path from PATH (never an npm.bat of the current directory).
 */
export function serverCommand(command: string, values: PlaceholderValues, env: Record<string, string | undefined>, {port, shell = 'sh', cwd = process.cwd()}: {port?: number | undefined; shell?: 'sh' | 'cmd'; cwd?: string} = {}): {command: string; env: Record<string, string | undefined>} {
	const filled = fillServerCommand(shell, command, values);
	const text = shell === 'cmd'
		? windowsNpmCommand(filled.command, findWindowsExecutable('npm', {path: env.PATH ?? env.Path, pathext: env.PATHEXT, cwd, isFile}))
		: filled.command;
	return {command: text, env: {...env, ...filled.env, MCP_SERVER_URL: values.self.url, ...(port === undefined ? {} : {PORT: String(port)})}};
}
