import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {explainCrash, portInUse} from '../src/diagnose/crash.js';

const exit1 = {code: 1, signal: undefined};

describe('explainCrash', () => {
	it('EADDRINUSE (Node): extracts the port and names the occupant', () => {
		const stderr = [
			'node:events:497',
			'      throw er; // Unhandled \'error\' event',
			'Error: listen EADDRINUSE: address already in use 127.0.0.1:3000',
			'    at Server.setupListenHandle [as _listen2] (node:net:1908:16)',
		];
		const asked: number[] = [];
		const cause = explainCrash(exit1, {stderr, stdout: []}, {
			findOccupants(port) {
				asked.push(port);
				return [{address: '127.0.0.1', port, family: 4, pid: 4242, command: 'node old-server.js'}];
			},
		});
		assert.deepEqual(asked, [3000]);
		assert.equal(cause.kind, 'port-in-use');
		assert.equal(cause.cause, 'port-in-use');
		assert.equal(cause.port, 3000);
		assert.match(cause.message, /exited with code 1: port 3000 is already in use by pid 4242 \(node old-server\.js\)/);
		assert.match(cause.fix, /kill 4242/);
	});

	it('EADDRINUSE in other dialects', () => {
		assert.equal(portInUse(['Error: listen EADDRINUSE: address already in use :::3000'])?.port, 3000);
		assert.equal(portInUse(['ERROR:    [Errno 98] error while attempting to bind on address (\'127.0.0.1\', 8000): address already in use'])?.port, 8000);
		assert.equal(portInUse(['listen tcp :8080: bind: address already in use'])?.port, 8080);
		assert.equal(portInUse(['Port 3001 is already in use'])?.port, 3001);
		const noOwner = explainCrash(exit1, ['Error: listen EADDRINUSE: address already in use :::3000']);
		assert.match(noOwner.message, /port 3000 is already in use/);
	});

	it('Cannot find module: build output vs dependency', () => {
		const built = explainCrash(exit1, ['Error: Cannot find module \'/app/dist/index.js\'', '    at Module._resolveFilename']);
		assert.equal(built.kind, 'missing-module');
		assert.match(built.fix, /npm run build/);
		const dependency = explainCrash(exit1, ['Error [ERR_MODULE_NOT_FOUND]: Cannot find package \'express\' imported from /app/server.js']);
		assert.equal(dependency.subject, 'express');
		assert.match(dependency.fix, /npm install/);
		assert.match(explainCrash(exit1, ['ModuleNotFoundError: No module named \'mcp\'']).fix, /pip install/);
	});

	const envLines = [
		['Error: Missing required env var: OPENAI_API_KEY', 'OPENAI_API_KEY'],
		['Missing required environment variable DATABASE_URL', 'DATABASE_URL'],
		['API_TOKEN is not set', 'API_TOKEN'],
		['Error: undefined env var GITHUB_TOKEN', 'GITHUB_TOKEN'],
		['Environment variable BRAVE_API_KEY is required', 'BRAVE_API_KEY'],
		['KeyError: \'SLACK_TOKEN\'', 'SLACK_TOKEN'],
	] as const;
	for (const [line, variable] of envLines) {
		it(`missing env: ${line}`, () => {
			const cause = explainCrash(exit1, {stderr: [line], stdout: []});
			assert.equal(cause.kind, 'missing-env');
			assert.equal(cause.subject, variable);
			assert.match(cause.fix, new RegExp(`set ${variable}`));
		});
	}

	it('command not found (dash, bash) and exit 127', () => {
		const dash = explainCrash({code: 127, signal: undefined}, ['sh: 1: nodee: not found']);
		assert.equal(dash.kind, 'command-not-found');
		assert.equal(dash.subject, 'nodee');
		assert.match(dash.fix, /--server command/);
		assert.equal(explainCrash({code: 127, signal: undefined}, ['/bin/sh: line 1: uvx: command not found']).subject, 'uvx');
		assert.equal(explainCrash({code: 127, signal: undefined}, []).kind, 'command-not-found');
	});

	it('killed by a signal: SIGKILL hints at OOM', () => {
		const cause = explainCrash({code: undefined, signal: 'SIGKILL'}, []);
		assert.equal(cause.kind, 'signal');
		assert.match(cause.message, /killed by SIGKILL.*out-of-memory/);
	});

	it('otherwise the exit code with the error line', () => {
		const cause = explainCrash({code: 3, signal: undefined}, {stderr: ['boom', 'TypeError: x is not a function', '    at main'], stdout: ['starting']});
		assert.equal(cause.kind, 'exit-code');
		assert.match(cause.message, /exited with code 3: TypeError: x is not a function/);
	});

	it('stderr is read before stdout', () => {
		const cause = explainCrash(exit1, {stderr: ['Error: listen EADDRINUSE: address already in use :::4000'], stdout: ['API_KEY is not set']});
		assert.equal(cause.kind, 'port-in-use');
	});
});
