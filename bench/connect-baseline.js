// Bench helper: the CPU cost, on this machine, of the cheapest possible poll: a bare
// net.connect to a closed loopback port every INTERVAL ms for SECONDS s, nothing else.
// Prints JSON: {intervalMs, probes, cpuMs, perProbeUs}. What any poller must pay per probe.
import net from 'node:net';

const intervalMs = Number(process.argv[2] ?? 15);
const seconds = Number(process.argv[3] ?? 3);
const server = net.createServer();
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const {port} = server.address();
await new Promise(resolve => server.close(resolve)); // Now a closed port: every connect is refused.
const end = performance.now() + seconds * 1000;
const start = process.cpuUsage();
let probes = 0;
await new Promise(resolve => {
	const go = () => {
		const socket = net.connect(port, '127.0.0.1');
		socket.on('error', () => {
			probes++;
			if (performance.now() < end) {
				setTimeout(go, intervalMs);
			} else {
				resolve();
			}
		});
	};

	go();
});
const used = process.cpuUsage(start);
const cpuMs = (used.user + used.system) / 1000;
process.stdout.write(`${JSON.stringify({intervalMs, probes, cpuMs, perProbeUs: (cpuMs * 1000) / probes})}\n`);
