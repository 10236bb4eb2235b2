import {defaults} from '../defaults.js';
import type {Guardian} from '../os/types.js';
import {type ServerProcess, type SpawnServerOptions, spawnServer} from './spawn-server.js';

/**
 * Start a server command under a guardian: it is held until the guardian knows its tree, so
 * there is no moment when the server runs and nothing would end it if mcp-launch died. Used by
 * `doctor --server`.
 */
export function startServer(options: Omit<SpawnServerOptions, 'tailLines' | 'held'>, guardian: Guardian): ServerProcess {
	const server = spawnServer({...options, tailLines: defaults.tailLines, held: true});
	guardian.addTree(server.tree);
	server.release();
	return server;
}
