import {connect, createServer} from 'node:net';

/** A free loopback port: bind port 0 on 127.0.0.1, read it, close. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			if (address === null || typeof address === 'string') {
				server.close();
				reject(new Error('no port'));
				return;
			}
			server.close(() => resolve(address.port));
		});
	});
}

/**
 * True when nothing listens on 127.0.0.1:port: a connection is refused. (Trying to bind the
 * port instead would also fail when some unrelated outgoing connection of a concurrent test
 * happens to use it as its local ephemeral port, which says nothing about a leftover server.)
 */
export function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({host: '127.0.0.1', port});
		socket.once('connect', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
	});
}
