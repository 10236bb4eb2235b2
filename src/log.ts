import {writeSync} from 'node:fs';
import type {Logger} from './log-types.js';
import {printable} from './option-error.js';
import {redactText} from './redact.js';

export type LogFormat = 'pretty' | 'json';
export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;
const levelValues: Record<string, number> = {debug: 20, info: 30, warn: 40, error: 50, silent: Number.POSITIVE_INFINITY};
export type LogLevel = (typeof logLevels)[number];

const prefix = 'mcp-launch: ';
const levelLabels: Record<number, string> = {40: 'warning: ', 50: 'error: ', 60: 'error: '};

/**
 * Turn one pino JSON record into the short human line people read on a terminal:
 * `mcp-launch: ready http://127.0.0.1:3000/mcp (406 after 612 ms)`.
 * Server output echoed in verbose mode keeps its own text behind `[server]`.
 */
export function formatPretty(record: {level: number; msg?: string; source?: string; stream?: string; server?: string}, eol = '\n'): string {
	const message = printable(record.msg ?? ''); // What a server printed or answered cannot drive the terminal.
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
	/** When to draw it: first after `firstMs` of waiting, then every `everyMs` (a terminal redraws in place; a log gets a line each time). */
	readonly cadence: {firstMs: number; everyMs: number};
	set(text: string): void;
	clear(): void;
};

/** On a terminal: after a second (fast servers never cause a flicker), redrawn every 250 ms. */
const terminalCadence = {firstMs: 1000, everyMs: 250};

/** Not on a terminal (a CI log): one line every 10 s while a wait goes on, like wait-on's `-l`. */
export const logCadence = {firstMs: 10_000, everyMs: 10_000};

type Destination = {write(text: string): unknown};

/** Synchronous writes to fd 2, whole (a pipe may take a write in parts, or ask to retry). */
const stderr: Destination = {
	write(text: string) {
		let buffer = Buffer.from(text);
		while (buffer.length > 0) {
			try {
				buffer = buffer.subarray(writeSync(2, buffer));
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
					return; // stderr is gone: nothing to tell anyone.
				}
			}
		}
	},
};

class TerminalStatus implements StatusLine {
	readonly cadence = terminalCadence;
	#text: string | undefined;
	readonly #destination: Destination;

	constructor(destination: Destination) {
		this.#destination = destination;
	}

	set(text: string) {
		this.#text = printable(redactText(text));
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

/** A status that shows nothing (-q, or no stderr to speak of). */
export const silentStatus: StatusLine = {cadence: terminalCadence, set() {}, clear() {}};

/** The status line as a plain line in a log, each time it is set (its cadence: {@link logCadence}). */
function loggedStatus(destination: Destination): StatusLine {
	return {
		cadence: logCadence,
		set(text: string) {
			destination.write(`${prefix}${redactText(text)}\n`);
		},
		clear() {},
	};
}

type Method = 'debug' | 'info' | 'warn' | 'error';

/**
 * A logger made only when asked (`load()`) or when something is logged: pino for JSON lines is
 * loaded then. The launcher asks right after it spawned the server, so the ~10 ms pino costs to
 * load are spent while the server boots, not before it starts. Calls made before the logger is
 * there are kept, in order, and written once it is; `flush()` waits for that (the launcher calls
 * it before the client gets the terminal, so no line of ours lands on the client's screen).
 */
export class DeferredLogger implements Logger {
	readonly #level: LogLevel;
	readonly #make: () => Promise<Logger>;
	#pino: Logger | undefined;
	#queue: Array<[Method, unknown[]]> = [];
	#loading: Promise<void> | undefined;

	constructor(level: LogLevel, make: () => Promise<Logger>) {
		this.#level = level;
		this.#make = make;
	}

	readonly debug = ((...args: unknown[]) => this.#log('debug', args)) as Logger['debug'];
	readonly info = ((...args: unknown[]) => this.#log('info', args)) as Logger['info'];
	readonly warn = ((...args: unknown[]) => this.#log('warn', args)) as Logger['warn'];
	readonly error = ((...args: unknown[]) => this.#log('error', args)) as Logger['error'];

	isLevelEnabled(level: string): boolean {
		return (levelValues[level] ?? 0) >= levelValues[this.#level]!;
	}

	load(): Promise<void> {
		this.#loading ??= this.#make().then(logger => {
			this.#pino = logger;
			for (const [method, args] of this.#queue) {
				(this.#pino[method] as (...values: unknown[]) => void)(...args);
			}

			this.#queue = [];
		});
		return this.#loading;
	}

	/** Resolves once every line logged so far is written (at once when pino is loaded). */
	flush(): Promise<void> | undefined {
		return this.#pino ? undefined : (this.#queue.length > 0 ? this.load() : undefined);
	}

	#log(method: Method, args: unknown[]): void {
		if (!this.isLevelEnabled(method)) {
			return;
		}

		if (this.#pino) {
			(this.#pino[method] as (...values: unknown[]) => void)(...args);
		} else {
			this.#queue.push([method, args]);
			void this.load();
		}
	}
}

/**
 * Short human lines, written straight from each call's message and fields (`logger.warn({server},
 * 'text')`): what pino's JSON record, parsed back, gave before, without loading pino (~150 KB,
 * its worker_threads and assert) on every run.
 */
function lineLogger(level: LogLevel, write: (record: {level: number; msg?: string}) => void): Logger {
	const method = (value: number) => ((first: unknown, second?: unknown) => {
		if (value < levelValues[level]!) {
			return;
		}

		const fields = typeof first === 'object' && first !== null ? first as Record<string, unknown> : {};
		const message = typeof first === 'string' ? first : second;
		write({...fields, level: value, ...(message === undefined ? {} : {msg: String(message)})});
	}) as Logger['info'];
	return {debug: method(20), info: method(30), warn: method(40), error: method(50)};
}

/**
 * The CLI's logger, writing synchronously to stderr (fd 2), as JSON lines (pino) or as short
 * human lines. Synchronous, in-thread: no worker transport, nothing lost on exit.
 * stdout is never touched; it belongs to the client. Every line is redacted on its way out
 * (URL passwords and query values, and each of `secrets`, e.g. `--header` values): whatever
 * a message or a field holds, and at every level. pino itself is loaded later (DeferredLogger).
 */
export function createLogger({level, format, secrets = []}: {level: LogLevel; format: LogFormat; secrets?: readonly string[]}): {logger: DeferredLogger; status: StatusLine} {
	if (format === 'json') {
		const json = {
			write(line: string) {
				// JSON escapes C0 controls; printable() also turns DEL and C1 (U+009B is a CSI) into \u escapes.
				stderr.write(printable(redactText(line, secrets)));
			},
		};
		const make = async () => import('pino').then(({default: pino}): Logger => pino({level, base: {name: 'mcp-launch'}, timestamp: pino.stdTimeFunctions.isoTime}, json) as Logger);
		return {logger: new DeferredLogger(level, make), status: silentStatus};
	}

	const tty = process.stderr.isTTY === true;
	// A raw mode TUI on the terminal needs \r\n to start a fresh line.
	const eol = tty ? '\r\n' : '\n';
	const terminal = tty ? new TerminalStatus(stderr) : undefined;
	const write = (record: {level: number; msg?: string}) => {
		const text = redactText(formatPretty(record, eol), secrets);
		if (terminal) {
			terminal.around(text);
		} else {
			stderr.write(text);
		}
	};

	return {logger: new DeferredLogger(level, async () => lineLogger(level, write)), status: terminal ?? loggedStatus(stderr)};
}
