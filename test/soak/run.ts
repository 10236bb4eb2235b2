// npm run soak: node --import tsx test/soak/run.ts [--runs N] [--seed S] [--concurrency C] [--only i,j] [--quiet]
// A bounded, seeded, randomized fault campaign against dist/cli.js (see campaign.ts). Prints the
// seed first and last; exits 1 on any leftover, bound port, wrong exit code, hang or missing
// documented behaviour, 2 on bad arguments, 130 when interrupted.
import {existsSync} from 'node:fs';
import {CLI} from '../helpers/cli.js';
import {failed, runCampaign, summary} from './campaign.js';

function parseArgs(argv: string[]) {
	const options = {runs: 200, seed: (Date.now() ^ (process.pid << 16)) >>> 0, concurrency: 2, only: undefined as number[] | undefined, quiet: false};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`${flag} needs a value`);
			return v;
		};
		const int = (min: number) => {
			const v = value();
			const n = Number(v);
			if (!Number.isInteger(n) || n < min) throw new Error(`${flag} expects an integer >= ${min}, got ${v}`);
			return n;
		};
		switch (flag) {
			case '--runs': options.runs = int(1); break;
			case '--seed': options.seed = int(0) >>> 0; break;
			case '--concurrency': options.concurrency = int(1); break;
			case '--only': options.only = value().split(',').map((n) => Number(n)).filter((n) => Number.isInteger(n) && n >= 0); break;
			case '--quiet': options.quiet = true; break;
			default: throw new Error(`unknown argument ${arg}`);
		}
	}
	return options;
}

let options: ReturnType<typeof parseArgs>;
try {
	options = parseArgs(process.argv.slice(2));
} catch (error) {
	process.stderr.write(`soak: ${(error as Error).message}\nusage: node --import tsx test/soak/run.ts [--runs N] [--seed S] [--concurrency C] [--only i,j] [--quiet]\n`);
	process.exit(2);
}
if (!existsSync(CLI)) {
	process.stderr.write(`soak: ${CLI} is missing: npm run build first (npm run soak does)\n`);
	process.exit(2);
}

const stop = {requested: false};
const active = new Set<number>();
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => {
		if (interrupted) process.exit(130);
		interrupted = true;
		stop.requested = true;
		process.stdout.write(`\nsoak: ${signal}: no new runs; ending the ${active.size} in flight (their guardians clean up)\n`);
		for (const pid of active) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {}
		}
	});
}

const what = options.only ? `scenarios ${options.only.join(',')}` : `${options.runs} runs`;
process.stdout.write(`soak: seed ${options.seed}, ${what}, concurrency ${options.concurrency} (replay: --seed ${options.seed})\n`);
const result = await runCampaign({
	runs: options.runs,
	seed: options.seed,
	concurrency: options.concurrency,
	...(options.only ? {only: options.only} : {}),
	stop,
	active,
	...(options.quiet ? {} : {log: (line: string) => process.stdout.write(`${line}\n`)}),
});
process.stdout.write(`${summary(result)}\n`);
process.exit(interrupted ? 130 : result.results.some(failed) ? 1 : 0);
