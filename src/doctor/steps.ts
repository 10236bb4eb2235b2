import {type AddressResult, type AddressVerdict, hostOf, portOf} from '../diagnose/addresses.js';
import type {AnswerVerdict} from '../diagnose/answer.js';
import {causeLabels} from '../diagnose/format.js';
import {addressCovers, describeOwner, formatHostPort, type Listener} from '../diagnose/port-owner-text.js';
import type {SchemeMismatch} from '../diagnose/scheme.js';
import type {ServerExit} from '../server/spawn-server.js';

export type DoctorStep = 'address' | 'resolve' | 'addresses' | 'listener' | 'endpoint' | 'path' | 'scheme';

export type DoctorCheck = {
	step: DoctorStep;
	ok: boolean;
	/** Set when an earlier failure made this step meaningless (then `ok` is false). */
	skipped?: boolean;
	evidence: string;
};

const check = (step: DoctorStep, ok: boolean, evidence: string, skipped = false): DoctorCheck => ({step, ok, evidence, ...(skipped ? {skipped: true} : {})});
const listenerText = (listener: Listener) => (listener.pid === undefined ? formatHostPort(listener.address, listener.port) : `${formatHostPort(listener.address, listener.port)} ← ${describeOwner(listener)}`);

function resultText(result: AddressResult, port: number): string {
	const where = formatHostPort(result.address, port);
	return result.ok ? `${where} answered HTTP ${result.status}` : `${where} failed: ${result.message}`;
}

/** Steps 1-3: the address, what its name resolves to, what each address did. */
export function addressSteps(url: URL, results: readonly AddressResult[], verdict: AddressVerdict): DoctorCheck[] {
	const host = hostOf(url);
	const port = portOf(url);
	const steps = [check('address', true, `${url.protocol.slice(0, -1)}, host ${host}, port ${port}, path ${url.pathname}`)];
	if (results.length === 0) {
		steps.push(check('resolve', false, `${host} resolves to no address`));
		for (const step of ['addresses', 'listener', 'endpoint', 'path', 'scheme'] as const) {
			steps.push(check(step, false, 'skipped: the host does not resolve', true));
		}

		return steps;
	}

	const firstAnswers = verdict.kind === 'split' && !verdict.firstFails;
	steps.push(check('resolve', true, `${host} → ${results.map(result => result.address).join(', ')}`));
	steps.push(check('addresses', verdict.kind === 'all-answer' || firstAnswers, results.map(result => resultText(result, port)).join('; ') + (firstAnswers ? ' (the first address answers, so clients connect)' : '')));
	return steps;
}

export type ListenerFacts = {results: readonly AddressResult[]; portListeners: readonly Listener[]; tree: readonly Listener[] | undefined; serverExit: ServerExit | undefined; canTell: boolean};

/** Step 4: who listens on the port, and where the server's own processes listen. */
export function listenerStep(port: number, facts: ListenerFacts): DoctorCheck {
	const {results, portListeners, tree} = facts;
	const covering = portListeners.filter(listener => results.some(result => addressCovers(listener.address, result.address)));
	const strangers = tree === undefined ? [] : covering.filter(listener => !tree.some(own => own.port === listener.port && own.address === listener.address));
	const lines = [portListeners.length > 0
		? portListeners.map(listener => listenerText(listener)).join(', ')
		: (facts.canTell ? `nothing listens on port ${port}` : 'cannot tell who listens on this platform')];
	if (facts.serverExit) {
		lines.push(`the server is not running: it ${facts.serverExit.signal ? `was killed by ${facts.serverExit.signal}` : `exited with code ${facts.serverExit.code}`}`);
	} else if (tree !== undefined) {
		lines.push(tree.length > 0 ? `the server's processes listen on ${tree.map(listener => formatHostPort(listener.address, listener.port)).join(', ')}` : 'the server\'s processes listen on no TCP port');
	}

	return check('listener', (covering.length > 0 || results.some(result => result.ok)) && strangers.length === 0, lines.join('; '));
}

/** Steps 5-7 when an address answered: what the answer means, the path, the scheme. */
export function answerSteps(url: URL, status: number, answer: AnswerVerdict): DoctorCheck[] {
	const meaning = answer.severity === 'ok'
		? (status >= 200 && status < 300 ? 'an MCP answer' : (answer.message.includes('JSON-RPC') ? 'a JSON-RPC answer: it speaks MCP' : 'normal for a bare MCP probe'))
		: causeLabels[answer.cause];
	// One story per step: a redirect is not "served", a 401 or 403 proves the path exists but not that it serves.
	const path = answer.cause === 'wrong-path' || (answer.cause === 'legacy-sse' && status === 404)
		? check('path', false, answer.message)
		: (answer.cause === 'redirect'
			? check('path', false, `${url.pathname} is not served itself: ${answer.message.split(';')[0]}`)
			: check('path', true, answer.severity === 'ok' ? `${url.pathname} is served` : `${url.pathname} exists (HTTP ${status})`));
	return [check('endpoint', answer.severity === 'ok', `POST ${url.pathname} → HTTP ${status} (${meaning})`), path, check('scheme', true, `${url.protocol.slice(0, -1)} answered`)];
}

/** Steps 5-7 when nothing answered HTTP: the path is unknown; the scheme may be the reason. */
export function noAnswerSteps(scheme: {mismatch: SchemeMismatch; confirmed: boolean} | undefined): DoctorCheck[] {
	const how = scheme?.confirmed ? ` (confirmed: ${scheme.mismatch.suggestedUrl} answers)` : '';
	return [
		check('endpoint', false, 'no HTTP answer on any address'),
		check('path', false, 'skipped: no HTTP answer', true),
		check('scheme', scheme === undefined, scheme ? `${scheme.mismatch.message}${how}` : 'no sign of an http/https mismatch'),
	];
}
