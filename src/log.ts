import pino from 'pino';
import type {Logger} from './log-types.js';

export type LogFormat = 'pretty' | 'json';
export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

const prefix = 'mcp-launch: ';
const levelLabels: Record<number, string> = {40: 'warning: ', 50: 'error: ', 60: 'error: '};

/**
 * Turn one pino JSON record into the short human line people read on a terminal:
 * `mcp-launch: ready http://127.0.0.1:3000/mcp (406 after 612 ms)`.
 * Server output echoed in verbose mode keeps its own text behind `[server]`.
 */
export function formatPretty(record: {level: number; msg?: string; source?: string; stream?: string}, eol = '\n'): string {
	const message = record.msg ?? '';
	if (record.source === 'server') {
		return `[server${record.stream === 'stderr' ? ' stderr' : ''}] ${message}${eol}`;
	}

	const label = levelLabels[record.level] ?? '';
	return `${prefix}${label}${message.replaceAll('\n', `${eol}  `)}${eol}`;
}

/**
 * The CLI's logger: pino writing synchronously to stderr (fd 2), as JSON lines or as
 * short human lines. Synchronous, in-thread: no worker transport, nothing lost on exit.
 * stdout is never touched; it belongs to the client.
 */
export function createLogger({level, format}: {level: LogLevel; format: LogFormat}): Logger {
	const destination = pino.destination({dest: 2, sync: true});
	if (format === 'json') {
		return pino({level, base: {name: 'mcp-launch'}, timestamp: pino.stdTimeFunctions.isoTime}, destination);
	}

	// A raw mode TUI on the terminal needs \r\n to start a fresh line.
	const eol = process.stderr.isTTY ? '\r\n' : '\n';
	const pretty = {
		write(line: string) {
			destination.write(formatPretty(JSON.parse(line) as {level: number; msg?: string}, eol));
		},
	};
	return pino({level, base: null, timestamp: false}, pretty);
}
