import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {addressCovers, describePortOwners} from '../src/diagnose/port-owner-text.js';
import {osFor} from '../src/os/index.js';
import {parseLsof, parsePsArgs} from '../src/os/lsof/lsof.js';
import {osNameOf, unsupportedPlatformMessage} from '../src/os/name.js';
import {decodeProcAddress, parseProcNetTcp} from '../src/os/procfs/proc-net.js';

// Captured from a Linux host (trimmed): two LISTEN sockets on 127.0.0.1, one on 0.0.0.0, and connections.
const tcp4 = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:A19F 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 36428 1 000000007a22b2ab 100 0 0 10 0
   1: 0100007F:89B5 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 36492 1 00000000e06a0ed2 100 0 0 10 0
   2: 00000000:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 136 1 000000001de6f693 100 0 0 10 0
   3: 0100007F:958C 0100007F:AE43 06 00000000:00000000 03:00001116 00000000     0        0 0 3 00000000075e2f39
  14: 0100007F:83EA 0100007F:A19F 01 00000000:00000000 02:0000176A 00000000     0        0 34616 3 0000000076d2797b 20 4 30 11 -1
  15: 0A000002:0BB8 0A000001:D2F0 01 00000000:00000000 02:0000176A 00000000     0        0 34617 3 0000000076d2797b 20 4 30 11 -1
`;

const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:A205 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 36493 1 0000000096e35809 100 0 0 10 0
   1: 00000000000000000000000001000000:926B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 36491 1 00000000cc78570c 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 555 1 0000000096e35809 100 0 0 10 0
   3: 000080FE000000000000000001000000:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000096e35809 100 0 0 10 0
   4: 00000000000000000000000001000000:926B 00000000000000000000000001000000:C001 01 00000000:00000000 00:00000000 00000000     0        0 888 1 0000000096e35809 100 0 0 10 0
`;

describe('parseProcNetTcp', () => {
	it('keeps only LISTEN (0A) sockets and decodes little-endian IPv4 words and hex ports', () => {
		assert.deepEqual(parseProcNetTcp(tcp4, 4), [
			{address: '127.0.0.1', port: 41_375, family: 4, inode: 36_428},
			{address: '127.0.0.1', port: 35_253, family: 4, inode: 36_492},
			{address: '0.0.0.0', port: 3000, family: 4, inode: 136},
		]);
	});

	it('decodes IPv6 per 32-bit word: ::, ::1, v4-mapped and link-local', () => {
		assert.deepEqual(parseProcNetTcp(tcp6, 6), [
			{address: '::', port: 41_477, family: 6, inode: 36_493},
			{address: '::1', port: 37_483, family: 6, inode: 36_491},
			{address: '::ffff:127.0.0.1', port: 8080, family: 6, inode: 555},
			{address: 'fe80::1', port: 80, family: 6, inode: 777},
		]);
	});

	it('ignores headers, blank lines and garbage', () => {
		assert.deepEqual(parseProcNetTcp('', 4), []);
		assert.deepEqual(parseProcNetTcp('junk\n  0: XYZ:0000 00000000:0000 0A 0 0 0 0 0 1\n', 4), []);
	});

	it('decodes one address field', () => {
		assert.deepEqual(decodeProcAddress('0100007F:0BB8', 4), {address: '127.0.0.1', port: 3000});
		assert.equal(decodeProcAddress('0100007F', 4), undefined);
		assert.equal(decodeProcAddress('0100007F:0BB8', 6), undefined);
	});
});

describe('parseLsof', () => {
	it('reads -Fpcn output: pid, command, one n line per socket', () => {
		const text = 'p4242\ncnode\nn127.0.0.1:3000\nn[::1]:3000\np99\ncPython\nn*:8000\n';
		assert.deepEqual(parseLsof(text), [
			{address: '127.0.0.1', port: 3000, family: 4, pid: 4242, command: 'node'},
			{address: '::1', port: 3000, family: 6, pid: 4242, command: 'node'},
			{address: '0.0.0.0', port: 8000, family: 4, pid: 99, command: 'Python'},
		]);
	});

	it('reads -Fpcnt output: the t field tells a dual-stack * (IPv6, ::) from an IPv4-only one', () => {
		// As both macOS's and Debian's lsof print it: p, c, then per file f, t, n.
		const text = 'p4242\ncnode\nf21\ntIPv6\nn*:3000\nf22\ntIPv4\nn*:3001\nf23\nn*:3002\np7\ncsh\nf3\ntIPv6\nn[::1]:4000\n';
		assert.deepEqual(parseLsof(text), [
			{address: '::', port: 3000, family: 6, pid: 4242, command: 'node'},
			{address: '0.0.0.0', port: 3001, family: 4, pid: 4242, command: 'node'},
			{address: '0.0.0.0', port: 3002, family: 4, pid: 4242, command: 'node'},
			{address: '::1', port: 4000, family: 6, pid: 7, command: 'sh'},
		]);
	});
});

describe('parsePsArgs', () => {
	it('reads `ps -o pid= -o args=`: the whole command line by pid (lsof names only the main thread)', () => {
		const text = '  4242 node old-server.js --port 3000\n    7 /bin/sh -c  npm run dev \n';
		assert.deepEqual([...parsePsArgs(text)], [[4242, 'node old-server.js --port 3000'], [7, '/bin/sh -c  npm run dev']]);
	});
});

describe('the OS implementation of a platform', () => {
	it('Linux reads /proc, macOS asks lsof, Windows runs Job Objects, anything else is unsupported', () => {
		assert.equal(osNameOf('linux'), 'procfs');
		assert.equal(osNameOf('darwin'), 'lsof');
		assert.equal(osNameOf('win32'), 'win32');
		for (const platform of ['freebsd', 'aix', 'sunos', '', 'constructor', 'toString']) {
			assert.equal(osNameOf(platform), undefined, platform);
		}
	});

	it('an unsupported platform gets one line naming it and what is supported', () => {
		const message = unsupportedPlatformMessage('aix');
		assert.equal(message.split('\n').length, 1);
		assert.match(message, /^mcp-launch: unsupported platform aix \(mcp-launch runs on Linux, macOS and Windows\)$/);
	});

	it('the foreground rule without /proc (macOS, Windows): a TTY on stdin is the hint', () => {
		for (const name of ['lsof', 'win32'] as const) {
			assert.equal(osFor(name).inTerminalForeground(true), true, name);
			assert.equal(osFor(name).inTerminalForeground(false), false, name);
		}
	});
});

describe('addressCovers', () => {
	it('knows wildcards and v4-mapped addresses', () => {
		assert.ok(addressCovers('127.0.0.1', '127.0.0.1'));
		assert.ok(addressCovers('0.0.0.0', '127.0.0.1'));
		assert.ok(!addressCovers('0.0.0.0', '::1'));
		assert.ok(addressCovers('::', '::1'));
		assert.ok(addressCovers('::', '127.0.0.1'));
		assert.ok(addressCovers('::ffff:127.0.0.1', '127.0.0.1'));
		assert.ok(!addressCovers('127.0.0.1', '::1'));
		assert.ok(!addressCovers('::1', '127.0.0.1'));
	});
});

describe('describePortOwners', () => {
	it('names the pid and command, grouped by owner', () => {
		assert.equal(
			describePortOwners(3000, [
				{address: '127.0.0.1', port: 3000, family: 4, pid: 4242, command: 'node old-server.js'},
				{address: '::1', port: 3000, family: 6, pid: 4242, command: 'node old-server.js'},
			]),
			'port 3000 is already in use by pid 4242 (node old-server.js) on 127.0.0.1:3000, [::1]:3000',
		);
	});

	it('says so when the owner cannot be seen', () => {
		assert.match(describePortOwners(3000, [{address: '0.0.0.0', port: 3000, family: 4}]), /in use by a process mcp-launch cannot see/);
		assert.match(describePortOwners(3000, []), /owner could not be determined/);
	});
});
