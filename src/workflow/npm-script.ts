/** `--server npm:dev` → `npm run dev` (like concurrently's shortcut); other commands pass through. */
export function expandServerCommand(command: string): string {
	const match = /^npm:(\S+)(.*)$/s.exec(command.trim());
	return match ? `npm run ${match[1]}${match[2] ? ` --${match[2]}` : ''}` : command;
}

/**
 * `npm:<script>` for cmd.exe: the expanded `npm run <script> …` with npm given by its full path
 * (`"C:\Program Files\nodejs\npm.cmd" run dev`), so cmd never picks up an `npm.bat` from the
 * current directory. Other commands, or npm not found on PATH, pass through unchanged.
 */
export function windowsNpmCommand(expanded: string, npm: string | undefined): string {
	return npm !== undefined && expanded.startsWith('npm run ') && !npm.includes('"') ? `"${npm}"${expanded.slice(3)}` : expanded;
}
