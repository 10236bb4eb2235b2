// End-to-end: mcp-launch never leaves a server behind. SIGKILL to the launcher (the guardian
// tears down), a server dying under a running client (--on-server-exit warn|exit), and teardown
// of the whole tree on every other path. Real processes; every wait is bounded and waits for a
// handshake (a report line, an output line, an exit), never for time to pass.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {FIXTURES, lines, SERVER_FIXTURE, shellJoin, show, sq, type CliRun, type StartOptions} from './helpers/cli.js';
import {portIsFree} from './helpers/net.js';
import {isAlive, waitGone} from './helpers/proc.js';
import {findEvent, readClientReport, readJsonLines, type ReportEvent} from './helpers/report.js';
import {Sandbox} from './helpers/sandbox.js';
import {describeLeftover, findLeftovers, isGuardian, liveProcesses, waitNothingLeft, waitPortFree} from './helpers/soak-procs.js';
import {cliEnv, evidenceSources, skipUnless} from './helpers/sources.js';
import {now, waitFor} from './helpers/wait.js';

const T = {timeout: 40_000};

/** The server tree as the fixtures reported it: the top /bin/sh (= the group id), wrapper layers, the server. */
interface Tree {
	pgid: number;
	server: ReportEvent;
	wrapper: ReportEvent | undefined;
	pids: number[];
}

async function serverTree(box: Sandbox, wrapped: boolean, run?: CliRun): Promise<Tree> {
	const exitedFirst = {} as ReportEvent;
	const found = await waitFor(() => findEvent(box.serverReport, 'start') ?? (run?.done() ? exitedFirst : undefined), {timeoutMs: 20_000, what: 'the server start report'});
	if (found === exitedFirst) throw new Error(`the launcher exited before the server reported its start:\n${run!.stderr()}`);
	const server = found;
	const wrapper = wrapped ? findEvent(box.serverReport, 'wrapper') : undefined;
	assert.ok(server.pgid && server.pgid > 1, JSON.stringify(server));
	if (wrapped) assert.ok(wrapper, `wrapper reported: ${JSON.stringify(readJsonLines(box.serverReport))}`);
	const pids = new Set([server.pgid, server.pid, ...box.serverTreePids()]);
	return {pgid: server.pgid, server, wrapper, pids: [...pids]};
}

/** The guardian of a launcher, found in /proc (it carries the launcher's pid in its argv). */
function guardianPid(launcherPid: number): number | undefined {
	return liveProcesses().find((p) => isGuardian(p, launcherPid))?.pid;
}

/** Nothing of the run is alive: tree pids, the server's group, anything naming the sandbox, its guardian. */
async function assertNothingLeft(box: Sandbox, tree: Tree | undefined, extraPids: number[], timeoutMs: number): Promise<void> {
	const footprint = {
		pids: [...(tree?.pids ?? []), ...extraPids],
		groups: tree ? [tree.pgid] : [],
		marker: box.dir,
		guardianOf: box.runs.map((run) => run.pid),
	};
	const {left} = await waitNothingLeft(footprint, timeoutMs);
	assert.deepEqual(left.map(describeLeftover), [], `nothing of the run is left after ${timeoutMs} ms`);
	assert.ok(await waitPortFree(box.port, 500), `port ${box.port} is free`);
}

/** --url and a --timeout (20s unless given in `more`), then `more`. */
const launcherFlags = (box: Sandbox, ...more: string[]) => ['--url', box.url, ...(more.includes('--timeout') ? [] : ['--timeout', '20s']), ...more];

const SOAK_CLIENT = path.join(FIXTURES, 'soak-client.js');
const SLEEP = execFileSync('/bin/sh', ['-c', 'command -v sleep'], {encoding: 'utf8'}).trim();

// ---------------------------------------------------------------------------------------------
// 1. SIGKILL to the launcher while the client runs

test('SIGKILL to the launcher while the client runs: the server tree (grandchild owns the port) and the client are gone within 2 s', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const run = box.start(['--server', box.server([], {wrapper: 'node'}), ...launcherFlags(box, '--kill-timeout', '1s'), '--', ...box.client(['--stay'])]);
	await run.waitStdout('CLIENT READY', 20_000);
	const tree = await serverTree(box, true);
	// sh (group leader, the launcher's child) -> npm-like -> node server: the port's owner is a grandchild.
	assert.equal(tree.wrapper!.ppid, tree.pgid, 'the wrapper is the child of the group leader /bin/sh');
	assert.equal(tree.server.ppid, tree.wrapper!.pid, 'the server is the wrapper\'s child');
	assert.equal(tree.server.pgid, tree.pgid);
	const listening = findEvent(box.serverReport, 'listening');
	assert.equal(listening?.pid, tree.server.pid, 'the grandchild owns the port');
	assert.equal(await portIsFree(box.port), false, 'the port is bound while the client runs');
	const client = readClientReport(box.clientReport);
	assert.ok(client, 'client report');
	const guardian = guardianPid(run.pid);
	assert.ok(guardian, 'a guardian watches the server group');
	for (const pid of [...tree.pids, client.pid]) assert.ok(isAlive(pid), `pid ${pid} alive before the kill`);

	process.kill(run.pid, 'SIGKILL');
	const killedAt = now();
	await waitGone([...tree.pids, client.pid], 2_000);
	const goneAfter = now() - killedAt;
	assert.ok(await waitPortFree(box.port, 2_000 - goneAfter), `port free within 2 s of the SIGKILL`);

	const result = await run.exited;
	assert.equal(result.signal, 'SIGKILL', show(result));
	assert.equal(result.code, 137);
	const report = readClientReport(box.clientReport);
	assert.deepEqual(report?.signals, ['SIGTERM'], 'the guardian ended the client with SIGTERM');
	assert.equal(report?.exitCode, 143);
	const events = readJsonLines(box.serverReport);
	assert.ok(events.some((e) => e.event === 'signal' && e.name === 'SIGTERM' && e.pid === tree.server.pid), `the server got SIGTERM: ${JSON.stringify(events)}`);
	// The guardian itself goes away once its grace (--kill-timeout 1s) is over at the latest.
	await waitGone([guardian], 1_000 + 1_000);
	await assertNothingLeft(box, tree, [client.pid], 500);
});

test('SIGKILL to the launcher while the client runs, server ignores SIGTERM: the guardian SIGKILLs the tree after --kill-timeout', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const run = box.start(['--server', box.server(['--ignore-sigterm'], {wrapper: 'shell'}), ...launcherFlags(box, '--kill-timeout', '500ms'), '--', ...box.client(['--stay'])]);
	await run.waitStdout('CLIENT READY', 20_000);
	const tree = await serverTree(box, true);
	const client = readClientReport(box.clientReport);
	assert.ok(client);
	process.kill(run.pid, 'SIGKILL');
	const killedAt = now();
	await waitGone([...tree.pids, client.pid], 500 + 1_000);
	const took = now() - killedAt;
	assert.ok(took >= 400, `the guardian gave the server its grace first (${Math.round(took)} ms)`);
	const events = readJsonLines(box.serverReport);
	assert.ok(events.some((e) => e.event === 'signal' && e.name === 'SIGTERM'), 'SIGTERM first');
	assert.ok(!events.some((e) => e.event === 'exit'), 'the server never exited by itself: it was SIGKILLed');
	assert.equal((await run.exited).code, 137);
	await assertNothingLeft(box, tree, [client.pid], 1_000);
});

test('SIGKILL to the launcher, server ignores SIGTERM, every `sleep` slow (a loaded machine): the guardian\'s grace is still --kill-timeout', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	// Each `sleep` the guardian runs costs 600 ms more than asked, as a fork and an exec can on a
	// loaded machine: a grace counted in 100 ms polls (5 for 500 ms) would last 3.5 s.
	const bin = box.path('slow-bin');
	mkdirSync(bin);
	writeFileSync(path.join(bin, 'sleep'), `#!/bin/sh\n${sq(SLEEP)} 0.6\nexec ${sq(SLEEP)} "$@"\n`, {mode: 0o755});
	const env = {...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`};
	const run = box.start(['--server', box.server(['--ignore-sigterm']), ...launcherFlags(box, '--kill-timeout', '500ms'), '--', ...box.client(['--stay'])], {env});
	await run.waitStdout('CLIENT READY', 20_000);
	const tree = await serverTree(box, false);
	const client = readClientReport(box.clientReport);
	assert.ok(client);
	process.kill(run.pid, 'SIGKILL');
	const killedAt = now();
	// The grace (500 ms) plus the timer's own 600 ms and one slow poll: well under the 3.5 s of counted polls.
	await waitGone([...tree.pids, client.pid], 2_500);
	const took = now() - killedAt;
	assert.ok(took >= 400, `the guardian gave the server its grace first (${Math.round(took)} ms)`);
	assert.equal((await run.exited).code, 137);
	await assertNothingLeft(box, tree, [client.pid], 1_000);
});

// ---------------------------------------------------------------------------------------------
// 2. SIGKILL to the launcher while it is still waiting

for (const [what, flags, wrapper] of [
	['a server with --boot-delay 20000', ['--boot-delay', '20000'], 'node'],
	['a server that never listens (npm-like --shell)', ['--never-listen'], 'shell'],
] as const) {
	test(`SIGKILL to the launcher while it waits for ${what}: the server tree is gone within 2 s`, T, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const run = box.start(['--server', box.server(flags, {wrapper}), ...launcherFlags(box, '--timeout', '30s'), '--', ...box.client()]);
		const tree = await serverTree(box, true, run);
		assert.equal(findEvent(box.serverReport, 'listening'), undefined, 'still waiting: the server does not listen');
		assert.equal(run.done(), false);
		for (const pid of tree.pids) assert.ok(isAlive(pid), `pid ${pid} alive before the kill`);
		process.kill(run.pid, 'SIGKILL');
		await waitGone(tree.pids, 2_000);
		const result = await run.exited;
		assert.equal(result.code, 137, show(result));
		assert.equal(readClientReport(box.clientReport), undefined, 'no client ever started');
		await assertNothingLeft(box, tree, [], 5_000 + 1_000); // guardian grace: the default --kill-timeout 5s
	});
}

// ---------------------------------------------------------------------------------------------
// 3. A server that exits 500 ms after becoming ready

test('server exits 500 ms after ready (default warn): its last stderr line is reported while the client keeps running; exit = the client\'s', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const gate = box.path('client-may-exit');
	const run = box.start([
		'--server', box.server(['--exit-after-ready', '500'], {wrapper: 'node'}),
		...launcherFlags(box),
		'--', 'node', SOAK_CLIENT, '--report', box.clientReport, '--until-file', gate, '--exit', '3',
	]);
	await run.waitStderr('fixture: dying now', 20_000);
	const seenAt = now();
	assert.equal(run.done(), false, 'the launcher keeps running');
	const events = readJsonLines(box.serverReport);
	const listening = events.find((e) => e.event === 'listening');
	const died = events.find((e) => e.event === 'exit' && e.code === 4);
	assert.ok(listening?.t && died?.t, JSON.stringify(events));
	assert.ok(died.t - listening.t >= 450, `the server lived ~500 ms after ready (${Math.round(died.t - listening.t)} ms)`);
	assert.ok(seenAt - died.t < 2_000, `reported at once (${Math.round(seenAt - died.t)} ms after the death)`);
	const line = lines(run.stderr()).find((l) => l.includes('fixture: dying now'));
	assert.match(line ?? '', /exit/i, `one line with the exit and the last stderr line: ${line}`);
	assert.match(line ?? '', /\b4\b/, 'the server\'s exit code (the npm-like wrapper passes 4 on)');
	// The client started after ready; it may still be starting when the server died (warn mode lets it run).
	const client = await waitFor(() => readClientReport(box.clientReport), {timeoutMs: 10_000, what: 'the client report'});
	assert.ok(isAlive(client.pid), 'the client keeps running');
	assert.equal(run.done(), false, 'the launcher keeps running');

	writeFileSync(gate, '');
	const result = await run.exited;
	assert.equal(result.code, 3, show(result));
	const report = readClientReport(box.clientReport);
	assert.deepEqual(report?.signals, [], 'the client was left alone');
	assert.equal(report?.exitCode, 3);
	assert.equal(lines(result.stderr).filter((l) => l.includes('fixture: dying now')).length, 1, 'reported once');
	await assertNothingLeft(box, await serverTree(box, true), [client.pid], 500);
});

/**
 * A client that is running within milliseconds of its spawn: /bin/sh writes its pid, records a
 * SIGTERM in its report and exits 143; otherwise it stays. (A node client could still be loading
 * when a server that dies 500 ms after ready takes it down, and would then die of the signal
 * without a report.)
 */
const shClient = (box: Sandbox) => [
	'/bin/sh', '-c',
	'trap \'echo SIGTERM >> "$1.signals"; exit 143\' TERM INT HUP; echo $$ > "$1.pid"; while :; do sleep 0.02; done',
	'sh-client', box.path('sh-client'),
];

test('server exits 500 ms after ready with --on-server-exit exit: the client is ended (SIGTERM) and the launcher exits 125', T, async (t) => {
	const box = await Sandbox.create();
	t.after(() => box.cleanup());
	const run = box.start([
		'--server', box.server(['--exit-after-ready', '500'], {wrapper: 'node'}),
		...launcherFlags(box, '--on-server-exit', 'exit'),
		'--', ...shClient(box),
	]);
	const result = await run.exited;
	assert.equal(result.code, 125, show(result));
	assert.equal(result.timedOut, false);
	assert.match(result.stderr, /fixture: dying now/);
	assert.match(result.stderr, /ending the client/);
	const clientPid = Number(readFileSync(box.path('sh-client.pid'), 'utf8'));
	assert.ok(clientPid > 0, 'the client ran');
	assert.equal(readFileSync(box.path('sh-client.signals'), 'utf8'), 'SIGTERM\n', 'the client was ended with SIGTERM, once');
	await assertNothingLeft(box, await serverTree(box, true), [clientPid], 500);
});

// ---------------------------------------------------------------------------------------------
// 4. Teardown on every path ends the whole tree; the launcher never hangs
// Each runs with both evidence sources (/proc, and lsof: the macOS path via MCP_LAUNCH_PLATFORM):
// teardown's "is the group gone" check must end on both.

for (const source of evidenceSources) {
	const TS = {...T, skip: skipUnless(source)};
	const startWith = (box: Sandbox, args: string[], options: StartOptions = {}): CliRun => box.start(args, {...options, env: cliEnv(source)});

	for (const [signal, code] of [['SIGKILL', 137], ['SIGUSR2', 140]] as const) {
		test(`[${source}] client crash (killed by ${signal}): exit ${code}, the whole npm-like --shell tree is gone`, TS, async (t) => {
			const box = await Sandbox.create();
			t.after(() => box.cleanup());
			const run = startWith(box, ['--server', box.server([], {wrapper: 'shell'}), ...launcherFlags(box, '--kill-timeout', '2s'), '--', ...box.client(['--stay'])]);
			await run.waitStdout('CLIENT READY', 20_000);
			const tree = await serverTree(box, true);
			const client = readClientReport(box.clientReport);
			assert.ok(client);
			process.kill(client.pid, signal);
			const result = await run.exited;
			assert.equal(result.code, code, show(result));
			assert.equal(result.signal, null, 'the launcher itself exits with a code');
			// The launcher exits only once the group is gone: nothing may be left at that moment.
			assert.deepEqual(findLeftovers({pids: tree.pids, groups: [tree.pgid]}).map(describeLeftover), []);
			await assertNothingLeft(box, tree, [client.pid], 500);
		});
	}

	test(`[${source}] readiness timeout: exit 124, the whole tree (a SIGTERM-ignoring server under npm-like) is gone when the launcher exits`, TS, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		// 5 s: the server (node + the SDK) has surely started and ignores SIGTERM by then, even on a busy machine.
		const run = startWith(box, ['--server', box.server(['--never-listen', '--ignore-sigterm'], {wrapper: 'node'}), ...launcherFlags(box, '--timeout', '5s', '--kill-timeout', '300ms'), '--', ...box.client()]);
		const tree = await serverTree(box, true, run);
		const result = await run.exited;
		assert.equal(result.code, 124, show(result));
		assert.match(result.stderr, /ignored SIGTERM/, 'the escalation is reported');
		assert.deepEqual(findLeftovers({pids: tree.pids, groups: [tree.pgid]}).map(describeLeftover), []);
		assert.equal(readClientReport(box.clientReport), undefined);
		await assertNothingLeft(box, tree, [], 500);
	});

	test(`[${source}] readiness crash: the top process exits 3 before ready but leaves its child behind; exit 125 and the child is killed`, TS, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const report = box.serverReport;
		const server = shellJoin(['node', SERVER_FIXTURE, '--port', String(box.port), '--report', report, '--never-listen']);
		// The shell starts a server in the background, waits for its start report, then dies: the
		// server stays in the group (an orphan) until teardown signals the group.
		const command = `${server} & while [ ! -s ${report} ]; do sleep 0.01; done; echo 'top: giving up' >&2; exit 3`;
		const result = await startWith(box, ['--server', command, ...launcherFlags(box, '--kill-timeout', '1s'), '--', ...box.client()]).exited;
		assert.equal(result.code, 125, show(result));
		assert.match(result.stderr, /top: giving up/);
		const start = findEvent(report, 'start');
		assert.ok(start?.pgid, 'the orphaned server had started');
		assert.deepEqual(findLeftovers({pids: [start.pid], groups: [start.pgid]}).map(describeLeftover), [], 'gone when the launcher exited');
		await assertNothingLeft(box, {pgid: start.pgid, server: start, wrapper: undefined, pids: [start.pid, start.pgid]}, [], 500);
	});

	test(`[${source}] readiness crash through npm-like: exit 125 with the server's words, nothing left`, TS, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const result = await startWith(box, ['--server', box.server(['--crash-on-boot', 'soak:no-database'], {wrapper: 'shell'}), ...launcherFlags(box), '--', ...box.client()]).exited;
		assert.equal(result.code, 125, show(result));
		assert.match(result.stderr, /soak:no-database/);
		await assertNothingLeft(box, await serverTree(box, true), [], 500);
	});

	test(`[${source}] SIGTERM-ignoring server under npm-like --shell: SIGKILLed after --kill-timeout at teardown, gone when the launcher exits`, TS, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const run = startWith(box, ['--server', box.server(['--ignore-sigterm'], {wrapper: 'shell'}), ...launcherFlags(box, '--kill-timeout', '400ms'), '--', ...box.client(['--exit', '5'])]);
		const result = await run.exited;
		assert.equal(result.code, 5, show(result));
		const tree = await serverTree(box, true);
		assert.deepEqual(findLeftovers({pids: tree.pids, groups: [tree.pgid]}).map(describeLeftover), [], 'gone when the launcher exited');
		const client = readClientReport(box.clientReport);
		assert.ok(client?.exitAt);
		const teardown = result.endedAt - client.exitAt;
		assert.ok(teardown >= 350 && teardown < 3_000, `teardown waited the 400 ms grace, then SIGKILL (${Math.round(teardown)} ms)`);
		assert.match(result.stderr, /ignored SIGTERM/);
		const events = readJsonLines(box.serverReport);
		assert.ok(events.some((e) => e.event === 'signal' && e.name === 'SIGTERM'), 'the server got SIGTERM first');
		assert.ok(!events.some((e) => e.event === 'exit'), 'the server was SIGKILLed');
		await assertNothingLeft(box, tree, [client.pid], 500);
	});

	test(`[${source}] the launcher never hangs: SIGTERM while waiting on a SIGTERM-ignoring server that never listens -> 143 within the grace`, TS, async (t) => {
		const box = await Sandbox.create();
		t.after(() => box.cleanup());
		const run: CliRun = startWith(box, ['--server', box.server(['--never-listen', '--ignore-sigterm'], {wrapper: 'node'}), ...launcherFlags(box, '--timeout', '60s', '--kill-timeout', '500ms'), '--', ...box.client()], {timeoutMs: 15_000});
		const tree = await serverTree(box, true, run);
		process.kill(run.pid, 'SIGTERM');
		const sentAt = now();
		const result = await run.exited;
		assert.equal(result.timedOut, false, 'bounded');
		assert.equal(result.code, 143, show(result));
		const took = result.endedAt - sentAt;
		assert.ok(took >= 400 && took < 4_000, `exited after the 500 ms grace and SIGKILL (${Math.round(took)} ms), not the 60 s timeout`);
		assert.deepEqual(findLeftovers({pids: tree.pids, groups: [tree.pgid]}).map(describeLeftover), []);
		await assertNothingLeft(box, tree, [], 500);
	});
}
