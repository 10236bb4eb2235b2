import {execFileSync} from 'node:child_process';
import type {Listener} from './port-owner.js';

/** `lsof -nP -iTCP -sTCP:LISTEN -Fpcn` output (field per line: p<pid>, c<command>, n<address:port>). Pure. */
export function parseLsof(text: string): Listener[] {
	const result: Listener[] = [];
	let pid: number | undefined;
	let command: string | undefined;
	for (const line of text.split('\n')) {
		const tag = line[0];
		const value = line.slice(1);
		if (tag === 'p') {
			pid = Number(value);
			command = undefined;
		} else if (tag === 'c') {
			command = value;
		} else if (tag === 'n') {
			const match = /^(?:\[([^\]]+)\]|(.*)):(\d+)$/.exec(value);
			if (!match) {
				continue;
			}

			const raw = match[1] ?? match[2]!;
			const address = raw === '*' ? (match[1] === undefined ? '0.0.0.0' : '::') : raw;
			const listener: Listener = {address, port: Number(match[3]), family: match[1] === undefined && !raw.includes(':') ? 4 : 6};
			if (pid !== undefined && Number.isInteger(pid)) {
				listener.pid = pid;
			}

			if (command !== undefined) {
				listener.command = command;
			}

			result.push(listener);
		}
	}

	return result;
}

/** Run lsof (macOS) and parse its answer; empty when lsof is missing or finds nothing. */
export function lsof(args: string[]): Listener[] {
	try {
		return parseLsof(execFileSync('lsof', args, {encoding: 'utf8', timeout: 2_000, stdio: ['ignore', 'pipe', 'ignore']}));
	} catch (error) {
		// lsof exits 1 when nothing matched; its output is still valid.
		const stdout = (error as {stdout?: string}).stdout;
		return typeof stdout === 'string' ? parseLsof(stdout) : [];
	}
}
