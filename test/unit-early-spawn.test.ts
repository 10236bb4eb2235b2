// The CLI's early step (src/early-spawn.ts): which argvs it takes for plain enough to spawn the
// servers held before the full parse, and that every flag it understands is the flag table's.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {commonFlags, launchFlags} from '../src/cli/flags.js';
import {plainServers, switches, valued} from '../src/early-spawn.js';

describe('plainServers', () => {
	it('takes the plain forms: servers and numeric ports by position, npm: expanded, with or without --', () => {
		assert.deepEqual(plainServers(['-s', 'node server.js', '--', 'claude']), [{command: 'node server.js', port: undefined, url: 'http://127.0.0.1:3000/mcp'}]);
		assert.deepEqual(plainServers(['--server=npm:dev', '-p', '8080', '-q', 'claude', '--mcp-config', 'x']), [{command: 'npm run dev', port: '8080', url: 'http://127.0.0.1:8080/mcp'}]);
		assert.deepEqual(plainServers(['-s', 'a', '-p', '1', '--name', 'api', '-s', 'b', '--timeout', '5s', '--kill-timeout', '0', '-H', 'X: y', '--', 'c']), [{command: 'a', port: '1', url: 'http://127.0.0.1:1/mcp'}, {command: 'b', port: undefined, url: 'http://127.0.0.1:3000/mcp'}]);
	});

	it('gives each server the URL launch() will put in its MCP_SERVER_URL: a plain --url as the URL parser writes it', () => {
		assert.deepEqual(plainServers(['-s', 'a', '-u', 'http://LOCALHOST:8080/mcp', '--', 'c']), [{command: 'a', port: undefined, url: 'http://localhost:8080/mcp'}]);
		assert.deepEqual(plainServers(['-s', 'a', '-u', 'https://127.0.0.1:8443', '--', 'c']), [{command: 'a', port: undefined, url: 'https://127.0.0.1:8443/'}]);
	});

	for (const [why, argv] of [
		['a subcommand', ['wait', 'http://127.0.0.1:3000/mcp']],
		['doctor', ['doctor', '--server', 'node s.js']],
		['no client', ['-s', 'node s.js']],
		['nothing after --', ['-s', 'node s.js', '--']],
		['no server', ['--', 'claude']],
		['-p auto (the port is picked later)', ['-s', 'node s.js', '-p', 'auto', '--', 'c']],
		['a port that is not a plain number', ['-s', 'node s.js', '-p', '0300', '--', 'c']],
		['more ports than servers', ['-s', 'a', '-p', '1', '-p', '2', '--', 'c']],
		['a placeholder in a server command', ['-s', 'node s.js --port {port}', '-p', '3000', '--', 'c']],
		['--from (the URL comes from a file)', ['-s', 'a', '--from', '.mcp.json:x', '--', 'c']],
		['--reuse (maybe nothing is spawned)', ['-s', 'a', '--reuse', '--', 'c']],
		['--server-log', ['-s', 'a', '--server-log', 'x.log', '--', 'c']],
		['a flag of another branch', ['-s', 'a', '--watch', 'src', '--', 'c']],
		['--restart', ['-s', 'a', '--restart', '--', 'c']],
		['an unknown flag', ['-s', 'a', '--sever', 'b', '--', 'c']],
		['--help', ['-s', 'a', '--help']],
		['combined short switches', ['-s', 'a', '-qv', '--', 'c']],
		['a switch given a value', ['-s', 'a', '--quiet=true', '--', 'c']],
		['a value that looks like a flag', ['-s', '-x', '--', 'c']],
		['a missing value', ['-s']],
		['an empty server command', ['-s', ' ', '--', 'c']],
		['a URL with a query (its values are encoded and checked by the full parse)', ['-s', 'a', '-u', 'http://127.0.0.1:3000/mcp?t=1', '--', 'c']],
		['a URL with a password', ['-s', 'a', '-u', 'http://u:p@127.0.0.1:3000/mcp', '--', 'c']],
		['an IPv6 URL', ['-s', 'a', '-u', 'http://[::1]:3000/mcp', '--', 'c']],
		['a URL with {port}', ['-s', 'a', '-p', '3000', '-u', 'http://127.0.0.1:{port}/mcp', '--', 'c']],
	] as const) {
		it(`declines ${why}`, () => {
			assert.equal(plainServers(argv), undefined);
		});
	}
});

describe('the early step\'s flags are the flag table\'s', () => {
	const table = {...commonFlags, ...launchFlags};
	it('every valued flag it knows takes a value there, under the same name or alias', () => {
		for (const [word, name] of Object.entries(valued)) {
			const spec = table[name];
			assert.ok(spec, `--${name} is in the table`);
			assert.equal(spec.type, 'string', `--${name} takes a value`);
			assert.ok(word === name || spec.alias === word, `-${word} is --${name}'s alias`);
		}
	});

	it('every switch it knows is a boolean there', () => {
		for (const word of switches) {
			const entry = Object.entries(table).find(([name, spec]) => name === word || spec.alias === word);
			assert.equal(entry?.[1].type, 'boolean', `${word} is a switch`);
		}
	});
});
