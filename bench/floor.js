// The floor: the least a launcher can do. Spawns the server (argv, no shell, own process
// group), and starts the client the moment the server is ready:
//   --mode announce  as soon as the server's stdout carries "listening on"
//   --mode silent    as soon as a TCP connect to --port succeeds, retried in a setImmediate
//                    loop (busy: it burns a core while it waits, which no real launcher should)
// then runs the client with inherited stdio, and when it exits, SIGTERMs the server's group,
// waits for the server to exit and exits with the client's code.
//
//   node bench/floor.js --mode announce|silent --port P --server-json '["node","server.js",...]' -- client argv...
import {spawn} from 'node:child_process';
import net from 'node:net';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash === -1 ? argv : argv.slice(0, dash);
const client = dash === -1 ? [] : argv.slice(dash + 1);
const option = name => {
	const index = own.indexOf(name);
	return index === -1 ? undefined : own[index + 1];
};

const mode = option('--mode');
const port = Number(option('--port'));
const serverArgv = JSON.parse(option('--server-json') ?? '[]');
const deadline = Date.now() + Number(option('--timeout-ms') ?? 60_000);
if ((mode !== 'announce' && mode !== 'silent') || !Number.isInteger(port) || serverArgv.length === 0 || client.length === 0) {
	process.stderr.write('floor: usage: --mode announce|silent --port P --server-json JSON -- client...\n');
	process.exit(2);
}

const server = spawn(serverArgv[0], serverArgv.slice(1), {detached: true, stdio: ['ignore', 'pipe', 'inherit']});
let serverExited = false;
const serverGone = new Promise(resolve => {
	server.once('exit', () => {
		serverExited = true;
		resolve();
	});
	server.once('error', () => {
		serverExited = true;
		resolve();
	});
});

const killServer = signal => {
	try {
		process.kill(-server.pid, signal);
	} catch {}
};

let started = false;
function startClient() {
	if (started) {
		return;
	}

	started = true;
	server.stdout.removeAllListeners('data');
	server.stdout.resume();
	const child = spawn(client[0], client.slice(1), {stdio: 'inherit'});
	child.once('exit', async (code, signal) => {
		killServer('SIGTERM');
		const timer = setTimeout(() => killServer('SIGKILL'), 5000);
		await serverGone;
		clearTimeout(timer);
		process.exit(code ?? (signal ? 128 : 1));
	});
}

function fail(message) {
	process.stderr.write(`floor: ${message}\n`);
	killServer('SIGKILL');
	process.exit(1);
}

void serverGone.then(() => {
	if (!started) {
		fail('server exited before it was ready');
	}
});

if (mode === 'announce') {
	let seen = '';
	server.stdout.setEncoding('utf8');
	server.stdout.on('data', chunk => {
		seen = (seen + chunk).slice(-4096);
		if (seen.includes('listening on')) {
			startClient();
		}
	});
	setTimeout(() => fail('timed out'), deadline - Date.now()).unref();
} else {
	server.stdout.resume();
	const attempt = () => {
		if (started || serverExited) {
			return;
		}

		if (Date.now() > deadline) {
			fail('timed out');
			return;
		}

		const socket = net.connect({host: '127.0.0.1', port});
		socket.once('connect', () => {
			socket.destroy();
			startClient();
		});
		socket.once('error', () => {
			socket.destroy();
			setImmediate(attempt);
		});
	};

	attempt();
}
