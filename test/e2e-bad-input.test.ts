// The bad-input table: every malformed invocation of the built CLI exits 2 with exactly one
// line on stderr that names the flag and the expected form, no stack trace, and nothing was
// started: no server (its command is a marker `touch`), no client, no temp dir under the
// private TMPDIR, nothing listening on the port it was given.
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {cliBuilt, runCli, shellJoin, show} from './helpers/cli.js';
import {freePort, portIsFree} from './helpers/net.js';

type Ctx = {
	/** The marker server command of this row. */
	S: string;
	/** The marker client argv of this row. */
	C: string[];
	/** A free port nothing should ever listen on. */
	P: string;
	/** A URL on that port. */
	U: string;
	/** A directory with the --from fixtures. */
	D: string;
};

type Row = {
	name: string;
	args: (c: Ctx) => string[];
	/** The flag the message must name. */
	flag: RegExp;
	/** The expected form the message must show. */
	form: RegExp;
	env?: Record<string, string>;
	/** Text that must not appear in the message (a header value). */
	secret?: string;
};

const long = 100_000;
const launch = (c: Ctx, ...mid: string[]) => ['-s', c.S, '-p', c.P, ...mid, '--', ...c.C];
const noPort = (c: Ctx, ...mid: string[]) => ['-s', c.S, ...mid, '--', ...c.C];
const durationForm = /like 30s/;
const urlForm = /http:\/\/127\.0\.0\.1:3000\/mcp/;
const portForm = /1-65535/;
const headerForm = /"Name: value"|"Authorization: Bearer TOKEN"/;
const nameForm = /letters, digits/;
const fromForm = /\.mcp\.json:my-server|<file>:<name>/;
const serverForm = /--server "node server\.js"/;
const helpForm = /--help/;

const rows: Row[] = [
	// The command line as a whole.
	{name: 'no arguments at all', args: () => [], flag: /--server/, form: serverForm},
	{name: 'no client command', args: c => ['-s', c.S, '-p', c.P], flag: /client command after `--`/, form: /-- claude/},
	{name: 'nothing after --', args: c => ['-s', c.S, '-p', c.P, '--'], flag: /client command after `--`/, form: /-- claude/},
	{name: 'an empty client command', args: c => ['-s', c.S, '-p', c.P, '--', ''], flag: /client command after `--`/, form: /-- claude/},
	{name: 'no --server', args: c => ['-p', c.P, '--', ...c.C], flag: /--server/, form: serverForm},
	{name: 'unknown flag --bogus', args: c => launch(c, '--bogus'), flag: /--bogus/, form: helpForm},
	{name: 'unknown short flag -x', args: c => launch(c, '-x'), flag: /-x\b/, form: helpForm},
	{name: 'unknown --no-reuse', args: c => launch(c, '--no-reuse'), flag: /--no-reuse/, form: helpForm},
	{name: 'a value given to the switch --reuse', args: c => launch(c, '--reuse=banana'), flag: /--reuse/, form: /without a value/},
	{name: 'a value given to the switch --insecure', args: c => launch(c, '--insecure=banana'), flag: /--insecure/, form: /without a value/},
	{name: 'a value given to the switch -q', args: c => launch(c, '-q=x'), flag: /--quiet/, form: /without a value/},
	{name: 'a value given to the switch --verbose', args: c => launch(c, '--verbose=no'), flag: /--verbose/, form: /without a value/},
	{name: '--server-log twice', args: c => launch(c, '--server-log', path.join(c.D, 'a.log'), '--server-log', path.join(c.D, 'b.log')), flag: /--server-log/, form: /once.*--server-log server\.log/},
	{name: '--quiet and --verbose', args: c => launch(c, '-q', '-v'), flag: /--quiet.*--verbose/, form: /only one of/},
	// --server
	{name: '--server empty', args: c => ['-s', '', '-p', c.P, '--', ...c.C], flag: /--server/, form: serverForm},
	{name: '--server blank', args: c => ['-s', '   ', '-p', c.P, '--', ...c.C], flag: /--server/, form: serverForm},
	{name: '-s without a value', args: () => ['-s'], flag: /`--server`/, form: serverForm},
	{name: '{mcp-config} in the server command', args: c => launch({...c, S: `${c.S} {mcp-config}`}), flag: /\{mcp-config\}.*--server/, form: /client's arguments/},
	{name: 'unknown {port:NOPE} in the server command', args: c => launch({...c, S: `${c.S} {port:NOPE}`}), flag: /--name/, form: /\{port:NOPE\}.*expected one of server/},
	// --url
	{name: '--url ftp://x', args: c => noPort(c, '-u', 'ftp://x'), flag: /--url/, form: urlForm},
	{name: '--url notaurl', args: c => noPort(c, '-u', 'notaurl'), flag: /--url/, form: urlForm},
	{name: '--url empty', args: c => noPort(c, '-u', ''), flag: /--url/, form: urlForm},
	{name: '--url without a host (http:///mcp)', args: c => noPort(c, '-u', 'http:///mcp'), flag: /--url/, form: urlForm},
	{name: '--url with port 0', args: c => noPort(c, '-u', 'http://127.0.0.1:0/mcp'), flag: /--url/, form: portForm},
	{name: '--url with port 70000', args: c => noPort(c, '-u', 'http://127.0.0.1:70000/mcp'), flag: /--url/, form: urlForm},
	{name: '--url with one slash', args: c => noPort(c, '-u', 'http:/127.0.0.1:3000/mcp'), flag: /--url/, form: urlForm},
	{name: '--url with a space in the host', args: c => noPort(c, '-u', 'http://exa mple/mcp'), flag: /--url/, form: urlForm},
	{name: '--url in fullwidth letters', args: c => noPort(c, '-u', 'ｈｔｔｐ://127.0.0.1:3000/mcp'), flag: /--url/, form: urlForm},
	{name: '--url with {port} and no --port', args: c => noPort(c, '-u', 'http://127.0.0.1:{port}/mcp'), flag: /--port/, form: /number or auto/},
	// Issue 20, item 7: the flags disagree (it used to wait on 8080 and then say "ignores the port it was given (PORT=8080)").
	{name: '-p 3000 -u on :8080', args: c => noPort(c, '-p', '3000', '-u', 'http://127.0.0.1:8080/mcp'), flag: /`--url` to use the port of `--port` \(3000, or \{port\}\), got port 8080/, form: /the server would get PORT=3000 while mcp-launch waits on 8080/},
	{name: '-p auto -u on a fixed port', args: c => noPort(c, '-p', 'auto', '-u', 'http://127.0.0.1:8080/mcp'), flag: /`--url` to use the port of `--port` \(write \{port\} in it\)/, form: /the server would get a free port while mcp-launch waits on 8080/},
	{name: '-u without a value', args: c => ['-s', c.S, '-u'], flag: /`--url`/, form: urlForm},
	{name: 'two --url for one --server', args: c => noPort(c, '-u', c.U, '-u', c.U), flag: /--url/, form: /one `--url` per `--server`/},
	// --url: what no shell may see, and {port} only as the port (issue 17).
	{name: '--url with $( ) in the host', args: c => noPort(c, '-u', 'http://x$(touch${IFS}y)z:1/mcp'), flag: /--url/, form: /`\$` in the host/},
	{name: '--url with a backtick in the host', args: c => noPort(c, '-u', 'http://a`id`b:1/mcp'), flag: /--url/, form: /`.` in the host/},
	{name: '--url with & between query parameters, placed by {url}', args: c => noPort({...c, S: `${c.S} {url}`}, '-u', `${c.U}?a=1&b=2`), flag: /--url/, form: /without `&`.*"\$MCP_SERVER_URL"/},
	{name: '{url} inside a quoted here-doc', args: c => launch({...c, S: `sh <<'EOF'\n${c.S} {url}\nEOF`}), flag: /--server/, form: /cannot place `\{url\}` inside a quoted here-doc.*"\$MCP_SERVER_URL"/},
	{name: '--url with {port}9 as the port', args: c => launch(c, '-u', 'http://127.0.0.1:{port}9/mcp'), flag: /--url/, form: /\{port\} as its whole port/},
	{name: '--url with {port} in the host', args: c => launch(c, '-u', 'http://127.0.0.{port}/mcp'), flag: /--url/, form: /\{port\} as its whole port/},
	{name: '--url with .{port} after the host', args: c => launch(c, '-u', 'http://127.0.0.1.{port}/mcp'), flag: /--url/, form: /\{port\} as its whole port/},
	// Too long to run (E2BIG): refused before anything starts.
	{name: 'a server command just under 128 KiB (over it in its shell\'s script)', args: c => launch({...c, S: `${c.S} #${'a'.repeat(131_060 - c.S.length - 2)}`}), flag: /--server/, form: /at most 128 KiB/},
	{name: 'a client argument that placeholders make longer than 128 KiB', args: c => launch({...c, C: [...c.C, '{url}'.repeat(5100)]}), flag: /client argument/, form: /at most 128 KiB/},
	// --port
	{name: '--port 70000', args: c => noPort(c, '-p', '70000'), flag: /--port/, form: portForm},
	{name: '--port -1', args: c => noPort(c, '-p', '-1'), flag: /--port/, form: portForm},
	{name: '--port 1.5', args: c => noPort(c, '-p', '1.5'), flag: /--port/, form: portForm},
	{name: '--port 0', args: c => noPort(c, '-p', '0'), flag: /--port/, form: portForm},
	{name: '--port empty', args: c => noPort(c, '-p', ''), flag: /--port/, form: portForm},
	{name: '--port abc', args: c => noPort(c, '-p', 'abc'), flag: /--port/, form: portForm},
	{name: '--port in fullwidth digits', args: c => noPort(c, '-p', '３０００'), flag: /--port/, form: portForm},
	{name: '--port of 100k digits', args: c => noPort(c, '-p', '1'.repeat(long)), flag: /--port/, form: portForm},
	{name: '-p without a value', args: c => ['-s', c.S, '-p'], flag: /`--port`/, form: portForm},
	// Durations.
	{name: '--timeout banana', args: c => launch(c, '--timeout', 'banana'), flag: /--timeout/, form: durationForm},
	{name: '--timeout 0', args: c => launch(c, '--timeout', '0'), flag: /--timeout/, form: durationForm},
	{name: '--timeout -1s', args: c => launch(c, '--timeout', '-1s'), flag: /--timeout/, form: durationForm},
	{name: '--timeout 1e400', args: c => launch(c, '--timeout', '1e400'), flag: /--timeout/, form: durationForm},
	{name: '--timeout empty', args: c => launch(c, '--timeout', ''), flag: /--timeout/, form: durationForm},
	{name: '--timeout 25h', args: c => launch(c, '--timeout', '25h'), flag: /--timeout/, form: /at most 24h/},
	{name: '--timeout of 100k characters', args: c => launch(c, '--timeout', 'x'.repeat(long)), flag: /--timeout/, form: durationForm},
	{name: '--timeout twice', args: c => launch(c, '--timeout', '1s', '--timeout', '2s'), flag: /--timeout/, form: /once.*--timeout 30s/},
	{name: '--kill-timeout 1000h', args: c => launch(c, '--kill-timeout', '1000h'), flag: /--kill-timeout/, form: /at most 24h/},
	{name: '--kill-timeout -1s', args: c => launch(c, '--kill-timeout', '-1s'), flag: /--kill-timeout/, form: durationForm},
	{name: '--kill-timeout empty', args: c => launch(c, '--kill-timeout', ''), flag: /--kill-timeout/, form: durationForm},
	// Choices.
	{name: '--probe banana', args: c => launch(c, '--probe', 'banana'), flag: /--probe/, form: /http, tcp, mcp/},
	{name: '--probe empty', args: c => launch(c, '--probe', ''), flag: /--probe/, form: /http, tcp, mcp/},
	{name: '--probe twice', args: c => launch(c, '--probe', 'tcp', '--probe', 'http'), flag: /--probe/, form: /http, tcp or mcp/},
	{name: '--on-server-exit x', args: c => launch(c, '--on-server-exit', 'x'), flag: /--on-server-exit/, form: /warn, exit/},
	{name: '--on-server-exit empty', args: c => launch(c, '--on-server-exit', ''), flag: /--on-server-exit/, form: /warn, exit/},
	{name: '--log-format x', args: c => launch(c, '--log-format', 'x'), flag: /--log-format/, form: /pretty, json/},
	{name: '--log-format empty', args: c => launch(c, '--log-format', ''), flag: /--log-format/, form: /pretty, json/},
	{name: '--log-level loud', args: c => launch(c, '--log-level', 'loud'), flag: /--log-level/, form: /debug, info, warn/},
	{name: '--log-level twice', args: c => launch(c, '--log-level', 'info', '--log-level', 'debug'), flag: /--log-level/, form: /debug, info, warn/},
	// --server-log
	{name: '--server-log empty', args: c => launch(c, '--server-log', ''), flag: /--server-log/, form: /file that can be appended to/},
	{name: '--server-log in a missing directory', args: c => launch(c, '--server-log', path.join(c.D, 'nope', 'server.log')), flag: /--server-log/, form: /file that can be appended to/},
	{name: '--server-log a directory', args: c => launch(c, '--server-log', c.D), flag: /--server-log/, form: /file that can be appended to/},
	// --name
	{name: '--name empty', args: c => launch(c, '--name', ''), flag: /--name/, form: nameForm},
	{name: '--name with a space', args: c => launch(c, '--name', 'a b'), flag: /--name/, form: nameForm},
	{name: '--name with unicode', args: c => launch(c, '--name', 'café'), flag: /--name/, form: nameForm},
	{name: '--name of 100k characters', args: c => launch(c, '--name', 'n'.repeat(long)), flag: /--name/, form: nameForm},
	{name: 'the same --name twice', args: c => ['-s', c.S, '--name', 'a', '-s', c.S, '--name', 'a', '--', ...c.C], flag: /--name/, form: /different/},
	{name: 'unknown {url:NOPE} in the client', args: c => launch({...c, C: [...c.C, '{url:NOPE}']}), flag: /--name/, form: /\{url:NOPE\}.*expected one of server/},
	// --header: the value never appears in the message.
	{name: '--header without a colon', args: c => launch(c, '-H', 'Bearer s3cret'), flag: /--header/, form: headerForm, secret: 's3cret'},
	{name: '--header with a newline', args: c => launch(c, '-H', 'X-A: s3cret\nX-B: c'), flag: /--header/, form: headerForm, secret: 's3cret'},
	{name: '--header with a CR', args: c => launch(c, '-H', 'X-A: s3cret\rX-B: c'), flag: /--header/, form: headerForm, secret: 's3cret'},
	{name: '--header with a control character', args: c => launch(c, '-H', 'X-A: s3cret\u0007'), flag: /--header/, form: headerForm, secret: 's3cret'},
	{name: '--header with an empty name', args: c => launch(c, '-H', ': s3cret'), flag: /--header/, form: headerForm, secret: 's3cret'},
	{name: '--header with a space in the name', args: c => launch(c, '-H', 'Bad Name: s3cret'), flag: /--header/, form: headerForm, secret: 's3cret'},
	{name: '--header with a unicode name', args: c => launch(c, '-H', 'Ключ: s3cret'), flag: /--header/, form: headerForm, secret: 's3cret'},
	{name: '--header empty', args: c => launch(c, '-H', ''), flag: /--header/, form: headerForm},
	{name: '-H without a value', args: c => ['-s', c.S, '-H'], flag: /`--header`/, form: headerForm},
	// --watch and --restart (the front door)
	{name: '--restart banana', args: c => launch(c, '--restart', 'banana'), flag: /--restart/, form: /no, on-failure or on-failure:N/},
	{name: '--restart always', args: c => launch(c, '--restart', 'always'), flag: /--restart/, form: /no, on-failure or on-failure:N/},
	{name: '--restart on-failure:0', args: c => launch(c, '--restart', 'on-failure:0'), flag: /--restart/, form: /1-1000/},
	{name: '--restart on-failure:x', args: c => launch(c, '--restart', 'on-failure:x'), flag: /--restart/, form: /on-failure:3/},
	{name: '--restart empty', args: c => launch(c, '--restart', ''), flag: /--restart/, form: /no, on-failure or on-failure:N/},
	{name: '--restart twice', args: c => launch(c, '--restart', 'no', '--restart', 'on-failure'), flag: /--restart/, form: /once.*on-failure:3/},
	{name: '--restart without a value', args: c => ['-s', c.S, '--restart'], flag: /`--restart`/, form: /on-failure:3/},
	{name: '--watch a missing path', args: c => launch(c, '--watch', path.join(c.D, 'no-such-dir')), flag: /--watch/, form: /existing file or directory, like --watch src/},
	{name: '--watch empty', args: c => launch(c, '--watch', ''), flag: /--watch/, form: /file or directory, like --watch src/},
	{name: '--watch without a value', args: c => ['-s', c.S, '--watch'], flag: /`--watch`/, form: /like --watch src/},
	{name: '--watch with an https --url', args: c => noPort(c, '--watch', c.D, '-u', `https://127.0.0.1:${c.P}/mcp`), flag: /--url/, form: /http:\/\/ URL on a loopback host with --watch or --restart/},
	{name: '--restart with a --url that is not loopback', args: c => noPort(c, '--restart', 'on-failure', '-u', `http://192.0.2.1:${c.P}/mcp`), flag: /--url/, form: /loopback host/},
	{name: '--watch with --reuse', args: c => launch(c, '--watch', c.D, '--reuse'), flag: /--reuse/, form: /without `--watch` or `--restart`/},
	// --from
	{name: '--from a missing file', args: c => launch(c, '--from', `${path.join(c.D, 'missing.json')}:x`), flag: /--from/, form: fromForm},
	{name: '--from a file that is not JSON', args: c => launch(c, '--from', `${path.join(c.D, 'not-json.json')}:x`), flag: /--from/, form: fromForm},
	{name: '--from a config without the name', args: c => launch(c, '--from', `${path.join(c.D, 'mcp.json')}:absent`), flag: /--from/, form: /has no "absent" \(it has: /},
	{name: '--from __proto__', args: c => launch(c, '--from', `${path.join(c.D, 'mcp.json')}:__proto__`), flag: /--from/, form: /has no "__proto__"/},
	{name: '--from an entry without a URL', args: c => launch(c, '--from', `${path.join(c.D, 'mcp.json')}:nourl`), flag: /--from/, form: /HTTP server with a "url"/},
	{name: '--from a stdio entry', args: c => launch(c, '--from', `${path.join(c.D, 'mcp.json')}:stdio`), flag: /--from/, form: /HTTP server with a "url"/},
	{name: '--from an entry with an ftp URL', args: c => launch(c, '--from', `${path.join(c.D, 'mcp.json')}:ftp`), flag: /--from/, form: /http:\/\/ or https:\/\/ URL with a host/},
	{name: '--from an entry with a hostless URL', args: c => launch(c, '--from', `${path.join(c.D, 'mcp.json')}:hostless`), flag: /--from/, form: /http:\/\/ or https:\/\/ URL with a host/},
	{name: '--from a config that is a JSON array', args: c => launch(c, '--from', `${path.join(c.D, 'array.json')}:x`), flag: /--from/, form: /lists no servers/},
	{name: '--from without a colon', args: c => launch(c, '--from', 'nocolon'), flag: /--from/, form: fromForm},
	{name: '--from empty', args: c => launch(c, '--from', ''), flag: /--from/, form: fromForm},
	{name: '--from an entry whose host holds $( )', args: c => launch(c, '--from', `${path.join(c.D, 'mcp.json')}:evilhost`), flag: /--from/, form: /`\$` in the host/},
	{name: '--from a FIFO (it would hang)', args: c => launch(c, '--from', `${path.join(c.D, 'fifo.json')}:x`), flag: /--from/, form: /not a regular file/},
	{name: '--from a symlink to /dev/zero (it would never end)', args: c => launch(c, '--from', `${path.join(c.D, 'zero.json')}:x`), flag: /--from/, form: /not a regular file/},
	{name: '--from a directory', args: c => launch(c, '--from', `${c.D}:x`), flag: /--from/, form: /not a regular file/},
	{name: '--from a file over 1 MiB', args: c => launch(c, '--from', `${path.join(c.D, 'big.json')}:x`), flag: /--from/, form: /larger than 1 MiB/},
	{name: '--from and --url together', args: c => noPort(c, '-u', c.U, '--from', `${path.join(c.D, 'mcp.json')}:good`), flag: /--url.*--from/, form: /not both/},
	// The environment.
	{name: '{mcp-config} with TMPDIR missing', args: c => launch({...c, C: [...c.C, '{mcp-config}']}), env: {TMPDIR: '/nonexistent/mcp-launch-spec'}, flag: /\{mcp-config\}/, form: /TMPDIR/},
	{name: '{mcp-config} with another bad option', args: c => launch({...c, C: [...c.C, '{mcp-config}']}, '--timeout', 'banana'), flag: /--timeout/, form: durationForm},
	// wait
	{name: 'wait with no URL', args: () => ['wait'], flag: /URL/, form: /mcp-launch wait http:\/\/127\.0\.0\.1:3000\/mcp/},
	{name: 'wait notaurl', args: () => ['wait', 'notaurl'], flag: /<url>/, form: urlForm},
	{name: 'wait http:///mcp', args: () => ['wait', 'http:///mcp'], flag: /<url>/, form: urlForm},
	{name: 'wait on port 0', args: () => ['wait', 'http://127.0.0.1:0/mcp'], flag: /<url>/, form: portForm},
	{name: 'wait --timeout banana', args: c => ['wait', '--timeout', 'banana', c.U], flag: /--timeout/, form: durationForm},
	{name: 'wait --timeout 25h', args: c => ['wait', '--timeout', '25h', c.U], flag: /--timeout/, form: /at most 24h/},
	{name: 'wait --timeout twice', args: c => ['wait', '--timeout', '1s', '--timeout', '2s', c.U], flag: /--timeout/, form: /once/},
	{name: 'wait -H with a newline', args: c => ['wait', '-H', 'X: s3cret\nY: b', c.U], flag: /--header/, form: headerForm, secret: 's3cret'},
	{name: 'wait -H without a value', args: () => ['wait', '-H'], flag: /`--header`/, form: headerForm},
	{name: 'wait --probe banana', args: c => ['wait', '--probe', 'banana', c.U], flag: /--probe/, form: /http, tcp, mcp/},
	{name: 'wait --insecure=banana', args: c => ['wait', '--insecure=banana', c.U], flag: /--insecure/, form: /without a value/},
	{name: 'wait --probe twice', args: c => ['wait', '--probe', 'tcp', '--probe', 'http', c.U], flag: /--probe/, form: /once.*http, tcp or mcp/},
	{name: 'wait --bogus', args: c => ['wait', '--bogus', c.U], flag: /--bogus/, form: helpForm},
	{name: 'wait --log-level twice', args: c => ['wait', '--log-level', 'info', '--log-level', 'warn', c.U], flag: /--log-level/, form: /debug, info, warn/},
	// doctor
	{name: 'doctor with two URLs', args: c => ['doctor', c.U, c.U], flag: /URL/, form: /mcp-launch doctor http:\/\/127\.0\.0\.1:3000\/mcp/},
	{name: 'doctor notaurl', args: () => ['doctor', 'notaurl'], flag: /<url>/, form: urlForm},
	{name: 'doctor --probe-timeout 0', args: c => ['doctor', '--probe-timeout', '0', c.U], flag: /--probe-timeout/, form: durationForm},
	{name: 'doctor --timeout 1000h', args: c => ['doctor', '-s', c.S, '--timeout', '1000h', c.U], flag: /--timeout/, form: /at most 24h/},
	{name: 'doctor --format xml', args: c => ['doctor', '--format', 'xml', c.U], flag: /--format/, form: /text, json/},
	{name: 'doctor --server empty', args: c => ['doctor', '-s', '', c.U], flag: /--server/, form: serverForm},
	{name: 'doctor --server twice', args: c => ['doctor', '-s', c.S, '-s', c.S, c.U], flag: /--server/, form: /once/},
	{name: 'doctor -s without a value', args: () => ['doctor', '-s'], flag: /`--server`/, form: serverForm},
	{name: 'doctor -H without a colon', args: c => ['doctor', '-s', c.S, '-H', 'Bearer s3cret', c.U], flag: /--header/, form: headerForm, secret: 's3cret'},
	{name: 'doctor -H with a CR', args: c => ['doctor', '-s', c.S, '-H', 'X: s3cret\rY: b', c.U], flag: /--header/, form: headerForm, secret: 's3cret'},
	{name: 'doctor --insecure=banana', args: c => ['doctor', '--insecure=banana', c.U], flag: /--insecure/, form: /without a value/},
	{name: 'doctor --format twice', args: c => ['doctor', '--format', 'json', '--format', 'text', c.U], flag: /--format/, form: /once.*text or json/},
	{name: 'doctor --probe-timeout without a value', args: () => ['doctor', '--probe-timeout'], flag: /`--probe-timeout`/, form: /a duration, like --probe-timeout 2s/},
	{name: 'doctor --bogus', args: c => ['doctor', '--bogus', c.U], flag: /--bogus/, form: helpForm},
];

let root: string;
let privateTmp: string;
let fromDir: string;
let port: number;

before(async () => {
	assert.ok(cliBuilt(), 'dist/cli.js is built (npm run build)');
	root = mkdtempSync(path.join(tmpdir(), 'mcp-launch-bad-input-'));
	privateTmp = path.join(root, 'tmp');
	fromDir = path.join(root, 'from');
	mkdirSync(privateTmp);
	mkdirSync(fromDir);
	port = await freePort();
	writeFileSync(path.join(fromDir, 'not-json.json'), '{"mcpServers": {');
	writeFileSync(path.join(fromDir, 'array.json'), '[1, 2]');
	writeFileSync(path.join(fromDir, 'mcp.json'), JSON.stringify({
		mcpServers: {
			good: {type: 'http', url: `http://127.0.0.1:${port}/mcp`},
			nourl: {type: 'http'},
			stdio: {command: 'node', args: ['server.js']},
			ftp: {type: 'http', url: 'ftp://127.0.0.1/mcp'},
			hostless: {type: 'http', url: 'http:///mcp'},
			evilhost: {type: 'http', url: `http://x$(touch\${IFS}${path.join(root, 'PWNED')})y:${port}/mcp`},
		},
	}));
	execFileSync('mkfifo', [path.join(fromDir, 'fifo.json')]);
	symlinkSync('/dev/zero', path.join(fromDir, 'zero.json'));
	writeFileSync(path.join(fromDir, 'big.json'), `{"mcpServers": {}, "pad": "${'x'.repeat(1024 * 1024)}"}`);
});

after(() => {
	rmSync(root, {recursive: true, force: true});
});

describe('bad input: exit 2, one line naming the flag and the form, nothing started', {concurrency: 4}, () => {
	assert.ok(rows.length >= 60, `at least 60 rows, got ${rows.length}`);
	for (const [index, row] of rows.entries()) {
		it(row.name, {timeout: 60_000}, async () => {
			const serverMarker = path.join(root, `server-ran-${index}`);
			const clientMarker = path.join(root, `client-ran-${index}`);
			const ctx: Ctx = {
				S: shellJoin(['touch', serverMarker]),
				C: ['touch', clientMarker],
				P: String(port),
				U: `http://127.0.0.1:${port}/mcp`,
				D: fromDir,
			};
			const result = await runCli(row.args(ctx), {env: {...process.env, TMPDIR: privateTmp, ...row.env}, timeoutMs: 30_000});
			assert.equal(result.code, 2, show(result));
			assert.equal(result.stdout, '', 'nothing on stdout');
			assert.match(result.stderr, /^mcp-launch: [^\n]+\n$/, `exactly one line on stderr\n${result.stderr}`);
			assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
			assert.doesNotMatch(result.stderr, /internal error/, 'not an internal error');
			assert.ok(result.stderr.length < 600, `a short line, got ${result.stderr.length} characters`);
			assert.match(result.stderr, row.flag, 'names the flag');
			assert.match(result.stderr, row.form, 'shows the expected form');
			if (row.secret) {
				assert.ok(!result.stderr.includes(row.secret), `the header value is not in the message\n${result.stderr}`);
			}

			assert.equal(existsSync(serverMarker), false, 'the server was not spawned');
			assert.equal(existsSync(clientMarker), false, 'the client was not spawned');
			assert.deepEqual(readdirSync(privateTmp), [], 'no temp file or directory');
		});
	}
});

describe('after the whole table', () => {
	it('nothing listens on the port the rows named, and no server log was created', async () => {
		assert.equal(await portIsFree(port), true, `nothing accepts on 127.0.0.1:${port}`);
		assert.deepEqual(readdirSync(privateTmp), []);
		assert.deepEqual(readdirSync(fromDir).sort(), ['array.json', 'big.json', 'fifo.json', 'mcp.json', 'not-json.json', 'zero.json']);
		assert.equal(existsSync(path.join(root, 'PWNED')), false, 'no URL ran as code');
	});
});
