// A small real MCP server (Streamable HTTP, official SDK) that takes a moment to boot,
// as real servers do (compile, connect to a database, warm a model).
// PORT and HOST come from the environment; BOOT_DELAY_MS simulates a slow start.
import {createServer} from 'node:http';
import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js';
import {StreamableHTTPServerTransport} from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {z} from 'zod';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const bootDelayMs = Number(process.env.BOOT_DELAY_MS ?? 800);

function buildServer() {
	const server = new McpServer({name: 'example-server', version: '1.0.0'});
	server.registerTool('add', {description: 'Add two numbers', inputSchema: {a: z.number(), b: z.number()}}, async ({a, b}) => ({
		content: [{type: 'text', text: String(a + b)}],
	}));
	server.registerTool('now', {description: 'The server time'}, async () => ({
		content: [{type: 'text', text: new Date().toISOString()}],
	}));
	return server;
}

// Stateless: a fresh server and transport per request.
const http = createServer(async (request, response) => {
	if (new URL(request.url ?? '/', 'http://x').pathname !== '/mcp') {
		response.writeHead(404).end('not found');
		return;
	}

	const server = buildServer();
	const transport = new StreamableHTTPServerTransport({sessionIdGenerator: undefined});
	response.on('close', () => {
		void transport.close();
		void server.close();
	});
	await server.connect(transport);
	await transport.handleRequest(request, response);
});

console.log(`example-server: booting (${bootDelayMs} ms)...`);
setTimeout(() => {
	http.listen(port, host, () => console.log(`example-server: listening on http://${host}:${port}/mcp`));
}, bootDelayMs);

process.on('SIGTERM', () => http.close(() => process.exit(0)));
