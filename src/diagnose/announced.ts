import {isIP} from 'node:net';
import {hostname, networkInterfaces} from 'node:os';

/**
 * What one output line says about where THIS server serves MCP. Evidence, not fact: see
 * {@link readAnnouncement} for what counts.
 */
export type Announcement = {
	/** The host as printed, without brackets: `localhost`, `127.0.0.1`, `0.0.0.0`, `::`; `''` for `:8080` / `*:8080`. Absent when only a port or path was named. */
	host?: string;
	port?: number;
	/** An MCP-like path (`/mcp`, `/sse`, `/api/mcp`, …); never `/metrics` or `/docs`. */
	path?: string;
	/** The line says the server listens, runs, serves or started there (not a mere mention). */
	listen: boolean;
};

/** What a server said about where it listens, weighed: strongest evidence first. */
export type Announced = {
	announcements: Announcement[];
	/** Full URLs, normalised (`http://localhost:8080/mcp`). */
	urls: string[];
	/** Ports named, strongest first. */
	ports: number[];
	/** MCP-like paths named (other than `/`). */
	paths: string[];
	/** `host:port` pairs named (`127.0.0.1:8080`, `[::]:8080`, `:8080` for a wildcard). */
	hostPorts: string[];
	/** Ports of another local service the server named (`http://127.0.0.1:9464/metrics`): not where MCP is. */
	otherServices: number[];
};

export type AnnounceOptions = {
	/** Names and addresses of this machine besides loopback and wildcard ones. Default: os.hostname() and the interfaces' addresses. */
	localHosts?: ReadonlySet<string>;
};

let machineHosts: Set<string> | undefined;
function defaultLocalHosts(): ReadonlySet<string> {
	if (!machineHosts) {
		machineHosts = new Set([hostname().toLowerCase()]);
		for (const entries of Object.values(networkInterfaces())) {
			for (const entry of entries ?? []) {
				machineHosts.add(entry.address.toLowerCase());
			}
		}
	}

	return machineHosts;
}

/** Loopback, wildcard, `localhost`, or a name/address of this machine. */
export function isLocalHost(host: string, options: AnnounceOptions = {}): boolean {
	const name = host.toLowerCase().replace(/^\[|\]$/g, '');
	return name === '' || name === '*' || name === 'localhost' || name.endsWith('.localhost') || name === '::' || name === '::1' || name === '0.0.0.0'
		|| /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) || name === '::ffff:127.0.0.1'
		|| (options.localHosts ?? defaultLocalHosts()).has(name);
}

/** `/mcp`, `/mcp/`, `/sse`, `/stream`, `/api/mcp`, `/v1/mcp-server`: paths an MCP endpoint lives on (not the SSE transport's `/messages`). */
export function isMcpPath(path: string): boolean {
	return /^(?:\/[\w.~-]*)*\/(?:[\w.~-]*mcp[\w.~-]*|sse|stream)\/?$/i.test(path);
}

// A line about a failure names the address it could not use, not where the server listens.
const failurePattern = /EADDRINUSE|EACCES|already in use|\bis in use\b|\berror\b|\bfailed\b|\bexception\b|traceback|refused|\bcannot\b|\bcould not\b/i;
// An access log line names the CALLER's address: uvicorn `127.0.0.1:43518 - "POST /mcp HTTP/1.1" 400`, morgan, nginx.
const accessLogPattern = /"(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ HTTP\/[\d.]+"|\b(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/\S* HTTP\/[\d.]+\b/;
// Words before an address that make it the other end of a connection.
const remotePattern = /\b(?:from|client|remote|peer|caller|origin|connection|request(?:ed)? by)\s*[:=]?\s*$/i;
const listenPattern = /\b(?:listen(?:ing|s)?|running|serv(?:ing|es|ed)|started|starting|bound|ready|available|up|endpoint)\b/i;

const urlPattern = /\bhttps?:\/\/[^\s"'<>`)\]},│|]+(?:\][^\s"'<>`)},│|]*)?/gi;
// A URL of another scheme (a database DSN: `postgres://user:pass@localhost:5432/db`) names another service's address.
const otherSchemePattern = /\b[a-z][\w+.-]*:\/\/\S+/gi;
// A line about a metrics or monitoring server (kubernetes-mcp-server's `"Metrics server starting" server.addr="0.0.0.0:9090"`).
const metricsPattern = /\b(?:metrics|monitoring|prometheus|pprof)\b/i;
const hostPortPatterns: Array<[RegExp, (match: RegExpExecArray) => string]> = [
	[/(?<![\w.:])((?:\d{1,3}\.){3}\d{1,3}):(\d{1,5})\b/g, match => match[1]!],
	[/\[([\da-f:.]+)\]:(\d{1,5})\b/gi, match => match[1]!.toLowerCase()],
	// `:::8080` (Node's address for `::` without brackets); `::1:8080` is ambiguous and left alone.
	[/(?<![\w:])::():(\d{1,5})\b/g, () => '::'],
	[/\blocalhost:(\d{1,5})\b/gi, () => 'localhost'],
	// Go style `listening on :8080`, and `*:8080`.
	[/(?:^|[\s=(])\*?:(\d{2,5})\b/g, () => ''],
];
const portWordPattern = /\bport\b\s*(?:[:=#]|is|number)?\s*(\d{1,5})\b/i;
const envPortPattern = /\bPORT=(\d{1,5})\b/;
const pathWordPattern = /(?:\b(?:endpoint|path|route|mounted|use(?: the)?)\b\s*(?:at|on|is|:|=)?\s*|\w*Path:\s*)(\/[\w\-./]*)/i;
// A line none of the patterns above can match: one cheap test and no allocation, so a server
// that floods its output with ordinary log lines costs a scan, not a dozen regex runs a line.
const mayAnnounce = /:\/\/|port|endpoint|path|route|mounted|\buse\b|localhost:\d|\]:\d|::|\d\.\d{1,3}:\d|(?:^|[\s=(])\*?:\d/i;

function validPort(text: string | undefined): number | undefined {
	const port = Number(text);
	return Number.isInteger(port) && port > 0 && port < 65_536 ? port : undefined;
}

type Candidate = Announcement & {rank: number; otherService?: boolean};

/** A URL as printed; `http://::1:3000/mcp` (Node's address() without brackets) read as `http://[::1]:3000/mcp`. */
function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		const bare = /^(https?:\/\/)([\da-f:.]+):(\d{1,5})(\/.*)?$/i.exec(text);
		return bare && isIP(bare[2]!) === 6 ? parseUrl(`${bare[1]}[${bare[2]}]:${bare[3]}${bare[4] ?? ''}`) : undefined;
	}
}

function urlCandidates(line: string, options: AnnounceOptions): Candidate[] {
	const found: Candidate[] = [];
	for (const match of line.matchAll(urlPattern)) {
		const before = line.slice(0, match.index);
		const url = parseUrl(match[0].replace(/[.,;:!?'"]+$/, ''));
		if (!url) {
			continue;
		}

		const host = url.hostname.replace(/^\[|\]$/g, '');
		if (!isLocalHost(host, options) || remotePattern.test(before)) {
			continue; // A docs or sponsor link, or the other end of a request.
		}

		const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
		const path = url.pathname === '/' ? undefined : url.pathname.replace(/[.,;:]+$/, '');
		if (path !== undefined && !isMcpPath(path)) {
			found.push({host, port, listen: false, rank: 0, otherService: true}); // `/metrics`: another local service.
			continue;
		}

		found.push({host, port, ...(path ? {path} : {}), listen: false, rank: path ? 4 : 3});
	}

	return found;
}

function bareCandidates(line: string, options: AnnounceOptions): Candidate[] {
	let rest = line.replace(urlPattern, ' ').replace(otherSchemePattern, ' ');
	const found: Candidate[] = [];
	for (const [pattern, host] of hostPortPatterns) {
		for (const match of rest.matchAll(pattern)) {
			const port = validPort(match.at(-1));
			const name = host(match as RegExpExecArray);
			if (port !== undefined && isLocalHost(name, options) && !remotePattern.test(rest.slice(0, match.index))) {
				found.push({host: name, port, listen: false, rank: 2});
			}

			rest = rest.replace(match[0], ' ');
		}
	}

	const word = portWordPattern.exec(rest) ?? envPortPattern.exec(rest);
	const port = validPort(word?.[1]);
	if (port !== undefined) {
		found.push({port, listen: false, rank: 1});
	}

	const pathWord = pathWordPattern.exec(rest);
	if (pathWord && isMcpPath(pathWord[1]!.replace(/[.,;:]+$/, ''))) {
		found.push({path: pathWord[1]!.replace(/[.,;:]+$/, ''), listen: false, rank: 1});
	}

	return found;
}

/**
 * The announcement one output line makes, or undefined when it makes none. Counted: local
 * URLs and `host:port`s (loopback, wildcard, localhost, this machine), `port N`, and
 * MCP-like paths (`endpoint /mcp`). Never counted: foreign hosts (docs, sponsors), the
 * remote end of a request (access logs), non-MCP paths (`/metrics`), failure lines.
 * Pure, apart from reading this machine's names once when `localHosts` is not given.
 *
 * @example
 * readAnnouncement('INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)')
 * // {host: '127.0.0.1', port: 8000, listen: true}
 * readAnnouncement('INFO:     127.0.0.1:43518 - "POST /mcp HTTP/1.1" 400 Bad Request') // undefined
 */
export function readAnnouncement(line: string, options: AnnounceOptions = {}): Announcement | undefined {
	const candidate = readCandidate(line, options);
	if (!candidate || candidate.otherService) {
		return undefined;
	}

	const {rank: _rank, otherService: _other, ...announcement} = candidate;
	return announcement;
}

function readCandidate(line: string, options: AnnounceOptions): Candidate | undefined {
	if (!mayAnnounce.test(line) || line.trim() === '' || failurePattern.test(line) || accessLogPattern.test(line)) {
		return undefined;
	}

	const candidates = [...urlCandidates(line, options), ...bareCandidates(line, options)];
	if (metricsPattern.test(line) && !/\bmcp\b/i.test(line)) {
		const port = candidates.find(candidate => candidate.port !== undefined)?.port;
		return port === undefined ? undefined : {port, listen: false, rank: 0, otherService: true};
	}

	const best = candidates.filter(candidate => !candidate.otherService).sort((a, b) => b.rank - a.rank)[0];
	if (!best) {
		const other = candidates.find(candidate => candidate.otherService);
		return other ? {...other, listen: false} : undefined;
	}

	// A port without a host borrows the path of the same line (`port 3000, endpoint /mcp`) and vice versa.
	const path = best.path ?? candidates.find(candidate => candidate.path)?.path;
	const port = best.port ?? candidates.find(candidate => candidate.port !== undefined && !candidate.otherService)?.port;
	return {
		...(best.host === undefined ? {} : {host: best.host}),
		...(port === undefined ? {} : {port}),
		...(path === undefined ? {} : {path}),
		listen: listenPattern.test(line),
		// Saying "listening" weighs for an address; a bare path (`use the /sse endpoint instead`) stays a mention.
		rank: best.rank + (listenPattern.test(line) && port !== undefined ? 10 : 0),
	};
}

function pushUnique<T>(list: T[], value: T | undefined): void {
	if (value !== undefined && !list.includes(value)) {
		list.push(value);
	}
}

function hostPortText(host: string, port: number): string {
	return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Weigh what a server printed (see {@link readAnnouncement}): listen lines before mentions,
 * URLs with an MCP path before bare ports, earlier before later. Pure.
 *
 * @example
 * parseAnnounced(['OpenTelemetry metrics available at http://127.0.0.1:9464/metrics', 'MCP Server running on HTTP at http://localhost:3000/mcp'])
 * // {ports: [3000], paths: ['/mcp'], urls: ['http://localhost:3000/mcp'], otherServices: [9464], …}
 */
export function parseAnnounced(lines: readonly string[], options: AnnounceOptions = {}): Announced {
	const read: Array<Candidate & {order: number}> = [];
	const otherServices: number[] = [];
	for (const [order, line] of lines.entries()) {
		const candidate = readCandidate(line, options);
		if (candidate?.otherService) {
			pushUnique(otherServices, candidate.port);
		} else if (candidate) {
			read.push({...candidate, order});
		}
	}

	read.sort((a, b) => (b.rank - a.rank) || (a.order - b.order));
	const announced: Announced = {announcements: [], urls: [], ports: [], paths: [], hostPorts: [], otherServices};
	for (const {rank: _rank, order: _order, otherService: _other, ...announcement} of read) {
		announced.announcements.push(announcement);
		pushUnique(announced.ports, announcement.port);
		pushUnique(announced.paths, announcement.path);
		if (announcement.host !== undefined && announcement.port !== undefined) {
			pushUnique(announced.hostPorts, hostPortText(announcement.host, announcement.port));
			if (announcement.host !== '') {
				// `Uvicorn running on http://127.0.0.1:8000` and `… on http://127.0.0.1:8000/mcp`: one URL, with the path.
				const path = announcement.path ?? read.find(other => other.port === announcement.port && other.path)?.path ?? '/';
				pushUnique(announced.urls, new URL(`http://${hostPortText(announcement.host, announcement.port)}${path}`).href);
			}
		}
	}

	announced.otherServices = otherServices.filter(port => !announced.ports.includes(port));
	return announced;
}
