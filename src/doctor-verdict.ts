import {type AddressResult, type AddressVerdict, probedAddressesText, workingUrl} from './diagnose/addresses.js';
import type {Announced} from './diagnose/announced.js';
import {announcedPortMismatch, rankListeners} from './diagnose/announced-port.js';
import type {AnswerVerdict} from './diagnose/answer.js';
import {type CrashExit, explainCrash} from './diagnose/crash.js';
import {describeOwner, formatHostPort, type Listener} from './diagnose/port-owner.js';
import type {SchemeMismatch} from './diagnose/scheme.js';
import type {Diagnosis} from './diagnose/types.js';
import type {DoctorCheck} from './doctor.js';

const listenerText = (listener: Listener) => {
	const where = formatHostPort(listener.address, listener.port);
	return listener.pid === undefined ? where : `${where} ← ${describeOwner(listener)}`;
};

/**
 * doctor's verdict from its checks, in the order a person should read them: a crashed
 * server, the scheme, the address family, then (no answer) the port, the listener, or (an
 * answer) what the status means. Pure.
 */
export type VerdictInput = {
	url: URL;
	port: number;
	results: AddressResult[];
	addressVerdict: AddressVerdict;
	answer: AnswerVerdict | undefined;
	scheme: SchemeMismatch | undefined;
	covering: Listener[];
	portListeners: Listener[];
	strangers: Listener[];
	tree: Listener[] | undefined;
	announced: Announced;
	checks: DoctorCheck[];
	serverExit: CrashExit | undefined;
	serverOutput: readonly string[];
};

export function verdictOf(input: VerdictInput): Diagnosis {
	const {url, port, answer, scheme, tree, announced} = input;
	const evidence = input.checks.filter(check => !check.ok && !check.skipped).map(check => `${check.step}: ${check.evidence}`);
	const make = (cause: Diagnosis['cause'], summary: string, fix: string, suggestedUrl?: string): Diagnosis =>
		({cause, summary, evidence, fix, ...(suggestedUrl === undefined ? {} : {suggestedUrl})});

	if (input.serverExit) {
		// The server it started is gone: that is the story, not "still booting".
		const crash = explainCrash(input.serverExit, input.serverOutput, {findOccupants: () => input.portListeners});
		const tail = input.serverOutput.filter(line => line.trim() !== '').slice(-8);
		const summary = crash.line && !crash.message.includes(crash.line) ? `${crash.message} (${crash.line})` : crash.message;
		return {cause: crash.cause, summary, evidence: [...evidence, ...(tail.length > 0 ? [`its last lines:\n${tail.map(line => `    ${line}`).join('\n')}`] : [])], fix: crash.fix};
	}

	if (scheme) {
		return make('scheme', scheme.message, scheme.fix, scheme.suggestedUrl);
	}

	const verdict = input.addressVerdict;
	if (verdict.kind === 'split' && verdict.firstFails && verdict.workingAddress) {
		return make('address-family', verdict.message.split('\n')[0]!, verdict.fix ?? '', workingUrl(url, verdict.workingAddress).href);
	}

	if (!answer) {
		const otherPorts = rankListeners((tree ?? []).filter(listener => listener.port !== port), announced);
		if (otherPorts.length > 0) {
			const suggested = new URL(url.href);
			suggested.port = String(otherPorts[0]!.port);
			const path = announced.announcements.find(item => item.port === otherPorts[0]!.port && item.path)?.path;
			if (path) {
				suggested.pathname = path;
			}

			return make('wrong-port', `the server listens on ${otherPorts.map(listener => formatHostPort(listener.address, listener.port)).join(', ')}, you probe :${port}`, `use ${suggested.href}`, suggested.href);
		}

		const mismatch = announcedPortMismatch(url, announced, tree === undefined ? {} : {listeners: tree});
		if (mismatch) {
			return make('wrong-port', mismatch.message, `use ${mismatch.suggestedUrl}`, mismatch.suggestedUrl);
		}

		const elsewhere = input.portListeners.filter(listener => !input.covering.includes(listener));
		if (input.covering.length === 0 && elsewhere.length > 0) {
			const bound = elsewhere[0]!;
			const suggested = workingUrl(url, bound.address === '0.0.0.0' ? '127.0.0.1' : (bound.address === '::' ? '::1' : bound.address)).href;
			return make('address-family', `the server listens on ${formatHostPort(bound.address, port)}, but ${probedAddressesText(url, input.results.map(result => result.address))}`, `use ${suggested}, or bind the server to both loopback addresses (127.0.0.1 and ::1); prefer loopback binds over 0.0.0.0, which exposes an unauthenticated server to the network`, suggested);
		}

		if (input.covering.length > 0) {
			return make('no-answer', `${input.covering.map(listener => listenerText(listener)).join(', ')} accepts connections on :${port} but gives no HTTP answer`, 'the server may be stuck or not speak HTTP on that port; look at its output');
		}

		if (tree !== undefined) {
			return make('race', 'the server is running but listens on no TCP port yet: still booting, or it never serves HTTP', 'wait for it to finish booting; a stdio-only MCP server never listens: start it in HTTP mode');
		}

		return make('not-listening', `nothing listens on port ${port}: the server is not running, or listens on another port`, `start the server, or check the port it prints at startup (mcp-launch --server "<command>" starts it and waits for it)`);
	}

	if (answer.severity === 'warn') {
		return make(answer.cause, answer.message, answer.fix, answer.suggestedUrl);
	}

	if (input.strangers.length > 0) {
		return make('port-in-use', `port ${port} is answered by ${input.strangers.map(listener => listenerText(listener)).join(', ')}, not by the server's processes`, 'stop the other process (a stale instance?), or give the server another port');
	}

	return {cause: 'ok', summary: `${url.href} answers HTTP ${answer.status}: ready for MCP clients`, evidence: [], fix: ''};
}
