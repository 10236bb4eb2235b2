import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {freePort} from './net.js';
import {killHard} from './proc.js';
import {readClientReport, readJsonLines} from './report.js';
import {CLIENT_FIXTURE, NPM_LIKE_FIXTURE, SERVER_FIXTURE, shellJoin, startCli, type CliRun, type StartOptions} from './cli.js';

/**
 * One test's world: a temp dir, a free port, report paths, and a cleanup that kills everything
 * the test started (the launcher runs it tracked, and every pid any fixture reported) and
 * removes the dir. Use `t.after(() => box.cleanup())`.
 */
export class Sandbox {
	readonly runs: CliRun[] = [];
	readonly extraPids: number[] = [];

	private constructor(
		readonly dir: string,
		readonly port: number,
	) {}

	static async create(): Promise<Sandbox> {
		const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-e2e-'));
		return new Sandbox(dir, await freePort());
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}/mcp`;
	}

	get serverReport(): string {
		return this.path('server.jsonl');
	}

	get clientReport(): string {
		return this.path('client.json');
	}

	path(name: string): string {
		return path.join(this.dir, name);
	}

	/** The --server shell command for the fixture server (port and report already set). */
	server(flags: readonly string[] = [], options: {wrapper?: 'node' | 'shell'} = {}): string {
		const server = ['node', SERVER_FIXTURE, '--port', String(this.port), '--report', this.serverReport, ...flags];
		if (!options.wrapper) return shellJoin(server);
		const wrapper = ['node', NPM_LIKE_FIXTURE, '--report', this.serverReport];
		if (options.wrapper === 'shell') wrapper.push('--shell');
		return shellJoin([...wrapper, '--', ...server]);
	}

	/** argv for the fixture client (after `--`), reporting to clientReport. */
	client(flags: readonly string[] = []): string[] {
		return ['node', CLIENT_FIXTURE, '--report', this.clientReport, ...flags];
	}

	/** Starts the CLI and tracks it for cleanup. */
	start(args: readonly string[], options: StartOptions = {}): CliRun {
		const run = startCli(args, options);
		this.runs.push(run);
		return run;
	}

	/** pid of the fixture server (from its start event), if it started. */
	serverPid(): number | undefined {
		return readJsonLines(this.serverReport).find((e) => e.event === 'start')?.pid;
	}

	/** Every pid the server-side fixtures reported (wrapper, its child, server). */
	serverTreePids(): number[] {
		const pids = new Set<number>();
		for (const e of readJsonLines(this.serverReport)) {
			if (e.event === 'start' || e.event === 'wrapper') pids.add(e.pid);
			if (e.event === 'wrapper' && e.child !== undefined) pids.add(e.child);
		}
		return [...pids];
	}

	async cleanup(): Promise<void> {
		for (const run of this.runs) if (!run.done()) killHard(run.pid);
		const pids = new Set<number>(this.extraPids);
		try {
			for (const name of readdirSync(this.dir)) {
				const file = this.path(name);
				if (name.endsWith('.jsonl')) {
					for (const e of readJsonLines(file)) {
						pids.add(e.pid);
						if (e.child !== undefined) pids.add(e.child);
					}
				} else if (name.endsWith('.json')) {
					const report = readClientReport(file);
					if (report) pids.add(report.pid);
				}
			}
		} catch {
			// dir already gone
		}
		for (const pid of pids) killHard(pid);
		await Promise.allSettled(this.runs.map((run) => run.exited));
		rmSync(this.dir, {recursive: true, force: true});
	}
}
