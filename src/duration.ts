const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};
const pattern = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|h)?$/;

/**
 * Parse a human duration into milliseconds: `500ms`, `30s`, `2m`, `1h`, `1.5s`.
 * A bare number means seconds, as for `timeout(1)` and `curl --max-time`.
 * Returns undefined when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
	const match = pattern.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const value = Number(match[1]);
	const unit = units[match[2] ?? 's']!;
	const ms = value * unit;
	return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** Format milliseconds the way people write them: 850 ms, 2.5 s, 3 min. */
export function formatDuration(ms: number): string {
	if (ms < 1000) {
		return `${Math.round(ms)} ms`;
	}

	if (ms < 60_000) {
		return `${Number((ms / 1000).toFixed(1))} s`;
	}

	return `${Number((ms / 60_000).toFixed(1))} min`;
}
