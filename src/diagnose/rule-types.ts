// The shapes the ordered rules (rules.ts) share: what a rule reads and what it finds.
import type {Evidence} from './evidence.js';
import type {Listener} from './port-owner-text.js';
import type {ErrorLike} from './scheme.js';
import type {DiagnosisCause} from './types.js';

/** What a rule found: the cause, one line saying it, the fix, and a URL that would work when one is known. */
export type Finding = {cause: DiagnosisCause; summary: string; fix: string; suggestedUrl?: string};

export type Rule = (evidence: Evidence, facts: Facts) => Finding | undefined;

/** What several rules need, worked out once from the evidence. */
export type Facts = {
	port: number;
	/** The addresses that were probed (the name's addresses, or the literal). */
	probed: string[];
	answered: boolean;
	/** Listeners on the URL's port: the server tree's own when known, else whoever listens there. */
	onPort: Listener[];
	/** Of those, the ones that cover a probed address (a wildcard covers its family). */
	covering: Listener[];
	errors: ErrorLike[];
	/** Every address was probed and refused the connection: nothing accepted it when the report looked. */
	refusedAll: boolean;
};

export const finding = (cause: DiagnosisCause, summary: string, fix: string, suggestedUrl?: string): Finding => ({cause, summary, fix, ...(suggestedUrl === undefined ? {} : {suggestedUrl})});
