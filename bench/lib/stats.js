// Summaries and tables for the bench report.
export function summarize(values) {
	const v = values.filter(x => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) {
		return {n: 0, median: null, min: null, max: null};
	}

	const mid = Math.floor(v.length / 2);
	const median = v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
	return {n: v.length, median, min: v[0], max: v.at(-1)};
}

export const fmt = (x, digits = 1) => (x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits));
export const cell = (s, digits = 1) => (!s || s.n === 0 ? 'n/a' : `${fmt(s.median, digits)} [${fmt(s.min, digits)}–${fmt(s.max, digits)}]`);

export function simpleTable(header, rows, markdown) {
	if (markdown) {
		return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(r => `| ${r.join(' | ')} |`)].join('\n');
	}

	const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => String(r[i]).length)));
	const line = r => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
	return [line(header), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
