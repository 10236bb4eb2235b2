// The guardian (src/os/posix/guardian*.ts) only ever signals the process groups mcp-launch created
// and removes only the directory it made, whatever the environment says:
//   * its line protocol cannot be injected through TMPDIR (a newline in it once became `group 1`,
//     so `kill -TERM -1`, and `tmp /tmp/victim`, so `rm -rf` of a directory nobody gave it);
//   * a server group known gone (emptied while the client ran) is never signalled again, even
//     once its id belongs to an unrelated process (PID reuse, forced with ns_last_pid).
// Each run happens inside a fresh PID namespace (`unshare -pf --mount-proc`, root): whatever a
// guardian signals, even `kill -- -1`, stays in there, so these specs are safe on a shared machine
// with any version of the code. Skipped, saying why, where that is not available.
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, it, type TestContext} from 'node:test';
import {guardianScript} from '../src/os/posix/guardian-script.js';
import {isOwnTempDir} from '../src/os/posix/guardian.js';
import {CLI, CLIENT_FIXTURE, FIXTURES, SERVER_FIXTURE, cliBuilt} from './helpers/cli.js';
import {defer} from './helpers/cleanup.js';
import {killHard} from './helpers/proc.js';

const T = {timeout: 60_000};
const DRIVER = path.join(FIXTURES, 'pid-ns-driver.js');

function pidNamespaceMissing(): string | false {
	if (process.platform !== 'linux') return 'Linux only (PID namespaces)';
	if (process.getuid?.() !== 0) return 'needs root (unshare -p, /proc/sys/kernel/ns_last_pid)';
	const probe = spawnSync('unshare', ['-pf', '--mount-proc', '--kill-child', 'true'], {encoding: 'utf8', timeout: 10_000});
	if (probe.error) return `unshare is not usable here (${probe.error.message})`;
	if (probe.status !== 0) return `unshare -pf --mount-proc failed here (exit ${probe.status}: ${probe.stderr.trim()})`;
	return false;
}

const noPidNs = pidNamespaceMissing();

function scratch(t: TestContext): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'mcp-launch-guardian-spec-'));
	defer(t, () => rmSync(dir, {recursive: true, force: true}));
	return dir;
}

/**
 * Run argv as PID 1 of a fresh PID namespace, in a session and process group of its own: a PID
 * namespace contains `kill -1`, but not a process group that spans it (`kill 0` inside would
 * reach the test runner's group). Resolves with its output; killed with the test (`--kill-child`
 * then ends the whole namespace).
 */
function inPidNamespace(t: TestContext, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawn('unshare', ['-pf', '--mount-proc', '--kill-child', ...argv], {env, stdio: ['ignore', 'pipe', 'pipe'], detached: true});
	defer(t, () => killHard(child.pid));
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	return new Promise((resolve) => child.once('close', (code) => resolve({code, stdout, stderr})));
}

async function driver(t: TestContext, scenario: 'tmpdir' | 'reuse', plan: Record<string, string>): Promise<Record<string, unknown>> {
	const result = await inPidNamespace(t, [process.execPath, DRIVER, scenario, JSON.stringify({cli: CLI, server: SERVER_FIXTURE, client: CLIENT_FIXTURE, ...plan})]);
	const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
	assert.equal(report.error, undefined, `the driver failed: ${String(report.error)}\n${result.stderr}`);
	return report;
}

/** Every `mcp-launch-*` directory under dir (what a run would leave behind, secret config inside). */
const leftDirs = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('mcp-launch-')) : []);

describe('the guardian\'s own checks (its /bin/sh program, fed lines directly)', {skip: noPidNs}, () => {
	it('kills the group it is told and removes its own directory, and nothing else: not -1, not 0, not a path it did not make', T, async (t) => {
		const dir = scratch(t);
		const victim = path.join(dir, 'victim');
		mkdirSync(victim);
		writeFileSync(path.join(victim, 'keep'), 'not the guardian\'s');
		const ours = path.join(dir, 'mcp-launch-Ours12');
		mkdirSync(ours, {mode: 0o700});
		const foreign = path.join(dir, 'mcp-launch-N0tOur');
		mkdirSync(foreign, {mode: 0o700});
		chownSync(foreign, 65_534, 65_534); // nobody's
		const link = path.join(dir, 'mcp-launch-L1nked');
		symlinkSync(victim, link);
		const lines = [
			'group 1', 'group 0', 'group -1', 'group 01', 'group 2x', 'group  $target', 'group', 'group $target $sentinel',
			'client 1', 'client 0', 'client -1',
			`tmp ${victim}`, `tmp ${victim}/../mcp-launch-Ours12`, `tmp ${ours}/..`, 'tmp mcp-launch-Ours12', `tmp ${foreign}`, `tmp ${link}`,
			'group $target', `tmp ${ours}`,
		];
		// PID 1 here: a sentinel and a target, each in a session (and group) of its own; the guardian
		// is told only the target. Then its pipe closes without `done`, as when mcp-launch is SIGKILLed.
		const script = [
			'setsid sleep 1000 & sentinel=$!',
			'setsid sleep 1000 & target=$!',
			// Each is told to the guardian only once it leads its own group (setsid runs in the child,
			// after `&` returned): a bounded wait on /proc, field 5 of stat being the group id.
			'for p in $sentinel $target; do i=0; until [ "$(cut -d" " -f5 /proc/$p/stat)" = "$p" ]; do i=$((i + 1)); [ $i -lt 5000 ] || exit 3; sleep 0.001; done; done',
			`printf '%s\\n' ${lines.map((line) => `"${line}"`).join(' ')} | /bin/sh -c "$GUARDIAN" mcp-launch-guardian 5 $$`,
			'kill -0 "$target" 2>/dev/null && echo target-alive || echo target-gone',
			'kill -0 "$sentinel" 2>/dev/null && echo sentinel-alive || echo sentinel-gone',
		].join('\n');
		const result = await inPidNamespace(t, ['/bin/sh', '-c', script], {...process.env, GUARDIAN: guardianScript});
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(result.stdout.trim().split('\n'), ['target-gone', 'sentinel-alive'], 'only the group it was told (validly) is signalled');
		assert.ok(existsSync(path.join(victim, 'keep')), 'a directory it did not make is untouched');
		assert.ok(existsSync(foreign), 'a directory of another user is untouched');
		assert.ok(lstatSync(link).isSymbolicLink(), 'a symlink is not followed, nor removed');
		assert.equal(existsSync(ours), false, 'its own directory is removed');
	});
});

describe('TMPDIR cannot inject lines into the guardian (real SIGKILL of mcp-launch, in a PID namespace)', {skip: noPidNs}, () => {
	it('TMPDIR=$\'…/x\\ngroup 1\\nz\': a usage error, nothing started; nothing is killed, no secret config is left', T, async (t) => {
		assert.ok(cliBuilt(), 'npm run build first');
		const dir = scratch(t);
		const tmp = path.join(dir, 'x\ngroup 1\nz');
		mkdirSync(tmp); // The old code needed it to exist: then the guardian read `tmp …/x`, `group 1`.
		mkdirSync(path.join(dir, 'x'));
		const report = await driver(t, 'tmpdir', {scratch: dir, tmpdir: tmp});
		assert.equal(report.sentinelAlive, true, `an unrelated process was killed (kill -1)\n${String(report.stderr)}`);
		assert.deepEqual(leftDirs(tmp), [], 'no {mcp-config} directory (with the bearer token) is left');
		assert.ok(existsSync(path.join(dir, 'x')), 'a directory it did not make is untouched');
		assert.equal(report.ran, false, 'the client ran: nothing may start with such a TMPDIR');
		assert.deepEqual(report.exit, {code: 2, signal: null});
		const stderr = String(report.stderr).trim();
		assert.equal(stderr.split('\n').length, 1, stderr);
		// Named by the first check that sees it (the placed value's, or the config file's own): TMPDIR, why, the value.
		assert.match(stderr, /^mcp-launch: Expected TMPDIR .*\{mcp-config\}/);
		assert.match(stderr, /a newline|control characters/);
		assert.match(stderr, /x\\ngroup 1\\nz/);
	});

	it('TMPDIR=$\'…/victim\\n\': a usage error; …/victim, a directory mcp-launch never made, is untouched', T, async (t) => {
		const dir = scratch(t);
		const victim = path.join(dir, 'victim');
		mkdirSync(victim);
		writeFileSync(path.join(victim, 'keep'), 'not mcp-launch\'s');
		mkdirSync(`${victim}\n`);
		const report = await driver(t, 'tmpdir', {scratch: dir, tmpdir: `${victim}\n`});
		assert.ok(existsSync(path.join(victim, 'keep')), `rm -rf reached ${victim}\n${String(report.stderr)}`);
		assert.deepEqual(leftDirs(`${victim}\n`), []);
		assert.equal(report.sentinelAlive, true);
		assert.deepEqual(report.exit, {code: 2, signal: null}, String(report.stderr));
	});

	it('a plain TMPDIR: after the SIGKILL the guardian removes the config (bearer token inside) and the server, and nothing else', T, async (t) => {
		const dir = scratch(t);
		const tmp = path.join(dir, 'tmp');
		mkdirSync(tmp);
		const report = await driver(t, 'tmpdir', {scratch: dir, tmpdir: tmp});
		assert.equal(report.ran, true, String(report.stderr));
		assert.equal(path.dirname(path.dirname(String(report.configPath))), tmp, 'the config was made under TMPDIR');
		assert.deepEqual(report.exit, {code: null, signal: 'SIGKILL'});
		assert.ok(report.guardian, 'the debug log names the guardian');
		assert.deepEqual(leftDirs(tmp), [], 'the {mcp-config} directory is removed');
		assert.equal(report.sentinelAlive, true);
	});
});

describe('a server group known gone is never signalled again (PID reuse forced with ns_last_pid)', {skip: noPidNs}, () => {
	for (const end of ['teardown', 'sigkill'] as const) {
		it(`the server dies while the client runs; an unrelated setsid process gets its id; it survives ${end === 'teardown' ? 'mcp-launch\'s teardown' : 'a SIGKILL of mcp-launch (the guardian)'}`, T, async (t) => {
			const dir = scratch(t);
			const report = await driver(t, 'reuse', {scratch: dir, end});
			assert.equal(report.serverGroup, report.server, 'the server led its own group');
			assert.equal(report.stranger, report.server, 'the stranger got the dead server\'s id (ns_last_pid)');
			assert.equal(report.strangerGroup, report.server, 'in a group of its own with that id');
			assert.equal(report.strangerAlive, true, `an unrelated process with the dead group's id was signalled\n${String(report.stderr)}`);
			if (end === 'teardown') assert.deepEqual(report.exit, {code: 0, signal: null}, String(report.stderr));
		});
	}
});

describe('what mcp-launch hands the guardian as its directory', () => {
	it('isOwnTempDir: only a 0700 mkdtemp directory of this user, right under the temp directory', {skip: process.platform === 'linux' ? false : 'Linux only'}, (t) => {
		const parent = scratch(t);
		const made = mkdtempSync(path.join(parent, 'mcp-launch-'));
		assert.equal(isOwnTempDir(made, parent), true);
		assert.equal(isOwnTempDir(made, tmpdir()), false, 'not under the temp directory');
		assert.equal(isOwnTempDir(`${made}\n`, parent), false, 'a control character');
		assert.equal(isOwnTempDir(path.relative(process.cwd(), made), parent), false, 'relative');
		const wide = path.join(parent, 'mcp-launch-Wide01');
		mkdirSync(wide, {mode: 0o755});
		assert.equal(isOwnTempDir(wide, parent), false, 'mode 0755');
		const link = path.join(parent, 'mcp-launch-L1nk00');
		symlinkSync(made, link);
		assert.equal(isOwnTempDir(link, parent), false, 'a symlink');
		assert.equal(isOwnTempDir(path.join(parent, 'victim'), parent), false, 'not mkdtemp\'s name');
		assert.equal(isOwnTempDir(path.join(parent, 'mcp-launch-Gone00'), parent), false, 'missing');
	});
});
