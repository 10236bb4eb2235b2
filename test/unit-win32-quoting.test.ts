// Windows quoting, pure: placeholders in a cmd.exe command (the no-injection promise of the sh
// version), arguments for the C runtime's splitter and for batch files, the PATHEXT lookup
// (`claude` is `claude.cmd`) and `npm:` as npm.cmd by its full path. The same rules run through
// a real cmd.exe in the Windows leg (test/win32/cmd-quoting.test.ts).
import assert from 'node:assert/strict';
import path from 'node:path';
import {describe, it} from 'node:test';
import {batchCommand, commandLine, quoteArgument, quoteBatchArgument} from '../src/os/win32/argv-quote.js';
import {cmdContexts} from '../src/workflow/cmd-context.js';
import {fillCmdCommand} from '../src/workflow/cmd-placeholders.js';
import {findWindowsExecutable, isBatchFile} from '../src/os/win32/find-executable.js';
import {windowsNpmCommand} from '../src/workflow/npm-script.js';
import {OptionError} from '../src/option-error.js';
import {toEndpointUrl} from '../src/option-values.js';
import type {PlaceholderServer, PlaceholderValues} from '../src/workflow/placeholders.js';
import {valueCharactersQuoted} from './helpers/cmd-model.js';
import {splitCommandLine} from './helpers/windows-argv.js';

/**
 * Every cmd operator a URL can carry, as a placed value is: through the URL check, which
 * percent-encodes them (`&` between query parameters is refused there: see
 * unit-placeholders-shell), leaving `%`, `,` and `=`, which cmd still reads.
 */
const hostile: PlaceholderServer = {
	name: 'api',
	port: '4100',
	url: toEndpointUrl('http://127.0.0.1:4100/mcp?a=1,md=PWNED|calc^x%PATH%(y)!z!').href,
	host: '127.0.0.1',
};
const values: PlaceholderValues = {self: hostile, byName: new Map([['api', hostile]])};

describe('placeholders in a cmd.exe command', () => {
	it('a URL full of cmd operators stays one quoted reference; the value goes to the environment', () => {
		assert.match(hostile.url, /,md=PWNED%7Ccalc%5Ex%PATH%%28y%29%21z%21$/, 'the URL check encodes | ^ ( ) ! and keeps % , =');
		assert.deepEqual(fillCmdCommand('node s.js --url {url} --port {port}', values), {
			command: 'node s.js --url "%MCP_LAUNCH_URL%" --port 4100',
			env: {MCP_LAUNCH_URL: hostile.url},
		});
	});

	it('inside quotes the reference is bare (cmd reads the expanded text as quoted), with text around it too', () => {
		assert.equal(fillCmdCommand('node s.js "{url}" "[{host:api}]"', values).command, 'node s.js "%MCP_LAUNCH_URL%" "[%MCP_LAUNCH_HOST_API%]"');
		assert.equal(fillCmdCommand('node s.js --url={url}', values).command, 'node s.js --url="%MCP_LAUNCH_URL%"');
	});

	it('reads quotes and carets as cmd does: ^" is no quote, a caret inside quotes is text', () => {
		const command = 'a ^"b "c^" d "e" f';
		const at = (text: string) => command.indexOf(text);
		assert.deepEqual(cmdContexts(command, [at('a'), at('b'), at('c'), at('d'), at('e'), at('f')]), ['bare', 'bare', 'double', 'bare', 'double', 'bare']);
		assert.deepEqual(cmdContexts('x ^{url}', [3]), ['after-caret']);
	});

	for (const [why, command, message] of [
		['right after an escaping ^', 'node s.js ^{url}', /not right after a `\^`/],
		['with another % in the command', 'set X=%PATH% & node s.js {url}', /no other `%`/],
		['with one stray %', 'node s.js 50% {host}', /no other `%`/],
	] as const) {
		it(`refuses {url} ${why} (exit 2, nothing started)`, () => {
			assert.throws(() => fillCmdCommand(command, values), (error: unknown) => error instanceof OptionError && error.flag === '--server' && message.test(error.message));
		});
	}

	it('refuses a value cmd could not carry as data (a quote, a line break)', () => {
		const quoted = {...hostile, host: 'a"b'};
		// The shell-inert check refuses it first; cmd's own check stands behind it.
		assert.throws(() => fillCmdCommand('node s.js {host}', {self: quoted, byName: new Map()}), (error: unknown) => error instanceof OptionError && /no quote or line break|without `"`/.test(error.message));
	});

	it('by the model of Windows\' cmd: every character of the value is read inside quotes, in every context', () => {
		for (const template of ['node s.js {url}', 'node s.js "{url}"', 'node s.js "[{url}]" x', 'node s.js --url={url} & echo done', 'a "b" {url} "c {host}" ^& {url}']) {
			const filled = fillCmdCommand(template, values);
			const quoted = valueCharactersQuoted(filled.command, {...filled.env, PATH: 'C:\\x&y'}, new Set(Object.keys(filled.env)));
			assert.ok(quoted.length >= hostile.url.length, template);
			assert.ok(quoted.every(Boolean), `${template} → ${filled.command}`);
		}
	});

	it('the model sees the injection a bare %VAR% would allow (so the check above can fail)', () => {
		const quoted = valueCharactersQuoted('node s.js %MCP_LAUNCH_URL%', {MCP_LAUNCH_URL: hostile.url}, new Set(['MCP_LAUNCH_URL']));
		assert.equal(quoted.some(Boolean), false);
	});

	it('a port is digits and needs none of it, even after a caret or beside a %', () => {
		assert.deepEqual(fillCmdCommand('echo 50%% ^{port}', values), {command: 'echo 50%% ^4100', env: {}});
	});
});

const tricky = ['', 'plain', 'two words', 'tab\there', 'quote"inside', '"', 'trailing\\', 'trailing space\\', 'back\\slash', '\\\\server\\share', 'ends with quote\\"', 'C:\\Program Files\\x\\', '\\"', 'a\\\\"b', 'ünïcödé ✓', '%PATH%', '&|<>^()'];

describe('argument quoting for the C runtime (CommandLineToArgvW)', () => {
	it('every argument splits back out unchanged', () => {
		assert.deepEqual(splitCommandLine(commandLine(tricky)), tricky);
		for (const argument of tricky) {
			assert.deepEqual(splitCommandLine(quoteArgument(argument)), [argument], JSON.stringify(argument));
		}
	});

	it('plain arguments are left as they are; empty ones are ""', () => {
		assert.equal(commandLine(['node', '--port', '3000', 'C:\\x\\y.js', '']), 'node --port 3000 C:\\x\\y.js ""');
		assert.equal(quoteArgument('a b\\'), '"a b\\\\"');
		assert.equal(quoteArgument('say "hi"'), String.raw`"say \"hi\""`);
	});
});

describe('argument quoting for a batch file under cmd.exe', () => {
	it('quotes what is not plain, doubles quotes, defuses every %, and refuses line breaks', () => {
		assert.equal(quoteBatchArgument('--mcp-config'), '--mcp-config');
		assert.equal(quoteBatchArgument('C:\\Users\\me\\cfg.json'), 'C:\\Users\\me\\cfg.json');
		assert.equal(quoteBatchArgument('a&b'), '"a&b"');
		assert.equal(quoteBatchArgument(''), '""');
		assert.equal(quoteBatchArgument('say "hi"'), '"say ""hi"""');
		assert.equal(quoteBatchArgument('%PATH%'), '"%%cd:~,%PATH%%cd:~,%"');
		assert.equal(quoteBatchArgument('dir\\'), 'dir\\');
		assert.equal(quoteBatchArgument('a b\\'), '"a b\\\\"', 'backslashes before the closing quote are doubled');
		assert.equal(quoteBatchArgument('line\nbreak'), undefined);
	});

	it('the whole cmd.exe command line: /d /e:on /v:off /s /c and one pair of outer quotes', () => {
		assert.deepEqual(batchCommand('C:\\npm\\claude.cmd', ['--mcp-config', 'C:\\T\\x y\\c.json']), ['/d', '/e:on', '/v:off', '/s', '/c', '""C:\\npm\\claude.cmd" --mcp-config "C:\\T\\x y\\c.json""']);
		assert.equal(batchCommand('C:\\bad"name.cmd', []), undefined);
		assert.equal(batchCommand('C:\\x.cmd', ['ok', 'bad\r\n']), undefined);
	});
});

describe('finding a program on Windows (PATHEXT)', () => {
	const files = new Set(['C:\\npm\\claude', 'C:\\npm\\claude.cmd', 'C:\\npm\\claude.ps1', 'C:\\node\\node.exe', 'C:\\node\\npm.cmd', 'D:\\repo\\claude.bat', 'D:\\repo\\tools\\run.cmd'].map(file => file.toLowerCase()));
	const lookup = {path: 'C:\\node;"C:\\npm";;relative\\dir', pathext: '.COM;.EXE;.BAT;.CMD', cwd: 'D:\\repo', isFile: (file: string) => files.has(file.toLowerCase())};

	it('claude is claude.cmd (not npm\'s extensionless sh shim, not the .ps1); node is node.exe', () => {
		assert.equal(findWindowsExecutable('claude', lookup), 'C:\\npm\\claude.cmd');
		assert.equal(findWindowsExecutable('node', lookup), 'C:\\node\\node.exe');
		assert.equal(findWindowsExecutable('NODE.EXE', lookup), 'C:\\node\\NODE.EXE');
		assert.equal(isBatchFile('C:\\npm\\claude.cmd'), true);
		assert.equal(isBatchFile('C:\\node\\node.exe'), false);
	});

	it('never the current directory (a cloned repository\'s claude.bat), nor a relative PATH entry', () => {
		assert.equal(findWindowsExecutable('claude', {...lookup, path: 'relative\\dir'}), undefined);
		assert.equal(findWindowsExecutable('claude', {...lookup, path: ''}), undefined);
	});

	it('a path is resolved from cwd, with PATHEXT added when it has no listed extension', () => {
		assert.equal(findWindowsExecutable('tools\\run', lookup), 'D:\\repo\\tools\\run.cmd');
		assert.equal(findWindowsExecutable('.\\claude', lookup), 'D:\\repo\\claude.bat');
		assert.equal(findWindowsExecutable('C:\\npm\\claude', lookup), 'C:\\npm\\claude.cmd');
		assert.equal(findWindowsExecutable('missing', lookup), undefined);
	});

	it('PATHEXT unset means Windows\' default; its order decides', () => {
		assert.equal(findWindowsExecutable('claude', {...lookup, pathext: undefined}), 'C:\\npm\\claude.cmd');
		const both = {...lookup, isFile: (file: string) => ['c:\\npm\\x.exe', 'c:\\npm\\x.cmd'].includes(file.toLowerCase())};
		assert.equal(findWindowsExecutable('x', both), 'C:\\npm\\x.exe');
		assert.equal(findWindowsExecutable('x', {...both, pathext: '.CMD;.EXE'}), 'C:\\npm\\x.cmd');
	});

	it('npm:<script> runs npm.cmd by its full path', () => {
		const npm = findWindowsExecutable('npm', lookup);
		assert.equal(npm, 'C:\\node\\npm.cmd');
		assert.equal(windowsNpmCommand('npm run dev -- --port 4100', npm), '"C:\\node\\npm.cmd" run dev -- --port 4100');
		assert.equal(windowsNpmCommand('node s.js', npm), 'node s.js');
		assert.equal(windowsNpmCommand('npm run dev', undefined), 'npm run dev');
		assert.equal(path.win32.basename(npm!), 'npm.cmd');
	});
});
