import {defaults} from '../defaults.js';
import type {Guardian} from '../lifecycle/guardian.js';
import {type ServerProcess, type SpawnServerOptions, spawnServer} from './spawn-server.js';

/**
 * Start a server command under a guardian: its shell waits until the guardian knows its
 * process group, so there is no moment when the server runs and nothing would end it if
 * mcp-launch died. Used by the launcher and by `doctor --server`.
 */
export function startServer(options: Omit<SpawnServerOptions, 'tailLines' | 'held'>, guardian: Guardian): ServerProcess {
	const server = spawnServer({...options, tailLines: defaults.tailLines, held: true});
	guardian.addGroup(server.pid, server.groupGone);
	server.release();
	return server;
}
