// Issue 17 item 11: every fact about a flag lives in one table (src/cli/flags.ts), and every
// rule is derived from it, for every command: a switch takes no value (`--insecure=banana` is
// refused, as `--reuse=banana` always was), a flag with a value is given once unless it is
// repeatable, a missing value names the form, yargs and the fast path parse alike.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import yargs from 'yargs';
import {doctorFlags, fastParse, type FlagTable, launchFlags, type ParsedFlags, waitFlags} from '../src/cli/flags.js';
import {checkFlags, commandParser, UsageError} from '../src/cli/shared.js';

const tables: Array<[string, FlagTable]> = [['mcp-launch', launchFlags], ['wait', waitFlags], ['doctor', doctorFlags]];
const sample: Record<string, string> = {port: '3000', probe: 'tcp', 'on-server-exit': 'exit', 'log-level': 'debug', 'log-format': 'json', format: 'json', timeout: '5s', 'kill-timeout': '1s', 'probe-timeout': '1s', url: 'http://127.0.0.1:1/mcp', header: 'X-A: b', from: 'a.json:s', name: 'api', server: 'node s.js', 'server-log': 's.log', watch: 'src', restart: 'on-failure'};

/** Parse and check as a command does: yargs on the table, then the table's rules. */
function parse(table: FlagTable, argv: string[]): ParsedFlags {
	const parsed = commandParser(yargs(argv), '0.0.0', table).parseSync() as ParsedFlags;
	checkFlags(parsed, table, argv);
	return parsed;
}

for (const [command, table] of tables) {
	describe(`${command}: the rules come from the table`, () => {
		for (const [name, spec] of Object.entries(table)) {
			if (spec.type === 'boolean') {
				it(`--${name} is a switch: --${name}=banana is refused${spec.alias ? `, so is -${spec.alias}=banana` : ''}; --${name}=true is the switch`, () => {
					for (const given of [`--${name}=banana`, ...(spec.alias ? [`-${spec.alias}=banana`] : [])]) {
						assert.throws(() => parse(table, [given, 'x']), (error: unknown) => error instanceof UsageError && error.message.includes(`\`--${name}\` without a value`), given);
					}

					assert.equal(parse(table, [`--${name}=true`, 'x'])[name], true);
				});
			} else {
				const value = sample[name];
				assert.ok(value, `a sample value for --${name}`);
				it(`--${name} takes a value${spec.repeatable ? ', and repeats' : ', once'}; without one the message shows its form`, () => {
					const twice = () => parse(table, [`--${name}`, value!, `--${name}`, value!, 'x']);
					if (spec.repeatable) {
						assert.deepEqual(twice()[name], [value, value]);
					} else {
						assert.throws(twice, (error: unknown) => error instanceof UsageError && error.message === `Expected \`--${name}\` once (${spec.form}), got it 2 times`);
					}

					for (const flag of [`--${name}`, ...(spec.alias ? [`-${spec.alias}`] : [])]) {
						assert.throws(() => parse(table, [flag]), (error: unknown) => error instanceof UsageError && error.message === `Expected a value after \`--${name}\`: ${spec.form}`, flag);
					}
				});
			}
		}
	});
}

describe('the fast path parses as yargs does', () => {
	it('the same flags from the same argv', () => {
		const argv = ['-s', 'node s.js', '-p', 'auto', '-H', 'X-A: b', '--timeout', '5s', '--reuse', '-q', '--', 'claude', '--x'];
		const fast = fastParse(argv, launchFlags);
		const slow = parse(launchFlags, argv);
		assert.ok(fast, 'the fast path took it');
		for (const name of Object.keys(launchFlags)) {
			assert.deepEqual(fast[name], slow[name], name);
		}

		assert.deepEqual([fast._, fast['--']], [slow._, slow['--']]);
	});

	it('hands to yargs what yargs must say: an unknown flag, a bad choice, help', () => {
		for (const argv of [['--bogus', 'x'], ['--probe', 'banana', 'x'], ['--help'], ['-q', '-v', 'x']]) {
			assert.equal(fastParse(argv, launchFlags), undefined, argv.join(' '));
		}
	});
});
