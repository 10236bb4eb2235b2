/**
 * Edits between two words (insert, delete, replace, or swap two neighbours: `wiat` → `wait` is one). Pure.
 */
export function editDistance(a: string, b: string): number {
	const rows = Array.from({length: a.length + 1}, (_row, i) => Array.from({length: b.length + 1}, (_cell, j) => (i === 0 ? j : (j === 0 ? i : 0))));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				best = Math.min(best, rows[i - 2]![j - 2]! + 1);
			}

			rows[i]![j] = best;
		}
	}

	return rows[a.length]![b.length]!;
}

/** The candidate a typo most likely meant: at most 1 edit away (2 for words of 6 letters or more), the nearest first. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
	const limit = word.length >= 6 ? 2 : 1;
	let found: {candidate: string; distance: number} | undefined;
	for (const candidate of candidates) {
		const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
		if (distance > 0 && distance <= limit && (found === undefined || distance < found.distance)) {
			found = {candidate, distance};
		}
	}

	return found?.candidate;
}
