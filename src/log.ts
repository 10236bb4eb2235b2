import pino from 'pino';
import type {Logger} from './log-types.js';
import {redactText} from './redact.js';

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
export function formatPretty(record: {level: number; msg?: string; source?: string; stream?: string; server?: string}, eol = '\n'): string {
	const message = record.msg ?? '';
	if (record.source === 'server') {
		const name = record.server && record.server !== 'server' ? ` ${record.server}` : '';
		return `[server${name}${record.stream === 'stderr' ? ' stderr' : ''}] ${message}${eol}`;
	}

	const label = levelLabels[record.level] ?? '';
	return `${prefix}${label}${message.replaceAll('\n', `${eol}  `)}${eol}`;
}

/**
 * A single, quiet status line on a terminal (e.g. "waiting for … 3 s"). Log lines clear it
 * before they are written and it is redrawn after them; `clear()` removes it for good,
 * before the client gets the terminal.
 */
export type StatusLine = {
	set(text: string): void;
	clear(): void;
};

type Destination = {write(text: string): unknown};

class TerminalStatus implements StatusLine {
	#text: string | undefined;
	readonly #destination: Destination;

	constructor(destination: Destination) {
		this.#destination = destination;
	}

	set(text: string) {
		this.#text = redactText(text);
		this.#destination.write(`\r\u001B[2K${prefix}${this.#text}`);
	}

	clear() {
		if (this.#text !== undefined) {
			this.#text = undefined;
			this.#destination.write('\r\u001B[2K');
		}
	}

	/** Write a log line around the status line. */
	around(line: string) {
		if (this.#text === undefined) {
			this.#destination.write(line);
			return;
		}

		this.#destination.write(`\r\u001B[2K${line}${prefix}${this.#text}`);
	}
}

const noStatus: StatusLine = {set() {}, clear() {}};

/**
 * The CLI's logger: pino writing synchronously to stderr (fd 2), as JSON lines or as
 * short human lines. Synchronous, in-thread: no worker transport, nothing lost on exit.
 * stdout is never touched; it belongs to the client. Every line is redacted on its way out
 * (URL passwords and query values, and each of `secrets`, e.g. `--header` values): whatever
 * a message or a field holds, and at every level.
 */
export function createLogger({level, format, secrets = []}: {level: LogLevel; format: LogFormat; secrets?: readonly string[]}): {logger: Logger; status: StatusLine} {
	const destination = pino.destination({dest: 2, sync: true});
	if (format === 'json') {
		const json = {
			write(line: string) {
				destination.write(redactText(line, secrets));
			},
		};
		return {logger: pino({level, base: {name: 'mcp-launch'}, timestamp: pino.stdTimeFunctions.isoTime}, json), status: noStatus};
	}

	const tty = process.stderr.isTTY === true;
	// A raw mode TUI on the terminal needs \r\n to start a fresh line.
	const eol = tty ? '\r\n' : '\n';
	const terminal = tty ? new TerminalStatus(destination) : undefined;
	const pretty = {
		write(line: string) {
			const text = redactText(formatPretty(JSON.parse(line) as {level: number; msg?: string}, eol), secrets);
			if (terminal) {
				terminal.around(text);
			} else {
				destination.write(text);
			}
		},
	};
	return {logger: pino({level, base: null, timestamp: false}, pretty), status: terminal ?? noStatus};
}
