import {createRequire} from 'node:module';

// node:http is loaded with require(), never with `import`: an ESM import of a built-in builds a
// namespace of all its exports, and from Node 22 node:http has lazy ones (WebSocket,
// EventSource, …) whose getters load undici, and with it tls, crypto, http2 and zlib. Measured
// on Node 24: +45 ms of CPU for `import 'node:http'`, +4 ms for require('node:http').
const require = createRequire(import.meta.url);

export type Http = typeof import('node:http');

/** node:http, without its lazy exports evaluated; loaded on first use (none before the server is spawned). */
export const http = (): Http => require('node:http') as Http;

/** node:https, loaded on first use only (TLS costs start-up time for every http URL). */
export const https = (): typeof import('node:https') => require('node:https') as typeof import('node:https');
