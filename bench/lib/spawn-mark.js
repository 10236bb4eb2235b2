// Loaded with `node --import` by the start-up section only: stamps (high-res epoch ms, into the
// file BENCH_SPAWN_MARK) the moment mcp-launch's first held server shell is spawned. It costs
// node one more small module to load, so the figure it gives is a little high, never low.
import childProcess from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {syncBuiltinESMExports} from 'node:module';

const {spawn} = childProcess;
let marked = false;
childProcess.spawn = function (...args) {
	const child = spawn.apply(this, args);
	if (!marked && args[0] === '/bin/sh' && String(args[1]?.[1] ?? '').startsWith('read -r _')) {
		marked = true;
		writeFileSync(process.env.BENCH_SPAWN_MARK, String(performance.timeOrigin + performance.now()));
	}

	return child;
};

syncBuiltinESMExports();
