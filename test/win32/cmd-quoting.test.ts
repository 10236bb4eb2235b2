// Quoting through a real cmd.exe (Wine's, in CI): a placeholder's value, full of cmd operators,
// reaches the server's argv exactly and runs nothing; arguments to a batch file (`claude.cmd`)
// reach the program it starts exactly and run nothing (and the naive quoting does run them here).
// Wine's cmd never reads operators inside an expanded %VAR% (Windows' does), so under Wine the
// placeholder specs prove the exact value only; where the value lands for Windows' cmd is proven
// on Linux against a model of its parser (test/unit-win32-quoting.test.ts).
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {batchCommand, commandLine} from '../../src/os/win32/argv-quote.js';
import {fillCmdCommand} from '../../src/workflow/cmd-placeholders.js';
import {toEndpointUrl} from '../../src/option-values.js';
import {createWin32Os} from '../../src/os/win32/index.js';
import type {PlaceholderServer} from '../../src/workflow/placeholders.js';
import {fixture, jobHelper, nodeCommand, underWine} from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-cmd-'));
const work = mkdtempSync(path.join(tmpdir(), 'mcp-launch-cmd-cwd-')); // Where an injected `md,PWNED` would land.
after(() => {
	rmSync(dir, {recursive: true, force: true});
	rmSync(work, {recursive: true, force: true});
});
const os = createWin32Os({jobHelper: jobHelper()});
const nothingRan = () => assert.deepEqual(readdirSync(work), [], 'a command inside a value was run');

/**
 * Every cmd operator a URL can carry, as a placed value is: through the URL check, which
 * percent-encodes the operators (a query's `&` is refused there), leaving `%`, `,` and `=`.
 */
const hostile: PlaceholderServer = {
	name: 'api',
	port: '4100',
	url: toEndpointUrl('http://127.0.0.1:4100/mcp?a=1,md=PWNED|md,PIPED|^x(y)!PATH!').href,
	host: '127.0.0.1',
};
/** With `%NAME%` in it: Windows' cmd expands once and never rescans what it substituted; Wine's cmd rescans. */
const percent: PlaceholderServer = {...hostile, url: toEndpointUrl('http://127.0.0.1:4100/mcp?a=1,md=PWNED,p=%PATH%,h=%MCP_LAUNCH_HOST%').href};
const wineRescans = underWine && 'Wine\'s cmd expands %VAR% again inside an expanded value (Windows\' cmd does not): the value changes there, though nothing runs';

let n = 0;
/** Run a server command with its placeholders filled for this server; the argv it got. */
async function serverArgv(template: string, server: PlaceholderServer): Promise<unknown> {
	const out = path.join(dir, `argv-${n++}.json`);
	const filled = fillCmdCommand(`${nodeCommand(fixture('win-print-argv.js'), out)} ${template}`, {self: server, byName: new Map([['api', server]])});
	const tree = os.spawnTree({command: filled.command, cwd: work, env: {...process.env, ...filled.env}});
	tree.release();
	assert.equal((await tree.exited).code, 0);
	await tree.dispose();
	return JSON.parse(readFileSync(out, 'utf8'));
}

/** One placeholder in every context at once: bare, in quotes, in quotes with text around, as --flag=value. */
const contexts = '{url} "{url}" "[{url}]" --url={url}';
const expected = (url: string) => [url, url, `[${url}]`, `--url=${url}`];

/** A URL the check leaves with no `%`: what Wine's cmd passes exactly too. */
const plain: PlaceholderServer = {...hostile, url: toEndpointUrl('http://127.0.0.1:4100/mcp?a=1,b=2:c@d').href};

describe('placeholders in a --server command, through cmd.exe', () => {
	it('bare, quoted, quoted with text around, as --flag=value: the exact value in the server\'s argv', async () => {
		assert.deepEqual(await serverArgv(contexts, plain), expected(plain.url));
		nothingRan();
	});

	// The URL check percent-encodes cmd's operators (`|` is %7C): the value then holds `%`.
	it('a value holding every operator a URL can carry: the exact value', {skip: wineRescans}, async () => {
		assert.deepEqual(await serverArgv(contexts, hostile), expected(hostile.url));
		nothingRan();
	});

	it('a value holding every operator a URL can carry: nothing run', async () => {
		await serverArgv(contexts, hostile);
		nothingRan();
	});

	it('a value holding %PATH%: the exact value', {skip: wineRescans}, async () => {
		assert.deepEqual(await serverArgv(contexts, percent), expected(percent.url));
		nothingRan();
	});

	it('a value holding %PATH%: nothing run', async () => {
		await serverArgv(contexts, percent);
		nothingRan();
	});
});

/** Run a batch file (like npm's claude.cmd: `@node cli.js %*`) with these arguments; the argv its program got. */
async function batchArgv(argv: string[], quote = (script: string, list: string[]) => batchCommand(script, list)): Promise<{code: unknown; argv: unknown}> {
	const out = path.join(dir, `batch-argv-${n++}.json`);
	const script = path.join(dir, 'client.cmd');
	writeFileSync(script, `@"${process.execPath}" "${fixture('win-print-argv.js')}" "${out}" %*\r\n`);
	const args = quote(script, argv);
	assert.ok(args);
	const child = spawn(process.env.ComSpec!, args, {cwd: work, windowsVerbatimArguments: true, stdio: 'ignore'});
	const code = await new Promise(resolve => child.once('exit', resolve));
	return {code, argv: existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined};
}

describe('arguments to a batch file (claude.cmd), through cmd.exe', () => {
	it('each argument reaches the program the batch file runs, exactly; nothing in them is run', async () => {
		const argv = ['plain', 'two words', '', 'quote"inside', 'trailing\\', 'a b\\', '!PATH!', 'a&md PWNED', '|md PIPED', '^caret', '(paren)', '<in>', '"&md QUOTED&"', '\\"&md ESCAPED&\\"', 'C:\\Users\\x y\\mcp-config.json', 'ünïcödé ✓'];
		assert.deepEqual(await batchArgv(argv), {code: 0, argv});
		nothingRan();
	});

	it('the check can fail: quoted for the C runtime alone (BatBadBut), an argument runs a command here', async () => {
		await batchArgv(['"&md INJECTED&"'], (script, list) => ['/d', '/s', '/c', `""${script}" ${commandLine(list)}"`]);
		assert.deepEqual(readdirSync(work), ['INJECTED']);
		rmSync(path.join(work, 'INJECTED'), {recursive: true});
	});

	it('arguments holding % reach it exactly (the %%cd:~,% defuse)', {skip: underWine && 'Wine\'s cmd expands % again in the arguments %* substitutes (Windows\' cmd does not)'}, async () => {
		const argv = ['100%', '%PATH%', '%cd%', 'a%b%c', '%%'];
		assert.deepEqual(await batchArgv(argv), {code: 0, argv});
		nothingRan();
	});
});
