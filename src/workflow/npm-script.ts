/** `--server npm:dev` → `npm run dev` (like concurrently's shortcut); other commands pass through. */
export function expandServerCommand(command: string): string {
	const match = /^npm:(\S+)(.*)$/s.exec(command.trim());
	return match ? `npm run ${match[1]}${match[2] ? ` --${match[2]}` : ''}` : command;
}
