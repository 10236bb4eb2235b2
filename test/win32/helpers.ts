// Helpers for the Windows specs, which run under node.exe (Wine in CI): paths handed over by
// scripts/wine-test.sh, liveness by pid, and an HTTP probe through node:http (undici's fetch
// fails under Wine).
import {request} from 'node:http';
import path from 'node:path';

function required(name: string): string {
	const value = process.env[name];
	if (!value) {
		throw new Error(`${name} is not set: run the Windows specs through scripts/wine-test.sh`);
	}

	return value;
}

/** The clone, as node.exe sees it (Z:\…). */
export const root = (): string => required('MCP_WIN_ROOT');
/** The built job helper (dist\win32-x64\mcp-launch-job.exe). */
export const jobHelper = (): string => required('MCP_WIN_JOB_HELPER');
/** Whether this is Wine rather than Windows (set by the leg). */
export const underWine = process.env.MCP_WIN_UNDER_WINE === '1';

export const fixture = (name: string): string => path.win32.join(root(), 'test', 'fixtures', name);

/** A command line for cmd.exe that runs this node with arguments (each quoted; none may hold a quote). */
export function nodeCommand(...argv: string[]): string {
	if (argv.some(part => part.includes('"'))) {
		throw new Error('nodeCommand: an argument holds a quote; write the code with single quotes');
	}

	return [process.execPath, ...argv].map(part => `"${part}"`).join(' ');
}

export function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** The status of a bare MCP probe (POST ping), or the error's code. */
export async function probe(url: string): Promise<number | string> {
	return new Promise(resolve => {
		const body = JSON.stringify({jsonrpc: '2.0', id: 'probe', method: 'ping'});
		const outgoing = request(url, {method: 'POST', headers: {'content-type': 'application/json', accept: 'application/json, text/event-stream'}, timeout: 5_000}, response => {
			response.resume();
			resolve(response.statusCode ?? 0);
		});
		outgoing.on('error', error => resolve((error as NodeJS.ErrnoException).code ?? error.message));
		outgoing.end(body);
	});
}
