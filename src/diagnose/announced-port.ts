import {type Announced, parseAnnounced, readAnnouncement} from './announced.js';
import {portFlagHint} from './port-flag.js';
import type {Listener} from './port-owner-text.js';

function hostPortText(host: string, port: number): string {
	return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export type PortMismatch = {ports: number[]; message: string; suggestedUrl: string; port: number};

/**
 * When the server's weighed announcements name another port than the one probed: "the server
 * announced http://127.0.0.1:8080/mcp, you probe :3000", with the URL to use. With listener
 * evidence (`listeners`, the LISTEN sockets of its process tree), only a port it really
 * listens on counts, and none when it listens on the probed port; without it, only a
 * listen line or an MCP URL counts. Pure.
 */
export function announcedPortMismatch(url: URL, announced: Announced, evidence: {listeners?: readonly Listener[]} = {}): PortMismatch | undefined {
	const probed = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
	const withPort = announced.announcements.filter(item => item.port !== undefined);
	if (withPort.some(item => item.port === probed) || evidence.listeners?.some(listener => listener.port === probed)) {
		return undefined;
	}

	const best = evidence.listeners === undefined
		? withPort.find(item => item.listen || item.path !== undefined)
		: withPort.find(item => evidence.listeners!.some(listener => listener.port === item.port));
	if (!best) {
		return undefined;
	}

	const port = best.port!;
	const suggested = new URL(url.href);
	suggested.port = String(port);
	const path = best.path ?? announced.announcements.find(item => item.port === port && item.path)?.path;
	if (path) {
		suggested.pathname = path;
	}

	const what = best.host === undefined || best.host === ''
		? (best.host === '' ? `:${port}` : `port ${port}`)
		: new URL(`http://${hostPortText(best.host, port)}${path ?? '/'}`).href;
	const ports = withPort.map(item => item.port!).filter((value, index, all) => all.indexOf(value) === index);
	return {ports, port, message: `the server announced ${what}, you probe :${probed}`, suggestedUrl: suggested.href};
}

/**
 * The fix for a server that listens on another port than the probed one. When mcp-launch
 * chose the port (`-p auto` / `-p N`: PORT and `{port}`), the server ignored it, and the
 * fix is to pass it on; otherwise, use the port the server is on.
 */
export function wrongPortFix(suggestedUrl: string, probedPort: number, portGiven: boolean, how = 'e.g. --port {port}'): string {
	return portGiven
		? `the server ignores the port it was given (PORT=${probedPort}): pass {port} (or $PORT) in the server command, ${how}; or drop -p and use --url ${suggestedUrl}`
		: `use ${suggestedUrl} (or start the server on port ${probedPort})`;
}

/**
 * The LISTEN sockets of the server's tree in the order to suggest them: a port it announced
 * for MCP first, then any port it did not name as another service (metrics), then the rest.
 */
export function rankListeners<T extends Pick<Listener, 'port'>>(found: readonly T[], announced: Announced): T[] {
	const score = (listener: T) => (announced.ports.includes(listener.port) ? 0 : (announced.otherServices.includes(listener.port) ? 2 : 1));
	return [...found].sort((a, b) => score(a) - score(b));
}

/** A line that says the server listens on a port other than the probed one (cheap: no listener lookup). */
export function saysItListensElsewhere(url: URL, line: string): boolean {
	const announcement = readAnnouncement(line);
	const probed = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
	return announcement?.listen === true && announcement.port !== undefined && announcement.port !== probed;
}

/**
 * The warning for one line while the gate waits, or undefined when the line turns out
 * irrelevant: only a listen line on a local host, and with listener evidence only when the
 * server's processes listen on that port and not on the probed one.
 */
export function earlyPortWarning(url: URL, line: string, evidence: {listeners?: readonly Listener[]; portGiven?: boolean; command?: string}): (PortMismatch & {text: string}) | undefined {
	if (!saysItListensElsewhere(url, line)) {
		return undefined;
	}

	const mismatch = announcedPortMismatch(url, parseAnnounced([line]), evidence.listeners ? {listeners: evidence.listeners} : {});
	if (!mismatch) {
		return undefined;
	}

	const probed = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
	const fix = evidence.portGiven ? `: ${wrongPortFix(mismatch.suggestedUrl, probed, true, portFlagHint(mismatch.port, evidence.command, [line]))}` : ` (use --url ${mismatch.suggestedUrl})`;
	return {...mismatch, text: `${mismatch.message}${fix}`};
}
