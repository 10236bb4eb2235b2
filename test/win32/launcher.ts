// A stand-in for mcp-launch in the Windows specs: starts the tree fixture through the win32
// seam, tells the helper a temp directory, writes the pids to a state file, then idles until
// it is killed (from Windows by TerminateProcess, or from Linux by kill -KILL of its Wine process).
//   node launcher.mjs STATE PORT JOB_HELPER TREE_SERVER
import {existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createWin32Os} from '../../src/os/win32/index.js';
import {waitFor} from '../helpers/wait.js';

const [state = '', port = '', jobHelper = '', treeServer = ''] = process.argv.slice(2);
const temporary = mkdtempSync(path.join(tmpdir(), 'mcp-launch-orphan-'));
writeFileSync(path.join(temporary, 'mcp-config.json'), '{}');
const report = `${state}.tree`;
const tree = createWin32Os({jobHelper}).spawnTree({command: [process.execPath, treeServer, port, report].map(part => `"${part}"`).join(' '), cwd: tmpdir(), env: {...process.env}});
await tree.started;
tree.removeOnOrphan(temporary);
tree.release();
const pids = await waitFor(() => existsSync(report) && JSON.parse(readFileSync(report, 'utf8')) as unknown, {timeoutMs: 20_000, what: 'the tree'});
writeFileSync(`${state}.part`, JSON.stringify({pids, temporary, launcher: process.pid}));
renameSync(`${state}.part`, state);
setInterval(() => {}, 60_000); // Until killed; 60 s at most (below).
setTimeout(() => process.exit(3), 60_000).unref();
