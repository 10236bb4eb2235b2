export type StreamName = 'stdout' | 'stderr';

const maxLineLength = 1000;

/**
 * The last lines a process printed, per stream, in bounded memory. Partial lines are
 * held until their newline arrives (or the stream ends).
 */
export class OutputTail {
	readonly #limit: number;
	readonly #lines: Record<StreamName, string[]> = {stdout: [], stderr: []};
	readonly #partial: Record<StreamName, string> = {stdout: '', stderr: ''};

	constructor(limit: number) {
		this.#limit = limit;
	}

	/** Feed a chunk; returns the complete lines it finished. */
	push(stream: StreamName, chunk: string): string[] {
		const text = this.#partial[stream] + chunk;
		const parts = text.split(/\r?\n/);
		this.#partial[stream] = (parts.pop() ?? '').slice(-maxLineLength);
		for (const line of parts) {
			this.#add(stream, line);
		}

		return parts;
	}

	/** The stream ended: keep what is left of an unterminated line. */
	end(stream: StreamName): string | undefined {
		const rest = this.#partial[stream];
		this.#partial[stream] = '';
		if (rest !== '') {
			this.#add(stream, rest);
			return rest;
		}

		return undefined;
	}

	/** The last `count` lines of one stream, with the unterminated line if any. */
	lines(stream: StreamName, count = this.#limit): string[] {
		const all = this.#partial[stream] === '' ? this.#lines[stream] : [...this.#lines[stream], this.#partial[stream]];
		return all.slice(-count);
	}

	#add(stream: StreamName, line: string) {
		const lines = this.#lines[stream];
		lines.push(line.length > maxLineLength ? `${line.slice(0, maxLineLength)}…` : line);
		if (lines.length > this.#limit) {
			lines.shift();
		}
	}
}

/** Stderr first, then stdout: a crash usually explains itself on stderr. */
export function formatTail(tail: OutputTail, count: number): string {
	const sections: string[] = [];
	for (const stream of ['stderr', 'stdout'] as const) {
		const lines = tail.lines(stream, count).filter(line => line.trim() !== '');
		if (lines.length > 0) {
			sections.push(`last ${stream} lines:\n${lines.map(line => `  ${line}`).join('\n')}`);
		}
	}

	return sections.length > 0 ? sections.join('\n') : 'it printed nothing';
}
