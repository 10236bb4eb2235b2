// Section: a real run's start-up. mcp-launch with a server command that exits at once (the
// exit-125 path: argv, pre-flight, spawn, the server's exit, the report) against `node -e 0`:
// wall time (spawn() → 'exit' event) and peak RSS (a separate run under GNU time, `%M`, so
// time's own cost stays out of the wall figures). `--version` is an information line only.
import {existsSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {cli, config, workDir} from '../lib/config.js';
import {reap, run} from '../lib/proc.js';
import {summarize} from '../lib/stats.js';

export const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

export const startupCommands = {
	'mcp-launch real run (server exits at once)': {argv: ['node', [cli, '-s', 'exit 3', '-p', 'auto', '--', 'true']], exitCode: 125},
	'node -e 0': {argv: ['node', ['-e', '0']], exitCode: 0},
	'mcp-launch --version (information only, not a start-up figure)': {argv: ['node', [cli, '--version']], exitCode: 0},
};

/** GNU time writes "Command exited with non-zero status N" before %M when the status is not 0. */
function peakKiB(file) {
	try {
		const value = Number(readFileSync(file, 'utf8').trim().split('\n').at(-1));
		return Number.isFinite(value) && value > 0 ? value : undefined;
	} catch {
		return undefined;
	}
}

export async function startup(results) {
	const names = Object.keys(startupCommands);
	const samples = Object.fromEntries(names.map(name => [name, {wallMs: [], rssKiB: []}]));
	if (!timeBin) {
		console.log('start-up: /usr/bin/time not found: peak RSS is not measured. Install it: apt-get install -y time');
	}

	process.stdout.write(`start-up: ${config.runsStartup} runs x ${names.length} commands `);
	const rssFile = path.join(workDir, 'rss');
	for (let round = 0; round < config.runsStartup; round++) {
		for (let i = 0; i < names.length; i++) {
			const name = names[(i + round) % names.length];
			const {argv: [file, args], exitCode} = startupCommands[name];
			// eslint-disable-next-line no-await-in-loop
			const timed = await run(file, args, {timeoutMs: 20_000});
			reap(timed);
			if (timed.code !== exitCode) {
				throw new Error(`start-up: ${name} exited ${timed.code ?? timed.signal}, expected ${exitCode}: ${timed.error ?? timed.stderr}`);
			}

			samples[name].wallMs.push(timed.exitedAt - timed.startedAt);
			if (timeBin && round < config.runsRss) {
				// eslint-disable-next-line no-await-in-loop
				const measured = await run(timeBin, ['-f', '%M', '-o', rssFile, file, ...args], {timeoutMs: 20_000});
				reap(measured);
				const kib = peakKiB(rssFile);
				rmSync(rssFile, {force: true});
				if (kib !== undefined) {
					samples[name].rssKiB.push(kib);
				}
			}
		}

		process.stdout.write('.');
	}

	process.stdout.write('\n');
	results.startup = {timeAvailable: Boolean(timeBin), commands: {}};
	for (const name of names) {
		const [file, args] = startupCommands[name].argv;
		results.startup.commands[name] = {
			command: [file, ...args].join(' '),
			samples: samples[name],
			wall: summarize(samples[name].wallMs),
			rssMiB: summarize(samples[name].rssKiB.map(k => k / 1024)),
		};
	}
}
