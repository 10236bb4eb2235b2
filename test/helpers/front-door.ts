// The front door's specs (--watch, --restart): mcp-launch on a reserved port in front of
// test/fixtures/watch-server.js (a stateful SDK server whose tools come from a file), a client
// command that only waits for a file, and SDK clients the spec itself connects to the front door.
import type {TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {LoggingMessageNotificationSchema, ToolListChangedNotificationSchema} from '@modelcontextprotocol/sdk/types.js';
import {CLIENT_FIXTURE, FIXTURES, type CliRun, startCli} from './cli.js';
import {defer} from './cleanup.js';
import {matrixEnv, tempDir, watchTree} from './matrix.js';
import {freePort} from './net.js';
import {type ClientReport, readClientReport, readJsonLines, type ReportEvent} from './report.js';
import type {ProcInfo} from './soak-procs.js';
import {waitFor} from './wait.js';

export const WATCH_SERVER = path.join(FIXTURES, 'watch-server.js');

export interface Door {
	run: CliRun;
	port: number;
	url: string;
	dir: string;
	/** `dir`/src: where the tools file is (a spec watches it with `--watch {src}`); the server writes nothing there. */
	src: string;
	/** The file the server reads its tools from, in `src`. */
	tools: string;
	report: string;
	/** Create it: the client command exits 0, and so does mcp-launch. */
	go: string;
	tree(): ProcInfo[];
	events(): ReportEvent[];
	/** What the client command was given (its {url}, MCP_SERVER_URL, and the {mcp-config} path as its last argument). */
	client(): ClientReport | undefined;
	/** The pid of each generation that listened, in order. */
	listened(): number[];
	/** Every process the fixture reported (each generation's node), with its group. */
	reported(): Array<{pid: number; pgid: number}>;
}

export interface DoorOptions {
	/** mcp-launch flags besides -p and -s ({src} and {dir} stand for the door's directories). */
	flags: string[];
	tools?: string[];
	/** More fixture arguments ({dir} and {src} stand for the door's directories). */
	serverArgs?: string[];
	/** Files to create in the door's directory before mcp-launch starts (`boot` for --hold-boot {dir}/boot). */
	files?: string[];
}

/** mcp-launch with the front door in front of the watch fixture, started and ready. */
export async function openDoor(t: TestContext, options: DoorOptions): Promise<Door> {
	const dir = tempDir(t, 'mcp-launch-door-');
	const src = path.join(dir, 'src');
	mkdirSync(src);
	const tools = path.join(src, 'tools.json');
	writeTools(tools, options.tools ?? ['alpha']);
	const report = path.join(dir, 'report.jsonl');
	for (const file of options.files ?? []) {
		writeFileSync(path.join(dir, file), '');
	}

	const go = path.join(dir, 'go');
	const port = await freePort();
	const fill = (arg: string) => arg.replaceAll('{dir}', dir).replaceAll('{src}', src);
	const serverArgs = (options.serverArgs ?? []).map(fill);
	const server = ['node', WATCH_SERVER, '--tools', tools, '--report', report, ...serverArgs].join(' ');
	const run = startCli(['-p', String(port), ...options.flags.map(fill), '-s', server, '--', process.execPath, CLIENT_FIXTURE, '--no-connect', '--until-file', go, '--report', path.join(dir, 'client.json'), '--url', '{url}', '{mcp-config}'], {
		cwd: dir,
		env: matrixEnv(),
		timeoutMs: 120_000,
	});
	const watched = watchTree(t, run);
	const url = `http://127.0.0.1:${port}/mcp`;
	await run.waitStderr(`ready ${url}`, 30_000);
	const events = () => readJsonLines(report);
	return {
		run,
		port,
		url,
		dir,
		src,
		tools,
		report,
		go,
		tree: watched.tree,
		events,
		client: () => readClientReport(path.join(dir, 'client.json')),
		listened: () => events().filter(event => event.event === 'listening').map(event => event.pid),
		reported: () => events().filter(event => event.event === 'start').map(event => ({pid: event.pid, pgid: event.pgid!})),
	};
}

export function writeTools(file: string, tools: string[]): void {
	writeFileSync(file, JSON.stringify({tools}));
}

/** Waits (bounded) until generation `n` (1-based) listens; its pid. */
export async function generationListening(door: Door, n: number, timeoutMs = 30_000): Promise<number> {
	return waitFor(() => door.listened()[n - 1], {timeoutMs, what: `generation ${n} to listen (stderr: ${door.run.stderr()})`});
}

export interface Session {
	client: Client;
	transport: StreamableHTTPClientTransport;
	/** How many notifications/tools/list_changed came. */
	listChanged(): number;
	/** The notifications/message texts that came (on the GET stream). */
	messages(): string[];
	/** How many GET requests (event streams) the transport opened. */
	gets(): number;
	errors: Error[];
}

/** An SDK client session through the front door. */
export async function connect(t: TestContext, url: string): Promise<Session> {
	let gets = 0;
	let changed = 0;
	const messages: string[] = [];
	const errors: Error[] = [];
	const transport = new StreamableHTTPClientTransport(new URL(url), {
		fetch: async (input, init) => {
			if (init?.method === 'GET') gets++;
			return fetch(input, init);
		},
	});
	const client = new Client({name: 'front-door-spec', version: '1.0.0'});
	client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
		changed++;
	});
	client.setNotificationHandler(LoggingMessageNotificationSchema, async notification => {
		messages.push(String(notification.params.data));
	});
	client.onerror = error => errors.push(error);
	defer(t, async () => client.close());
	await client.connect(transport);
	return {client, transport, listChanged: () => changed, messages: () => messages, gets: () => gets, errors};
}

/** The text of a tool call's first content item. */
export async function call(session: Session, name: string, args: Record<string, unknown> = {}): Promise<string> {
	const result = await session.client.callTool({name, arguments: args});
	const first = (result.content as Array<{type: string; text?: string}>)[0];
	assert.equal(first?.type, 'text', `tool ${name} answers text: ${JSON.stringify(result)}`);
	return first.text!;
}

export const pidOf = (text: string): number => (JSON.parse(text) as {pid: number}).pid;
