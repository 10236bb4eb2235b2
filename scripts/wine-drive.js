// The Windows leg's scenarios that need Linux's hands (scripts/wine-test.sh runs this, then the
// specs check what is left): the built CLI under Wine, with the tree fixture as its server and
// the Windows client fixture staying until told; then
//   killed: the launcher's Wine process is killed with `kill -KILL` from Linux (Node runs no code:
//           only the job helpers can end the tree and remove the {mcp-config} directory);
//   ctrl-c: the launcher runs on a pseudo-terminal (`script`, util-linux) and Ctrl-C is typed there
//           (Wine delivers CTRL_C_EVENT to the console's processes: the client takes it).
// Each writes OUT/<name>.json: the fixtures' report files (as node.exe sees them), what happened.
//   node scripts/wine-drive.js OUT    (WINEPREFIX and MCP_WINE_NODE set, dist/ built)
import {spawn} from 'node:child_process';
import {existsSync, mkdirSync, openSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const [out] = process.argv.slice(2);
const node = process.env.MCP_WINE_NODE;
const winpath = file => `Z:${file.replaceAll('/', '\\')}`;
const quote = text => `"${text}"`;

/** mcp-launch's argv: the tree fixture as the server, the client staying until Ctrl-C (or 60 s). */
function launchArgs(name) {
	const report = path.join(out, `${name}-tree.json`);
	const clientReport = path.join(out, `${name}-client.json`);
	const server = `${quote(winpath(node))} ${quote(winpath(path.join(root, 'test/fixtures/win-tree-server.js')))} {port} ${quote(winpath(report))}`;
	const args = [winpath(path.join(root, 'dist/cli.js')), '-p', 'auto', '--kill-timeout', '300ms', '-s', server, '--', winpath(node), winpath(path.join(root, 'test/fixtures/win-client.js')), winpath(clientReport), 'stay', '{mcp-config}'];
	return {report, clientReport, args};
}

/** Wait (bounded) for a file, or for `gone` to say the process it would come from has ended. */
async function waitFile(file, ms, ended) {
	const deadline = Date.now() + ms;
	while (!existsSync(file)) {
		if (Date.now() > deadline || ended()) {
			return false;
		}

		await new Promise(resolve => setTimeout(resolve, 50)); // A file's appearance: nothing to wait on but polling.
	}

	return true;
}

const exitOf = child => new Promise(resolve => child.once('exit', (code, signal) => resolve({code, signal})));

async function killed() {
	const {report, clientReport, args} = launchArgs('killed');
	const log = openSync(path.join(out, 'killed-launcher.log'), 'w');
	const launcher = spawn('wine', [node, ...args], {stdio: ['ignore', log, log]});
	const exit = exitOf(launcher);
	let ended = false;
	void exit.then(() => (ended = true));
	const ready = await waitFile(clientReport, 40_000, () => ended);
	launcher.kill('SIGKILL');
	const how = await exit;
	return {ran: ready, report: winpath(report), clientReport: winpath(clientReport), launcher: how, client: ready ? JSON.parse(readFileSync(clientReport, 'utf8')) : undefined};
}

async function ctrlC() {
	const {report, clientReport, args} = launchArgs('ctrl-c');
	const log = path.join(out, 'ctrl-c-launcher.log');
	// `exec`: no shell stays between the terminal and Wine. A shell that did would get the Ctrl-C
	// too, and /bin/sh (dash, where $SHELL is unset, as in CI) dies of it before it can say how
	// Wine exited. `script -e` passes Wine's exit status on instead.
	const command = `exec ${['wine', node, ...args].map(word => `'${word.replaceAll('\'', '\'\\\'\'')}'`).join(' ')} >'${log}' 2>&1`;
	// The same shell for `script` wherever this runs (it takes $SHELL, else /bin/sh).
	const terminal = spawn('script', ['-qfec', command, '/dev/null'], {stdio: ['pipe', 'pipe', 'ignore'], env: {...process.env, SHELL: '/bin/sh'}});
	let screen = '';
	terminal.stdout.setEncoding('utf8').on('data', chunk => (screen += chunk));
	const exit = exitOf(terminal);
	let ended = false;
	void exit.then(() => (ended = true));
	const ready = await waitFile(clientReport, 40_000, () => ended);
	if (ready) {
		terminal.stdin.write('\u0003'); // Ctrl-C, typed on the terminal.
	}

	let timer;
	const done = await Promise.race([exit, new Promise(resolve => (timer = setTimeout(() => resolve(undefined), 20_000)))]);
	clearTimeout(timer);
	if (!done) {
		terminal.kill('SIGKILL');
	}

	return {ran: ready, report: winpath(report), clientReport: winpath(clientReport), exitCode: done?.code ?? undefined, signal: done?.signal ?? undefined, screen, client: ready ? JSON.parse(readFileSync(clientReport, 'utf8')) : undefined, sigint: existsSync(`${clientReport}.sigint`)};
}

mkdirSync(out, {recursive: true});
const started = Date.now();
const [killedState, ctrlCState] = await Promise.all([killed(), ctrlC()]);
writeFileSync(path.join(out, 'killed.json'), JSON.stringify(killedState));
writeFileSync(path.join(out, 'ctrl-c.json'), JSON.stringify(ctrlCState));
process.stdout.write(`wine-drive: killed ${killedState.ran ? 'ran' : 'DID NOT RUN'}, ctrl-c ${ctrlCState.ran ? `ran (exit ${ctrlCState.exitCode})` : 'DID NOT RUN'}, ${Date.now() - started} ms\n`);
