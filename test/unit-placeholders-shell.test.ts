// Placeholders in a server command go through real shells (/bin/sh, which is dash here, and
// bash), in every quoting context and nested in shells that re-read the command (sh -c '…',
// eval, bash -c "…", a here-doc fed to sh, a Node wrapper that runs its argument through a
// shell as nodemon --exec does): the value arrives unchanged, and nothing in it is ever run.
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, describe, it} from 'node:test';
import {OptionError} from '../src/option-error.js';
import {toEndpointUrl} from '../src/option-values.js';
import {fillArgv, fillShellCommand, type PlaceholderServer, type PlaceholderValues} from '../src/workflow/placeholders.js';
import {shellContexts} from '../src/workflow/shell-context.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-placeholders-'));
after(() => rmSync(dir, {recursive: true, force: true}));
const pwned = path.join(dir, 'pwned');
// Relative: the shells run in `dir`, and a password cannot hold a `/`.
const run = `touch${'${IFS}'}pwned`;

/**
 * What an attacker puts in a URL typed with -u or read by --from from a cloned repository's
 * .mcp.json: every way a shell could be made to run `touch <pwned>`, in the query, the path,
 * the fragment and the password. Each goes through toEndpointUrl, as every URL does.
 */
const hostileUrls: Array<[string, string]> = [
	['$( ) in the query', `http://127.0.0.1:4100/mcp?t=$(${run})`],
	['backticks in the query', `http://127.0.0.1:4100/mcp?t=\`${run}\``],
	['a ; in the query', `http://127.0.0.1:4100/mcp?t=1;${run};`],
	['a | in the query', `http://127.0.0.1:4100/mcp?t=1|${run}`],
	['a > redirection in the query', 'http://127.0.0.1:4100/mcp?t=1>pwned'],
	['a < redirection in the query', 'http://127.0.0.1:4100/mcp?t=1<pwned'],
	['single quotes breaking out', `http://127.0.0.1:4100/mcp?t=';${run};'`],
	['double quotes breaking out', `http://127.0.0.1:4100/mcp?t=";${run};"`],
	['a backslash before a quote', `http://127.0.0.1:4100/mcp?t=\\';${run};'`],
	['a subshell ( )', `http://127.0.0.1:4100/mcp?t=(${run})`],
	['a space and $( ) (the parser encodes the space)', `http://127.0.0.1:4100/mcp?t= $(${run})`],
	['a brace and glob mix', `http://127.0.0.1:4100/mcp?t={a,b}*![x]^~`],
	['$( ) in the path', `http://127.0.0.1:4100/mcp/$(${run})`],
	['backticks and ; in the fragment', `http://127.0.0.1:4100/mcp#\`${run}\`;${run}`],
	['$( ) in the password', `http://u:$(${run})@127.0.0.1:4100/mcp`],
	['quotes and ; in the password', `http://u:';${run};'@127.0.0.1:4100/mcp`],
	['an IPv6 host with hostile query', `http://[::1]:4100/mcp?t=$(${run})`],
];

/** Commands that place {url} where a shell re-reads it; %s is the placeholder. */
const nestings: Array<[string, string]> = [
	['bare', 'printf \'[%s]\' {url}'],
	['double-quoted', 'printf \'[%s]\' "{url}"'],
	['single-quoted', 'printf \'[%s]\' \'{url}\''],
	['sh -c \'… {url}\'', 'sh -c \'printf "[%s]" {url}\''],
	['sh -c "… {url}"', 'sh -c "printf \'[%s]\' {url}"'],
	['eval … {url}', 'eval printf "\'[%s]\'" {url}'],
	['eval "… {url}"', 'eval "printf \'[%s]\' {url}"'],
	['bash -c \'… {url}\'', 'bash -c \'printf "[%s]" {url}\''],
	['bash -c "… {url}"', 'bash -c "printf \'[%s]\' {url}"'],
	['a here-doc fed to sh', 'sh <<EOF\nprintf \'[%s]\' {url}\nEOF'],
	['a here-doc fed to bash, inside $( )', 'printf \'%s\' "$(bash <<EOF\nprintf \'[%s]\' {url}\nEOF\n)"'],
	['sh -c inside sh -c', 'sh -c \'sh -c "printf [%s] {url}"\''],
	['eval inside bash -c', 'bash -c \'eval printf "[%s]" {url}\''],
	['a wrapper that runs its argument through a shell (nodemon --exec, concurrently)', `${process.execPath} -e 'process.stdout.write(require("child_process").execSync(process.argv[1]))' 'printf [%s] {url}'`],
];

const shells = ['/bin/sh', 'bash'] as const;

/** Each case starts with nothing in the directory the shells run in. */
function emptyDir(): void {
	for (const name of readdirSync(dir)) {
		rmSync(path.join(dir, name), {force: true});
	}
}

function values(url: URL): PlaceholderValues {
	const self = {name: 'api', port: url.port, url: url.href, host: url.hostname.replace(/^\[(.*)\]$/, '$1')};
	return {self, byName: new Map([['api', self]])};
}

/** Run a filled command the way mcp-launch does: `<shell> -c command`, its variables in the environment. */
function runFilled(shell: string, template: string, placeholders: PlaceholderValues): string {
	const filled = fillShellCommand(template, placeholders);
	return execFileSync(shell, ['-c', filled.command], {cwd: dir, env: {...process.env, ...filled.env}, encoding: 'utf8'});
}

describe('a hostile URL placed by {url}, through /bin/sh (dash) and bash, nested in shells that re-read it', () => {
	for (const [what, text] of hostileUrls) {
		const url = toEndpointUrl(text);
		for (const [where, template] of nestings) {
			for (const shell of shells) {
				it(`${what}, ${where}, ${shell}: the URL arrives as one word, nothing runs`, () => {
					emptyDir();
					const output = runFilled(shell, template, values(url));
					assert.equal(existsSync(pwned), false, `a command inside ${url.href} was run`);
					assert.deepEqual(readdirSync(dir), [], 'no file was created by a redirection');
					assert.equal(output, `[${url.href}]`);
				});
			}
		}
	}

	it('the checked URL holds no character a shell acts on (the structure ? and [ ] aside)', () => {
		for (const [, text] of hostileUrls) {
			assert.match(toEndpointUrl(text).href, /^[\w%.\-:/@+,=#?[\]]+$/, text);
		}
	});

	it('percent-encoding keeps the meaning: the server decodes the same query value and password', () => {
		const url = toEndpointUrl(`http://u:p';$(x)@127.0.0.1:4100/mcp?t=';$(x)&n=1`);
		assert.equal(url.searchParams.get('t'), '\';$(x)');
		assert.equal(url.searchParams.get('n'), '1');
		assert.equal(decodeURIComponent(url.password), 'p\';$(x)');
	});
});

describe('what cannot be made inert is refused (exit 2 from the CLI)', () => {
	it('a host that is not a name or an address', () => {
		for (const host of [`x$(${run})y`, 'a`b`', 'a;b', 'a\'b', 'a"b', 'a(b)', 'a*b', 'a!b', 'a~b', 'a&b', 'a{b}', 'a$b', 'a=b', 'a+b', 'a,b']) {
			assert.throws(() => toEndpointUrl(`http://${host}:4100/mcp`, '--from'), (error: unknown) => error instanceof OptionError && error.flag === '--from' && /in the host/.test(error.message), host);
		}

		assert.equal(existsSync(pwned), false);
	});

	it('& between query parameters, where {url} places it (a shell would run what follows)', () => {
		const url = toEndpointUrl(`http://127.0.0.1:4100/mcp?a=1&${run}`);
		assert.throws(() => fillShellCommand('node s.js {url}', values(url)), /without `&`.*"\$MCP_SERVER_URL"/);
		assert.throws(() => fillArgv(['sh', '-c', 'node c.js {url}'], values(url)), /without `&`/);
		assert.doesNotThrow(() => fillShellCommand('node s.js --port {port}', values(url)), 'a URL not placed is not refused');
	});

	it('a value that did not come through the URL check is refused, not placed (defense in depth)', () => {
		const raw: PlaceholderServer = {name: 'api', port: '4100', url: `http://127.0.0.1:4100/mcp?t=$(${run})`, host: `x$(${run})`};
		const placeholders = {self: raw, byName: new Map([['api', raw]])};
		for (const template of ['a {url}', 'a {host}', 'a {url:api}']) {
			assert.throws(() => fillShellCommand(template, placeholders), OptionError, template);
			assert.throws(() => fillArgv([template], placeholders), OptionError, template);
		}

		assert.throws(() => fillArgv(['{mcp-config}'], {...placeholders, mcpConfig: '/tmp/$(x)/mcp-config.json'}), /TMPDIR/);
	});
});

describe('the sh lexer: comments, here-docs, backslashes, the shell\'s own ${…}', () => {
	const plain = toEndpointUrl('http://127.0.0.1:4100/mcp?t=1');
	const ok = (template: string, expected: string) => {
		for (const shell of shells) {
			assert.equal(runFilled(shell, template, values(plain)), expected, `${shell}: ${JSON.stringify(template)}`);
		}
	};

	const href = plain.href;
	it('a comment with an apostrophe, then {url} on the next line', () => ok('# don\'t\nprintf \'[%s]\' {url}', `[${href}]`));
	it('a comment with a double quote, then {url} inside double quotes', () => ok('# say "hi\nprintf \'[%s]\' "{url}"', `[${href}]`));
	it('a comment after a command, then {url} in single quotes', () => ok('true # it\'s\nprintf \'[%s]\' \'{url}\'', `[${href}]`));
	it('a {url} inside a comment is left alone', () => ok('printf \'[%s]\' {port} # {url:nope}', '[4100]'));
	it('# inside a word is no comment', () => ok('printf \'[%s]\' a#b {url}', `[a#b][${href}]`));
	it('an unquoted here-doc', () => ok('cat <<EOF\n[{url}] "{url}" \'{host}\'\nEOF', `[${href}] "${href}" '127.0.0.1'\n`));
	it('a here-doc with <<- and tabs', () => ok('cat <<-EOF\n\t[{url}]\n\tEOF\nprintf \'[%s]\' {port}', `[${href}]\n[4100]`));
	it('a quoted here-doc is refused: nothing expands there', () => {
		assert.throws(() => fillShellCommand('cat <<\'EOF\'\n{url}\nEOF', values(plain)), /cannot place `\{url\}` inside a quoted here-doc.*"\$MCP_SERVER_URL"/);
		assert.throws(() => fillShellCommand('cat <<"EOF"\n{host}\nEOF', values(plain)), /quoted here-doc/);
		assert.throws(() => fillShellCommand('cat <<\\EOF\n{url}\nEOF', values(plain)), /quoted here-doc/);
	});

	it('a {port} in a quoted here-doc is digits and goes in as they are', () => ok('cat <<\'EOF\'\n[{port}]\nEOF', '[4100]\n'));
	it('after a here-doc, the command goes on in its own context', () => ok('cat <<EOF\nit\'s\nEOF\nprintf \'[%s]\' \'{url}\'', `it's\n[${href}]`));
	it('two here-docs on one line', () => ok('cat - 3<<A <<B\n[{port}]\nA\n[{url}]\nB', `[${href}]\n`));
	it('a here-doc whose end never comes is refused', () => {
		assert.throws(() => fillShellCommand('cat <<EOF\n{url}\n', values(plain)), /here-doc whose end line never comes/);
	});

	it('arithmetic << is no here-doc', () => ok('printf \'[%s]\' $((1<<2)) {url}', `[4][${href}]`));
	it('\\{url} is the shell\'s escaped brace: left alone', () => ok('printf \'[%s]\' \\{url} {port}', '[{url}][4100]'));
	it('\\\\{url} is an escaped backslash, then the placeholder', () => ok('printf \'[%s]\' \\\\{url}', `[\\${href}]`));
	it('"\\{url}" in double quotes is left alone too', () => ok('printf \'[%s]\' "\\{url}"', '[\\{url}]'));
	it('${port} ${host} ${url:-x} are the shell\'s own variables', () => ok('port=7 host=h; printf \'[%s]\' ${port} ${host} ${url:-x} "${port}" {port}', '[7][h][x][7][4100]'));
	it('${url:-x} is no unknown server name', () => assert.doesNotThrow(() => fillShellCommand('echo ${url:-x} ${url:nope}', values(plain))));
	it('$\'…\' (bash) is refused', () => assert.throws(() => fillShellCommand('printf $\'[{url}]\'', values(plain)), /\$'…'/));
	it('in client arguments too, ${port} is not a placeholder', () => assert.deepEqual(fillArgv(['${port}', '{port}', '$${url}'], values(plain)), ['${port}', '4100', '$${url}']));

	it('shellContexts reads quotes, escapes, $( ), backticks, comments and here-docs', () => {
		const command = 'a \'b\' "c \\" $(d \'e\') f" \\\' g # \'h\n<<X cat\ni \'\nX\nj';
		const at = (text: string) => command.indexOf(text);
		assert.deepEqual(shellContexts(command, [at('a'), at('b'), at('c'), at('d'), at('e'), at('f'), at('g'), at('h'), at('i'), at('j')]),
			['bare', 'single', 'double', 'bare', 'single', 'double', 'bare', 'literal', 'heredoc', 'bare']);
	});
});
