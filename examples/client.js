// A real MCP client (official SDK): connects ONCE to MCP_SERVER_URL (set by mcp-launch),
// with no retry of its own, lists the tools and calls one. Without the gate it would fail
// with ECONNREFUSED, exactly like a client that starts before its server.
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const url = new URL(process.env.MCP_SERVER_URL ?? 'http://127.0.0.1:3000/mcp');
const client = new Client({name: 'example-client', version: '1.0.0'});
await client.connect(new StreamableHTTPClientTransport(url));
const {tools} = await client.listTools();
console.log(`connected to ${url.href}; tools: ${tools.map(tool => tool.name).join(', ')}`);
const sum = await client.callTool({name: 'add', arguments: {a: 2, b: 3}});
console.log(`add(2, 3) = ${sum.content[0].text}`);
await client.close();
