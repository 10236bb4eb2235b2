import {lookup} from 'node:dns/promises';
import {isIP} from 'node:net';
import {describeProbeError} from '../readiness/wait-until-ready.js';
import {hostOf, portOf, probe as httpProbe, type ProbeAnswer, type ProbeOptions} from '../readiness/probe.js';
import {answerInput, type AnswerInput} from './answer.js';
import {formatHostPort} from './port-owner-text.js';

export type ResolvedAddress = {address: string; family: 4 | 6};
/** Resolve a host name to all its addresses, in the order the OS gives them. Injected in unit specs. */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

/** What one address of the URL's host did with the probe. */
export type AddressResult =
	| ({address: string; family: 4 | 6; ok: true} & AnswerInput)
	| {address: string; family: 4 | 6; ok: false; code: string; message: string};

export type AddressVerdict = {
	/**
	 * `all-answer`: every address answers HTTP. `split`: some answer, some do not (typically
	 * one family refuses: the ::1-vs-127.0.0.1 case). `none-answer`: no address answers.
	 * `unresolved`: the name resolved to nothing.
	 */
	kind: 'all-answer' | 'split' | 'none-answer' | 'unresolved';
	/** For `split`: the first address (the one clients without fallback use) fails. */
	firstFails: boolean;
	answered: AddressResult[];
	failed: AddressResult[];
	/** An address that answers, for {@link workingUrl}. */
	workingAddress?: string;
	/** Human text for `split` (and a short one for the others). */
	message: string;
	fix?: string;
};

/**
 * A probe error in one short line: OpenSSL's multi-line dumps become `EPROTO (TLS: wrong version number)`.
 */
export function shortError(code: string, message: string): string {
	const tls = /SSL routines:[^:]*:([^:\n]+)/.exec(message);
	if (tls) {
		return `${code} (TLS: ${tls[1]!.trim()})`;
	}

	const first = message.split('\n')[0]!.trim();
	return first.includes(code) ? first : `${code} ${first}`;
}

export {hostOf, portOf} from '../readiness/probe.js';

/** `localhost means ::1, 127.0.0.1`, or for a literal address `you probe 127.0.0.1` (not the tautology `127.0.0.1 means 127.0.0.1`). */
export function probedAddressesText(url: URL, probed: readonly string[]): string {
	const host = hostOf(url);
	return isIP(host) === 0 ? `${host} means ${probed.join(', ')}` : `you probe ${host}`;
}

/** The resolver the OS uses, keeping its order (Node >= 17 does too, so clients see the same first address). */
export const systemResolver: Resolver = async host => {
	if (isIP(host)) {
		return [{address: host, family: isIP(host) as 4 | 6}];
	}

	const found = await lookup(host, {all: true, order: 'verbatim'});
	return found.map(entry => ({address: entry.address, family: entry.family === 6 ? 6 : 4}));
};

/**
 * The same URL with its host replaced by an address (brackets for IPv6), for the client
 * to use when only some of the name's addresses answer.
 *
 * @example
 * workingUrl(new URL('http://localhost:3000/mcp'), '127.0.0.1').href // 'http://127.0.0.1:3000/mcp'
 */
export function workingUrl(url: URL, address: string): URL {
	const result = new URL(url.href);
	result.hostname = address.includes(':') ? `[${address}]` : address;
	return result;
}

function describeResult(result: AddressResult, port: number): string {
	const where = formatHostPort(result.address, port);
	if (result.ok) {
		return result.status === 0 ? `${where} accepts connections` : `${where} answered HTTP ${result.status}`;
	}

	return `${where} failed (${result.code})`;
}

/** The TCP-only probe (status 0, nothing sent), under the name the diagnosis code uses. */
export {tcpProbe as connectProbe} from '../readiness/probe.js';

/**
 * Classify the per-address probe results of one URL. Pure.
 * `results` are in the resolver's order: the first is what a client without fallback tries alone.
 */
export function classifyAddresses(url: URL, results: readonly AddressResult[]): AddressVerdict {
	const host = hostOf(url);
	const port = portOf(url);
	const answered = results.filter(result => result.ok);
	const failed = results.filter(result => !result.ok);
	const order = results.map(result => result.address).join(', ');
	if (results.length === 0) {
		return {kind: 'unresolved', firstFails: true, answered, failed, message: `${host} resolves to no address`, fix: `check the host name in ${url.href}, or use http://127.0.0.1:${port}${url.pathname}`};
	}

	if (failed.length === 0) {
		return {kind: 'all-answer', firstFails: false, answered, failed, workingAddress: answered[0]!.address, message: `${host} → ${order}: every address answers`};
	}

	if (answered.length === 0) {
		const what = results.map(result => describeResult(result, port)).join('; ');
		return {kind: 'none-answer', firstFails: true, answered, failed, message: `no address of ${host} answers: ${what}`};
	}

	const first = results[0]!;
	const good = answered[0]!;
	const bad = failed[0]!;
	const goodUrl = workingUrl(url, good.address).href;
	const refusedText = failed.map(result => describeResult(result, port)).join('; ');
	const answeredText = answered.map(result => describeResult(result, port)).join('; ');
	const familyNote = bad.family === good.family ? '' : ` (the server listens on IPv${good.family} only)`;
	const lines = [`${host} resolves to ${order} (in this order): ${refusedText}, but ${answeredText}${familyNote}.`];
	if (!first.ok) {
		lines.push(`Clients that try only the first address (Node < 20, some Python clients) fail with \`connect ${bad.code === 'EPROBE' ? 'ECONNREFUSED' : bad.code} ${bad.address}:${port}\`; Node 20+ clients fall back to ${good.address}.`);
	} else {
		lines.push(`Clients use ${first.address} first, so most connect; a client that prefers IPv${bad.family} would fail.`);
	}

	const bindBoth = bad.family === good.family
		? 'make the server listen on every address of the name'
		: 'bind the server to both loopback addresses (127.0.0.1 and ::1)';
	return {
		kind: 'split',
		firstFails: !first.ok,
		answered,
		failed,
		workingAddress: good.address,
		message: lines.join('\n'),
		fix: `use ${goodUrl} in the client, or ${bindBoth}; prefer loopback binds over 0.0.0.0, which exposes an unauthenticated server to the network`,
	};
}

export type CheckAddressesOptions = {
	timeoutMs: number;
	headers?: Record<string, string>;
	insecure?: boolean;
	signal?: AbortSignal;
	resolve?: Resolver;
	probe?: (url: URL, options: ProbeOptions) => Promise<ProbeAnswer>;
};

/**
 * Resolve every address of the URL's host (OS order) and probe each one, in parallel.
 * A name that does not resolve gives an `unresolved` verdict, not an exception.
 */
export async function checkAddresses(url: URL, options: CheckAddressesOptions): Promise<{results: AddressResult[]; verdict: AddressVerdict}> {
	const resolve = options.resolve ?? systemResolver;
	const probe = options.probe ?? httpProbe;
	let addresses: ResolvedAddress[];
	let timer: NodeJS.Timeout | undefined;
	try {
		// A resolver that hangs (no DNS answer) is bounded like a probe: the name then counts as unresolved.
		addresses = await Promise.race([
			resolve(hostOf(url)),
			new Promise<never>((_resolve, reject) => {
				timer = setTimeout(() => reject(new Error('lookup timed out')), Math.max(1, options.timeoutMs));
			}),
		]);
	} catch {
		addresses = [];
	} finally {
		clearTimeout(timer);
	}

	const results = await Promise.all(addresses.map(async ({address, family}): Promise<AddressResult> => {
		try {
			const answer = await probe(url, {
				timeoutMs: options.timeoutMs,
				address,
				...(options.headers ? {headers: options.headers} : {}),
				...(options.insecure ? {insecure: true} : {}),
				...(options.signal ? {signal: options.signal} : {}),
			});
			return {address, family, ok: true, ...answerInput(answer)};
		} catch (error) {
			const code = (error as {code?: string}).code ?? 'EPROBE';
			return {address, family, ok: false, code, message: shortError(code, describeProbeError(error as Error))};
		}
	}));
	return {results, verdict: classifyAddresses(url, results)};
}
