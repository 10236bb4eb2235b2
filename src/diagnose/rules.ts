import {formatDuration} from '../duration.js';
import {hostOf, portOf, probedAddressesText, workingUrl} from './addresses.js';
import {announcedPortMismatch, rankListeners, wrongPortFix} from './announced-port.js';
import type {AnswerVerdict} from './answer.js';
import {explainCrash} from './crash.js';
import type {Evidence, OtherPortAnswer} from './evidence.js';
import {portFlagHint} from './port-flag.js';
import {addressCovers, describeOwner, formatHostPort, type Listener} from './port-owner-text.js';
import {detectSchemeMismatch, type ErrorLike} from './scheme.js';
import {finding, type Finding, type Rule, type Facts} from './rule-types.js';
import {handshakeFailed, listeningJustAfter, readyJustAfter} from './rules-deadline.js';

export type {Finding} from './rule-types.js';

const bindBoth = 'bind the server to both loopback addresses (127.0.0.1 and ::1); prefer loopback binds over 0.0.0.0, which exposes an unauthenticated server to the network';
const listenerText = (listener: Listener) => (listener.pid === undefined ? formatHostPort(listener.address, listener.port) : `${formatHostPort(listener.address, listener.port)} ← ${describeOwner(listener)}`);

/** The server mcp-launch started is gone: that is the story, whatever else is seen. */
const crashed: Rule = evidence => {
	const exit = evidence.server && !evidence.server.alive ? evidence.server.exit : undefined;
	if (!exit) {
		return undefined;
	}

	const crash = explainCrash(exit, evidence.output, {findOccupants: () => evidence.portListeners ?? []});
	const summary = crash.line && !crash.message.includes(crash.line) ? `${crash.message} (${crash.line})` : crash.message;
	return finding(crash.cause, summary, crash.fix);
};

const unresolved: Rule = evidence => (evidence.addresses?.results.length === 0
	? finding('unresolved', `${hostOf(evidence.url)} does not resolve`, `check the host name, or use ${workingUrl(evidence.url, '127.0.0.1').href}`)
	: undefined);

/** https to a plain-http server or the reverse: tried, or told by the probe error itself. */
const wrongScheme: Rule = (evidence, facts) => {
	if (evidence.scheme || evidence.schemeTried) {
		return evidence.scheme ? finding('scheme', evidence.scheme.message, evidence.scheme.fix, evidence.scheme.suggestedUrl) : undefined;
	}

	for (const error of facts.errors) {
		const scheme = detectSchemeMismatch(error, evidence.url);
		// A hang-up alone is only "likely": it counts when the server really listens there, or nobody can tell.
		if (scheme && (scheme.confidence === 'certain' || facts.onPort.length > 0 || evidence.treeListeners === undefined)) {
			return finding('scheme', scheme.message, scheme.fix, scheme.suggestedUrl);
		}
	}

	return undefined;
};

/** The name's first address refuses, another answers: clients without fallback fail. */
const familySplit: Rule = evidence => {
	const verdict = evidence.addresses?.verdict;
	return verdict?.kind === 'split' && verdict.firstFails && verdict.workingAddress
		? finding('address-family', verdict.message.split('\n')[0]!, verdict.fix ?? '', workingUrl(evidence.url, verdict.workingAddress).href)
		: undefined;
};

/**
 * The server listens on the URL's port, but only on addresses the URL does not lead to
 * (`[::1]` while the URL says 127.0.0.1). Also what the gate warns about while it waits.
 */
export function boundElsewhereFinding(url: URL, probed: readonly string[], onPort: readonly Listener[]): Finding | undefined {
	if (probed.length === 0 || onPort.length === 0 || onPort.some(listener => probed.some(address => addressCovers(listener.address, address)))) {
		return undefined;
	}

	const bound = onPort[0]!;
	const address = bound.address === '0.0.0.0' ? '127.0.0.1' : (bound.address === '::' ? '::1' : bound.address);
	const suggested = workingUrl(url, address).href;
	const loopback = address === '127.0.0.1' || address === '::1';
	return finding(
		'address-family',
		`the server listens on ${formatHostPort(bound.address, bound.port)}, but ${probedAddressesText(url, probed)}`,
		loopback ? `use ${suggested}, or ${bindBoth}` : `use ${suggested} (the server is bound to that interface only, a container or VM address?)`,
		suggested,
	);
}

/** Something listens on the port, but on an address the URL does not lead to. */
const boundElsewhere: Rule = (evidence, facts) => (facts.answered ? undefined : boundElsewhereFinding(evidence.url, facts.probed, facts.onPort));

/** The server's own processes listen, but on other ports (the one it announced first). */
const otherPort: Rule = (evidence, facts) => {
	if (facts.answered || facts.onPort.length > 0) {
		return undefined;
	}

	const others = rankListeners((evidence.treeListeners ?? []).filter(listener => listener.port !== facts.port), evidence.announced);
	const first = others[0];
	if (first) {
		const suggested = new URL(evidence.url.href);
		suggested.port = String(first.port);
		const path = evidence.announced.announcements.find(item => item.port === first.port && item.path)?.path;
		if (path) {
			suggested.pathname = path;
		}

		const shown = others.map(listener => formatHostPort(listener.address, listener.port)).join(', ');
		return finding('wrong-port', `the server listens on ${shown}, you probe :${facts.port}`, portFix(evidence, suggested.href, facts.port, first.port), suggested.href);
	}

	const mismatch = announcedPortMismatch(evidence.url, evidence.announced, evidence.treeListeners ? {listeners: evidence.treeListeners} : {});
	return mismatch ? finding('wrong-port', mismatch.message, portFix(evidence, mismatch.suggestedUrl, facts.port, mismatch.port), mismatch.suggestedUrl) : undefined;
};

/** The wrong-port fix, with the flag that passes {port} in the server's own terms when mcp-launch chose the port. */
const portFix = (evidence: Evidence, suggestedUrl: string, probedPort: number, usedPort: number) =>
	wrongPortFix(suggestedUrl, probedPort, evidence.portGiven === true, portFlagHint(usedPort, evidence.command, [...evidence.output.stderr, ...evidence.output.stdout]));

/**
 * A 404 on one of the tree's ports while another of its ports answers MCP at the same path:
 * the URL has the wrong port (a metrics or health server's), not the wrong path.
 */
export function mcpOnOtherPort(url: URL, answer: AnswerVerdict, others: readonly OtherPortAnswer[]): Finding | undefined {
	const good = answer.cause === 'wrong-path' && answer.status === 404 ? others.find(other => other.ok) : undefined;
	if (!good) {
		return undefined;
	}

	const suggested = new URL(url.href);
	suggested.port = String(good.port);
	return finding(
		'wrong-port',
		`:${portOf(url)} answered 404 at ${url.pathname}, but the server's other port :${good.port} answers MCP there (HTTP ${good.status}): :${portOf(url)} serves something else (a metrics or health port?)`,
		`use ${suggested.href}`,
		suggested.href,
	);
}

const otherPortServesMcp: Rule = evidence => (evidence.answer ? mcpOnOtherPort(evidence.url, evidence.answer, evidence.otherPorts ?? []) : undefined);

/** It answered, but like something other than the MCP endpoint (404, 3xx, 401, 403/421, 5xx). */
const answerMeaning: Rule = evidence => (evidence.answer?.severity === 'warn'
	? finding(evidence.answer.cause, evidence.answer.message, evidence.answer.fix, evidence.answer.suggestedUrl)
	: undefined);

/** It answered, but from a process that is not the server's (a stale instance on the same port). */
const stranger: Rule = (evidence, facts) => {
	if (!evidence.answer || evidence.treeListeners === undefined) {
		return undefined;
	}

	const own = evidence.treeListeners;
	const strangers = (evidence.portListeners ?? []).filter(listener => facts.probed.some(address => addressCovers(listener.address, address))
		&& !own.some(mine => mine.port === listener.port && mine.address === listener.address));
	return strangers.length > 0
		? finding('port-in-use', `port ${facts.port} is answered by ${strangers.map(listener => listenerText(listener)).join(', ')}, not by the server's processes`, 'stop the other process (a stale instance?), or give the server another port')
		: undefined;
};

const healthy: Rule = evidence => (evidence.answer ? finding('ok', `${evidence.url.href} answers HTTP ${evidence.answer.status}: ready for MCP clients`, '') : undefined);

/** Something accepts connections on the port and never answers HTTP (stuck, or not HTTP). */
const silentListener: Rule = (evidence, facts) => {
	const timedOut = facts.errors.some(error => error.code === 'ETIMEDOUT') && evidence.addresses?.verdict.kind === 'none-answer';
	// Never against the evidence: an answer, or every connection refused, is not "accepts but never answers".
	if (facts.answered || facts.refusedAll || (facts.covering.length === 0 && !timedOut)) {
		return undefined;
	}

	const who = facts.covering.length > 0 ? facts.covering.map(listener => listenerText(listener)).join(', ') : 'something';
	return finding('no-answer', `${who} accepts connections on :${facts.port} but gives no HTTP answer`, 'the server may be stuck (blocked event loop, waiting on a database) or not speak HTTP on that port; look at its output');
};

/** The server runs and listens nowhere yet. */
const stillBooting: Rule = evidence => (evidence.server?.alive
	? finding(
		'race',
		`the server is still running but listens on no port${evidence.elapsedMs === undefined ? ' yet' : ` after ${formatDuration(evidence.elapsedMs)}`}: still booting, or it never serves HTTP`,
		'if it boots slowly (first compile, model download), raise --timeout; if it is a stdio-only MCP server it never listens: start it in HTTP mode (often a --transport http / streamable-http flag) or launch it as a stdio server instead',
	)
	: undefined);

const nothingListens: Rule = (_evidence, facts) => finding('not-listening', `nothing listens on port ${facts.port}: the server is not running, or listens on another port`, 'start the server, or check the port it prints at startup (mcp-launch --server "<command>" starts it and waits for it)');

/**
 * The causes in the order a person should check them. The first rule that finds something
 * is the verdict; the last always does. Used by the timeout report and by doctor alike.
 */
export const rules: ReadonlyArray<[name: string, rule: Rule]> = [
	['crashed', crashed],
	['unresolved', unresolved],
	['wrong scheme', wrongScheme],
	['address family', familySplit],
	['bound elsewhere', boundElsewhere],
	['other port', otherPort],
	['MCP on another of its ports', otherPortServesMcp],
	['answer meaning', answerMeaning],
	['stranger on the port', stranger],
	['handshake failed', handshakeFailed],
	['ready just after the deadline', readyJustAfter],
	['healthy', healthy],
	['listening just after the deadline', listeningJustAfter],
	['silent listener', silentListener],
	['still booting', stillBooting],
	['nothing listens', nothingListens],
];

function factsOf(evidence: Evidence): Facts {
	const port = portOf(evidence.url);
	const results = evidence.addresses?.results ?? [];
	const probed = results.map(result => result.address);
	const own = evidence.treeListeners?.filter(listener => listener.port === port);
	const onPort = own ?? (evidence.portListeners ?? []).filter(listener => listener.port === port);
	return {
		port,
		probed,
		answered: results.some(result => result.ok),
		onPort,
		covering: onPort.filter(listener => probed.some(address => addressCovers(listener.address, address))),
		errors: [
			...results.flatMap(result => (result.ok ? [] : [{code: result.code, message: result.message}])),
			...(evidence.lastError ? [evidence.lastError] : []),
		],
		refusedAll: results.length > 0 && results.every(result => !result.ok && result.code === 'ECONNREFUSED'),
	};
}

/** The verdict: the first rule, in the order a person should check, that finds something. Pure. */
export function diagnose(evidence: Evidence): Finding {
	const facts = factsOf(evidence);
	for (const [, rule] of rules) {
		const found = rule(evidence, facts);
		if (found) {
			return found;
		}
	}

	return nothingListens(evidence, facts)!;
}
