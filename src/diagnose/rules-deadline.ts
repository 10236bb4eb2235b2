// The rules for a report made at the deadline, and for `--probe mcp`: the server may answer by
// the time the report looks, and then the report says so instead of "no answer" (issue 20).
import {formatDuration} from '../duration.js';
import {formatHostPort} from './port-owner-text.js';
import {finding, type Rule} from './rule-types.js';

/** `--probe mcp`: the endpoint answers HTTP, but the initialize handshake failed; say what it answered, not "stuck". */
export const handshakeFailed: Rule = (evidence, facts) => {
	const failure = facts.answered ? facts.errors.find(error => error.code === 'EHANDSHAKE') : undefined;
	const answered = evidence.addresses?.results.find(result => result.ok);
	return failure && answered?.ok
		? finding(
			'unexpected-status',
			`${formatHostPort(answered.address, facts.port)} answers HTTP ${answered.status}, but the MCP handshake (--probe mcp) failed: ${failure.message}`,
			'look at what it answered: a server that allows one session may have given it to another client, or it does not speak Streamable HTTP there; the default --probe http gates on any HTTP answer',
		)
		: undefined;
};

/** A timeout report: the server answers now, when the report looked; it was ready a moment too late. */
export const readyJustAfter: Rule = (evidence, facts) => {
	const answered = evidence.elapsedMs === undefined ? undefined : evidence.addresses?.results.find(result => result.ok);
	return answered?.ok
		? finding(
			'race',
			`${formatHostPort(answered.address, facts.port)} answered HTTP ${answered.status} when this report looked, right after the ${formatDuration(evidence.elapsedMs!)} deadline: the server became ready just too late`,
			`raise --timeout (it needs a little more than ${formatDuration(evidence.elapsedMs!)} to boot here)`,
		)
		: undefined;
};

/** A timeout report: the report's probe was refused, and yet the server listens there now: it started listening at the deadline. */
export const listeningJustAfter: Rule = (evidence, facts) => (evidence.elapsedMs !== undefined && facts.refusedAll && facts.covering.length > 0
	? finding(
		'race',
		`the server listens on ${facts.covering.map(listener => formatHostPort(listener.address, listener.port)).join(', ')} now, but refused the report's probe a moment before: it started listening right at the ${formatDuration(evidence.elapsedMs)} deadline`,
		`raise --timeout (it needs a little more than ${formatDuration(evidence.elapsedMs)} to boot here)`,
	)
	: undefined);
