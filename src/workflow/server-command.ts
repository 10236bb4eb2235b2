import type {Os} from '../os/types.js';
import {fillCmdCommand} from './cmd-placeholders.js';
import {windowsNpmCommand} from './npm-script.js';
import {type FilledCommand, fillShellCommand, type PlaceholderValues} from './placeholders.js';

/** Fill placeholders for the shell that runs the server: /bin/sh's rules, or cmd.exe's. */
export function fillServerCommand(shell: Os['shell'], command: string, values: PlaceholderValues): FilledCommand {
	return shell === 'cmd' ? fillCmdCommand(command, values) : fillShellCommand(command, values);
}

/**
 * The server's command and environment, as the launcher and `doctor --server` run it: placeholders
 * filled for its shell (values as environment variables), MCP_SERVER_URL, and PORT when
 * mcp-launch chose the port. Under cmd.exe, `npm run …` (from `npm:<script>`) names npm by the
 * full path the OS finds on PATH (npm.cmd by PATHEXT; never an npm.bat of the current directory).
 */
export function serverCommand(command: string, values: PlaceholderValues, env: Record<string, string | undefined>, {os, port, cwd = process.cwd()}: {os: Pick<Os, 'shell' | 'findClient'>; port?: number | undefined; cwd?: string}): {command: string; env: Record<string, string | undefined>} {
	const filled = fillServerCommand(os.shell, command, values);
	const npm = os.shell === 'cmd' && filled.command.startsWith('npm run ') ? os.findClient('npm', {cwd, env}) : undefined;
	const text = npm ? windowsNpmCommand(filled.command, npm.status === 'ok' ? npm.path : undefined) : filled.command;
	return {command: text, env: {...env, ...filled.env, MCP_SERVER_URL: values.self.url, ...(port === undefined ? {} : {PORT: String(port)})}};
}
