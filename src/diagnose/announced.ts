/** What a server said about where it listens, read from its output. */
export type Announced = {
	/** Full URLs it printed, normalised (`http://localhost:8080/mcp`). */
	urls: string[];
	/** Every port it named, in order of first appearance. */
	ports: number[];
	/** Paths of the URLs it printed (other than `/`), and `endpoint /mcp`-style mentions. */
	paths: string[];
	/** `host:port` pairs it named (`127.0.0.1:8080`, `[::]:8080`, `*:8080` as `:8080`). */
	hostPorts: string[];
};

const urlPattern = /\bhttps?:\/\/[^\s"'<>`)\]},]+(?:\][^\s"'<>`)},]*)?/gi;
const portWordPattern = /\bport\b\s*(?:[:=#]|is|number)?\s*(\d{1,5})\b/gi;
const envPortPattern = /\bPORT=(\d{1,5})\b/g;
const hostPortPatterns: Array<[RegExp, (match: RegExpExecArray) => string]> = [
	[/(?<![\w.:])((?:\d{1,3}\.){3}\d{1,3}):(\d{1,5})\b/g, match => match[1]!],
	[/\[([\da-f:.]+)\]:(\d{1,5})\b/gi, match => `[${match[1]}]`],
	// `:::8080` (Node's address for `::` without brackets), `::1:8080` is ambiguous and left alone.
	[/(?<![\w:])::():(\d{1,5})\b/g, () => '[::]'],
	[/\blocalhost:(\d{1,5})\b/gi, () => 'localhost'],
	// Go style `listening on :8080`, and `*:8080`.
	[/(?:^|[\s=(])\*?:(\d{2,5})\b/g, () => ''],
];
const pathPattern = /\b(?:endpoint|path|route|mounted)\b\s*(?:at|on|is|:|=)?\s*(\/[\w\-./]*)/gi;
// A line none of the patterns above can match: one cheap test, no allocation, so a server
// printing a flood of ordinary log lines costs a scan, not a dozen regex runs a line.
const mayAnnounce = /:\/\/|port|endpoint|path|route|mounted|localhost:\d|\]:\d|::|\d\.\d{1,3}:\d|(?:^|[\s=(])\*?:\d/i;

function validPort(text: string | undefined): number | undefined {
	const port = Number(text);
	return Number.isInteger(port) && port > 0 && port < 65_536 ? port : undefined;
}

function pushUnique<T>(list: T[], value: T | undefined): void {
	if (value !== undefined && !list.includes(value)) {
		list.push(value);
	}
}

/**
 * Read the URLs, ports and paths a server printed: `listening on http://localhost:8080/mcp`,
 * `Uvicorn running on http://127.0.0.1:8000`, `port 8080`, `listening on :::8080`,
 * `0.0.0.0:8080`. Pure.
 *
 * @example
 * parseAnnounced(['Server running at http://127.0.0.1:8080/mcp'])
 * // {urls: ['http://127.0.0.1:8080/mcp'], ports: [8080], paths: ['/mcp'], hostPorts: ['127.0.0.1:8080']}
 */
export function parseAnnounced(lines: readonly string[]): Announced {
	const announced: Announced = {urls: [], ports: [], paths: [], hostPorts: []};
	for (const line of lines) {
		if (!mayAnnounce.test(line)) {
			continue;
		}

		// An error naming an address is not an announcement: `listen EADDRINUSE: … 127.0.0.1:3000`.
		if (/EADDRINUSE|EACCES|already in use|\berror\b/i.test(line)) {
			continue;
		}

		let rest = line;
		for (const match of line.matchAll(urlPattern)) {
			const text = match[0].replace(/[.,;:!?'"]+$/, '');
			let url: URL;
			try {
				url = new URL(text);
			} catch {
				continue;
			}

			rest = rest.replace(match[0], ' ');
			pushUnique(announced.urls, url.href);
			const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
			pushUnique(announced.ports, port);
			pushUnique(announced.hostPorts, `${url.hostname}:${port}`);
			if (url.pathname !== '/') {
				pushUnique(announced.paths, url.pathname);
			}
		}

		for (const [pattern, host] of hostPortPatterns) {
			for (const match of rest.matchAll(pattern)) {
				const port = validPort(match.at(-1));
				if (port === undefined) {
					continue;
				}

				pushUnique(announced.ports, port);
				pushUnique(announced.hostPorts, `${host(match as RegExpExecArray)}:${port}`);
				rest = rest.replace(match[0], ' ');
			}
		}

		for (const pattern of [portWordPattern, envPortPattern]) {
			for (const match of rest.matchAll(pattern)) {
				pushUnique(announced.ports, validPort(match[1]));
			}
		}

		for (const match of rest.matchAll(pathPattern)) {
			if (match[1] !== '/') {
				pushUnique(announced.paths, match[1]!.replace(/[.,;:]+$/, ''));
			}
		}
	}

	return announced;
}

/**
 * When the server named ports and none is the one probed: "the server announced
 * http://127.0.0.1:8080/mcp, you probe :3000", with the URL to use. Pure.
 */
export function announcedPortMismatch(url: URL, announced: Announced): {ports: number[]; message: string; suggestedUrl: string} | undefined {
	const probed = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
	if (announced.ports.length === 0 || announced.ports.includes(probed)) {
		return undefined;
	}

	const port = announced.ports[0]!;
	const suggested = new URL(url.href);
	suggested.port = String(port);
	const announcedUrl = announced.urls.find(text => new URL(text).port === String(port));
	if (announcedUrl) {
		const path = new URL(announcedUrl).pathname;
		if (path !== '/') {
			suggested.pathname = path;
		}
	}

	const what = announcedUrl ?? announced.hostPorts.find(hostPort => hostPort.endsWith(`:${port}`)) ?? `port ${port}`;
	return {ports: announced.ports, message: `the server announced ${what}, you probe :${probed}`, suggestedUrl: suggested.href};
}
