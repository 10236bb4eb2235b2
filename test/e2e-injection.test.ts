// End-to-end, the attacks of issue 17 as a user would meet them: a cloned repository's
// .mcp.json (read by --from) or a -u URL holds shell code, and the server command hands {url}
// to a shell that re-reads it (sh -c, eval, bash -c, here-docs, npm scripts, a wrapper that runs
// its argument through a shell). Through the built CLI, /bin/sh (dash here) and bash: nothing in
// the URL runs, the server gets the URL (percent-encoded where a shell would act), and what
// cannot be made inert (a host with shell characters, `&` between query parameters where
// {url} places it) is refused with exit 2 before anything starts.
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {FIXTURES, cliBuilt, runCli, show} from './helpers/cli.js';
import {freePort} from './helpers/net.js';

const ARGV_REPORT = path.join(FIXTURES, 'argv-report.js');
let dir: string;
let port: number;
let marker: string;
let report: string;

before(async () => {
	assert.ok(cliBuilt(), 'dist/cli.js is built (npm run build)');
	dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-injection-'));
	port = await freePort();
	marker = path.join(dir, 'PWNED');
	report = path.join(dir, 'argv.jsonl');
	const evil = (tail: string) => ({url: `http://127.0.0.1:${port}/mcp${tail}`});
	writeFileSync(path.join(dir, 'evil.json'), JSON.stringify({mcpServers: {
		s: evil(`?t=$(touch\${IFS}${marker})`),
		tick: evil(`?t=\`touch\${IFS}${marker}\`;touch\${IFS}${marker}`),
		quote: evil(`?t=';touch\${IFS}${marker};'";touch\${IFS}${marker};"`),
		amp: evil(`?a=1&touch\${IFS}${marker}`),
		host: {url: `http://x$(touch\${IFS}${marker})y:${port}/mcp`},
	}}));
	// npm scripts that re-read what they are given: an npm config value inside `sh -c "…"`, arguments after eval.
	writeFileSync(path.join(dir, 'package.json'), JSON.stringify({name: 'injection', version: '1.0.0', private: true, scripts: {
		viaconfig: `sh -c "node ${ARGV_REPORT} --url $npm_config_url"`,
		viaargs: `eval node ${ARGV_REPORT} --url`,
	}}));
});

after(() => rmSync(dir, {recursive: true, force: true}));

/** What the server got, per run (one JSON line each). */
const reported = (): Array<{argv: string[]; url: string | null}> => (existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').map(line => JSON.parse(line) as {argv: string[]; url: string | null}) : []);

const server = `node ${ARGV_REPORT}`;
const nestings: Array<[string, string]> = [
	['sh -c \'… {url}\'', `sh -c '${server} --url {url}'`],
	['eval … {url}', `eval ${server} --url {url}`],
	['bash -c "… {url}"', `bash -c "${server} --url {url}"`],
	['a here-doc fed to sh', `sh <<EOF\n${server} --url {url}\nEOF`],
	['a here-doc fed to bash', `bash <<EOF\n${server} --url {url}\nEOF`],
	['a wrapper running its argument through a shell (nodemon --exec)', `node -e 'require("child_process").execSync(process.argv[1], {stdio: "inherit"})' '${server} --url {url}'`],
];

/** npm scripts that re-read what they are given (npm itself costs ~0.5 s a run: one payload goes through them). */
const npmNestings: Array<[string, string]> = [
	['an npm script with $npm_config_url inside sh -c', 'npm run -s viaconfig --url={url}'],
	['an npm script that evals its arguments', 'npm run -s viaargs -- {url}'],
];

describe('a URL from a cloned repo\'s .mcp.json, placed by {url} in a shell that re-reads it', {concurrency: 1}, () => {
	for (const name of ['s', 'tick', 'quote']) {
		for (const [where, command] of name === 's' ? [...nestings, ...npmNestings] : nestings) {
			it(`--from evil.json:${name}, ${where}: nothing runs, the server gets the URL`, {timeout: 30_000}, async () => {
				rmSync(report, {force: true});
				rmSync(marker, {force: true});
				const result = await runCli(['-q', '--from', `${path.join(dir, 'evil.json')}:${name}`, '-s', command, '--', 'true'], {cwd: dir, env: {...process.env, ARGV_REPORT: report}});
				assert.equal(existsSync(marker), false, `the URL ran as code\n${show(result)}`);
				assert.equal(result.code, 125, `the server ran and exited 3 before it answered\n${show(result)}`);
				const [got] = reported();
				assert.equal(got?.argv.length, 2, `one --url and one word\n${JSON.stringify(got)}`);
				assert.equal(got?.argv[1], got?.url, 'the server got its URL, the same as in MCP_SERVER_URL');
				assert.match(got!.argv[1]!, new RegExp(`^http://127\\.0\\.0\\.1:${port}/mcp\\?t=[\\w%./-]+$`), 'shell characters percent-encoded');
			});
		}
	}
});

describe('what cannot be made inert is refused: exit 2, one line, nothing started', {concurrency: 1}, () => {
	const refused: Array<[string, string[], RegExp]> = [
		['a host with $( ) (--from)', ['--from', 'evil.json:host', '-s', `${server} {url}`], /--from.*`\$` in the host/],
		['a host with $( ) (-u)', ['-u', `http://x$(touch\${IFS}PWNED)y:1/mcp`, '-s', server], /--url.*`\$` in the host/],
		['& between query parameters placed by {url}', ['--from', 'evil.json:amp', '-s', `sh -c '${server} {url}'`], /without `&` where `\{url\}` places it.*"\$MCP_SERVER_URL"/],
		['& placed by {url} in the client\'s arguments', ['--from', 'evil.json:amp', '-s', server, '--', 'sh', '-c', 'echo {url}'], /without `&`/],
		['{url} inside a quoted here-doc', ['-p', '1', '-s', `sh <<'EOF'\n${server} {url}\nEOF`], /cannot place `\{url\}` inside a quoted here-doc.*"\$MCP_SERVER_URL"/],
	];
	for (const [what, args, message] of refused) {
		it(what, {timeout: 30_000}, async () => {
			rmSync(report, {force: true});
			rmSync(marker, {force: true});
			const full = args.includes('--') ? args : [...args, '--', 'touch', marker];
			const result = await runCli(full, {cwd: dir, env: {...process.env, ARGV_REPORT: report}});
			assert.equal(result.code, 2, show(result));
			assert.equal(result.stderr.trim().split('\n').length, 1, `one line\n${show(result)}`);
			assert.match(result.stderr, message, show(result));
			assert.equal(existsSync(marker), false, 'nothing ran');
			assert.deepEqual(reported(), [], 'the server was not started');
		});
	}

	it('the same & URL without {url}: the server reads "$MCP_SERVER_URL" itself, quoted as it needs', {timeout: 30_000}, async () => {
		rmSync(report, {force: true});
		rmSync(marker, {force: true});
		const result = await runCli(['-q', '--from', 'evil.json:amp', '-s', `sh -c '${server} "$MCP_SERVER_URL"'`, '--', 'true'], {cwd: dir, env: {...process.env, ARGV_REPORT: report}});
		assert.equal(result.code, 125, show(result));
		assert.equal(existsSync(marker), false);
		assert.equal(reported()[0]?.argv[0], `http://127.0.0.1:${port}/mcp?a=1&touch%24%7BIFS%7D${marker}`);
	});
});

describe('the lexer and doctor, through the CLI', {concurrency: 1}, () => {
	it('a comment with an apostrophe before {url}: the server gets the URL, not "${MCP_LAUNCH_URL}"', {timeout: 30_000}, async () => {
		rmSync(report, {force: true});
		rmSync(marker, {force: true});
		const result = await runCli(['-q', '-p', String(port), '-s', `# don't\n${server} {url} \${port}`, '--', 'true'], {cwd: dir, env: {...process.env, ARGV_REPORT: report}});
		assert.equal(result.code, 125, show(result));
		assert.deepEqual(reported()[0]?.argv, [`http://127.0.0.1:${port}/mcp`], `\${port} is the shell's (empty) variable\n${show(result)}`);
	});

	it('doctor --server fills {url}, {port} and {host} as the launcher does', {timeout: 30_000}, async () => {
		rmSync(report, {force: true});
		rmSync(marker, {force: true});
		const result = await runCli(['doctor', '--timeout', '5s', '-s', `sh -c '${server} {url} {port} {host}'`, `http://127.0.0.1:${port}/mcp?t=$(touch\${IFS}${marker})`], {cwd: dir, env: {...process.env, ARGV_REPORT: report}});
		assert.equal(result.code, 1, `a crash on boot is a problem found\n${show(result)}`);
		assert.equal(existsSync(marker), false);
		assert.deepEqual(reported()[0]?.argv, [`http://127.0.0.1:${port}/mcp?t=%24%28touch%24%7BIFS%7D${marker}%29`, String(port), '127.0.0.1']);
	});
});
