import {spawn, type ChildProcess, type StdioOptions} from 'node:child_process';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {constants} from 'node:os';
import {waitFor, now} from './wait.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const SERVER_FIXTURE = path.join(FIXTURES, 'server.js');
export const CLIENT_FIXTURE = path.join(FIXTURES, 'client.js');
export const NPM_LIKE_FIXTURE = path.join(FIXTURES, 'npm-like.js');

/** Quotes one word for /bin/sh. */
export function sq(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export const shellJoin = (words: readonly string[]): string => words.map(sq).join(' ');

export interface CliResult {
	/** Exit code, or 128+N when the process died of signal N. */
	code: number;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	startedAt: number;
	/** High-res epoch ms of the 'exit' event. */
	endedAt: number;
	durationMs: number;
	timedOut: boolean;
}

export interface StartOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	stdin?: 'ignore' | 'pipe';
	/** Bound on the whole run: SIGKILL and timedOut=true after this. */
	timeoutMs?: number;
	/** Run this file instead of the CLI (argv goes after it). */
	command?: string[];
}

export interface CliRun {
	child: ChildProcess;
	pid: number;
	startedAt: number;
	stdout(): string;
	stderr(): string;
	exited: Promise<CliResult>;
	/** True once the process has exited. */
	done(): boolean;
	waitStdout(text: string | RegExp, timeoutMs: number): Promise<void>;
	waitStderr(text: string | RegExp, timeoutMs: number): Promise<void>;
}

const matches = (haystack: string, needle: string | RegExp) =>
	typeof needle === 'string' ? haystack.includes(needle) : needle.test(haystack);

/** Starts `node dist/cli.js ...args` with piped stdout/stderr (both captured). */
export function startCli(args: readonly string[], options: StartOptions = {}): CliRun {
	const command = options.command ?? [process.execPath, CLI];
	const [file, ...pre] = command;
	if (file === undefined) throw new Error('empty command');
	const stdio: StdioOptions = [options.stdin ?? 'ignore', 'pipe', 'pipe'];
	const startedAt = now();
	const child = spawn(file, [...pre, ...args], {
		cwd: options.cwd ?? ROOT,
		env: options.env ?? process.env,
		stdio,
	});
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	let finished = false;
	const exited = new Promise<CliResult>((resolve, reject) => {
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, options.timeoutMs ?? 25_000);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('exit', (code, signal) => {
			const endedAt = now();
			finished = true;
			clearTimeout(timer);
			const result = (): CliResult => ({
				code: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0),
				signal,
				stdout,
				stderr,
				startedAt,
				endedAt,
				durationMs: endedAt - startedAt,
				timedOut,
			});
			// 'close' (all output read) normally follows at once; a leaked process holding our pipe
			// must not hang the test, so give it a bound.
			const fallback = setTimeout(() => resolve(result()), 2_000);
			child.once('close', () => {
				clearTimeout(fallback);
				resolve(result());
			});
		});
	});
	if (child.pid === undefined) throw new Error(`could not start ${file}`);
	return {
		child,
		pid: child.pid,
		startedAt,
		stdout: () => stdout,
		stderr: () => stderr,
		exited,
		done: () => finished,
		waitStdout: (text, timeoutMs) =>
			waitFor(() => matches(stdout, text) || (finished ? Promise.reject(new Error(`exited; stdout: ${stdout}; stderr: ${stderr}`)) : false), {
				timeoutMs,
				what: `${String(text)} on stdout (stdout so far: ${JSON.stringify(stdout)}, stderr: ${JSON.stringify(stderr)})`,
			}).then(() => undefined),
		waitStderr: (text, timeoutMs) =>
			waitFor(() => matches(stderr, text) || (finished ? Promise.reject(new Error(`exited; stderr: ${stderr}`)) : false), {
				timeoutMs,
				what: `${String(text)} on stderr (stderr so far: ${JSON.stringify(stderr)})`,
			}).then(() => undefined),
	};
}

/** Runs the CLI to completion (bounded). */
export function runCli(args: readonly string[], options: StartOptions = {}): Promise<CliResult> {
	return startCli(args, options).exited;
}

/** Non-empty lines of a text. */
export const lines = (text: string): string[] => text.split(/\r?\n/).filter((line) => line.trim() !== '');

/** A context string for assertion messages. */
export const show = (result: Pick<CliResult, 'code' | 'stdout' | 'stderr'>): string =>
	`exit ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;

export function cliBuilt(): boolean {
	return existsSync(CLI);
}
