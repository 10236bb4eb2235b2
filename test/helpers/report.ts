import {existsSync, readFileSync} from 'node:fs';

/** Events the fixtures write (server.js, npm-like.js): one JSON object a line. */
export interface ReportEvent {
	event: string;
	pid: number;
	ppid?: number;
	pgid?: number;
	sid?: number;
	port?: number;
	host?: string;
	t?: number;
	name?: string;
	code?: number;
	child?: number;
}

/** The JSON document client.js writes. */
export interface ClientReport {
	pid: number;
	ppid: number;
	startedAt: number;
	connectedAt: number | null;
	tools: string[];
	url: string | null;
	env: {MCP_SERVER_URL: string | null};
	stdinIsTTY: boolean;
	stdoutIsTTY: boolean;
	argv: string[];
	signals: string[];
	error: string | null;
	exitCode: number | null;
	exitAt: number | null;
	serverVersion?: {name: string; version: string} | null;
}

/** Reads a JSON-lines report; a missing file reads as no events, a torn last line is skipped. */
export function readJsonLines(file: string): ReportEvent[] {
	if (!existsSync(file)) return [];
	const events: ReportEvent[] = [];
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (line.trim() === '') continue;
		try {
			events.push(JSON.parse(line) as ReportEvent);
		} catch {
			// a line being written right now
		}
	}
	return events;
}

/** Reads client.js's report, or undefined when it does not exist (yet) or is being written. */
export function readClientReport(file: string): ClientReport | undefined {
	if (!existsSync(file)) return undefined;
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as ClientReport;
	} catch {
		return undefined;
	}
}

export function findEvent(file: string, event: string, extra?: (e: ReportEvent) => boolean): ReportEvent | undefined {
	return readJsonLines(file).find((e) => e.event === event && (extra ? extra(e) : true));
}
