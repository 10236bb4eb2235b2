// A minimal MCP client for the bench on node:http (keep-alive): what a client sends, and no more,
// so the front door's cost is not lost in an SDK client's own. One session per instance.
import http from 'node:http';
import {now} from './config.js';

export class McpSession {
	constructor(url) {
		this.url = new URL(url);
		this.agent = new http.Agent({keepAlive: true, maxSockets: 4});
		this.nextId = 1;
		this.sessionId = undefined;
		this.protocolVersion = undefined;
	}

	async open() {
		const init = await this.post({jsonrpc: '2.0', id: this.nextId++, method: 'initialize', params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'bench', version: '1'}}});
		this.sessionId = init.headers['mcp-session-id'];
		this.protocolVersion = init.message.result.protocolVersion;
		await this.post({jsonrpc: '2.0', method: 'notifications/initialized'});
		return init.message.result;
	}

	/** One POST; resolves with the answer's headers and its JSON-RPC message (JSON or the first SSE event), and when the whole answer had come. */
	post(message) {
		return new Promise((resolve, reject) => {
			const body = JSON.stringify(message);
			const request = http.request(this.url, {
				method: 'POST',
				agent: this.agent,
				headers: {
					'content-type': 'application/json',
					accept: 'application/json, text/event-stream',
					'content-length': Buffer.byteLength(body),
					...(this.sessionId ? {'mcp-session-id': this.sessionId} : {}),
					...(this.protocolVersion ? {'mcp-protocol-version': this.protocolVersion} : {}),
				},
			}, response => {
				let text = '';
				response.setEncoding('utf8').on('data', chunk => (text += chunk)).once('end', () => {
					const endedAt = now();
					const data = /^data: (.*)$/m.exec(text)?.[1] ?? text;
					let parsed;
					try {
						parsed = data ? JSON.parse(data) : undefined;
					} catch {}

					resolve({status: response.statusCode, headers: response.headers, message: parsed, endedAt});
				});
			});
			request.once('error', reject);
			request.end(body);
		});
	}

	/** tools/call; resolves with the parsed text of its first content item and the round trip (ms). */
	async call(name) {
		const startedAt = now();
		const answer = await this.post({jsonrpc: '2.0', id: this.nextId++, method: 'tools/call', params: {name, arguments: {}}});
		if (!answer.message?.result) {
			throw new Error(`tools/call ${name} failed: ${answer.status} ${JSON.stringify(answer.message)}`);
		}

		return {value: JSON.parse(answer.message.result.content[0].text), ms: answer.endedAt - startedAt, endedAt: answer.endedAt};
	}

	/** The session's GET event stream: `onMessage(message, at)` for every JSON-RPC message on it. */
	stream(onMessage) {
		return new Promise((resolve, reject) => {
			const request = http.request(this.url, {method: 'GET', agent: false, headers: {accept: 'text/event-stream', 'mcp-session-id': this.sessionId, 'mcp-protocol-version': this.protocolVersion}}, response => {
				if (response.statusCode !== 200) {
					reject(new Error(`GET ${this.url.href}: ${response.statusCode}`));
					return;
				}

				let pending = '';
				response.setEncoding('utf8').on('data', chunk => {
					const at = now();
					pending += chunk;
					let end;
					while ((end = pending.indexOf('\n\n')) !== -1) {
						const event = pending.slice(0, end);
						pending = pending.slice(end + 2);
						const data = /^data: (.*)$/m.exec(event)?.[1];
						if (data) {
							onMessage(JSON.parse(data), at);
						}
					}
				});
				resolve({close: () => request.destroy()});
			});
			request.once('error', error => {
				if (error.code !== 'ECONNRESET') {
					reject(error);
				}
			});
			request.end();
		});
	}

	close() {
		this.agent.destroy();
	}
}
