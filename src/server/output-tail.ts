export type StreamName = 'stdout' | 'stderr';

/** Longest line kept (and handed to line listeners); the rest of a longer line is dropped, marked with `…`. */
export const maxLineLength = 1000;
const truncated = '…';

type Partial = {text: string; cut: boolean};

/** Add to the unterminated line, never holding more than maxLineLength of it. */
function keep(partial: Partial, more: string): void {
	if (partial.cut || more === '') {
		return;
	}

	const room = maxLineLength - partial.text.length;
	if (more.length > room) {
		partial.text += more.slice(0, room);
		partial.cut = true;
	} else {
		partial.text += more;
	}
}

/** How a kept line is shown: redacted (told whether it was cut, so a secret's start at the cut goes too). */
export type LineRedactor = (text: string, cut: boolean) => string;

/** The line is complete: hand it over (without a CR of a CRLF, redacted, marked if cut) and start afresh. */
function take(partial: Partial, redact: LineRedactor): string {
	const text = partial.text.endsWith('\r') ? partial.text.slice(0, -1) : partial.text;
	const line = partial.cut ? `${redact(text, true)}${truncated}` : redact(text, false);
	partial.text = '';
	partial.cut = false;
	return line;
}

/** How many of a stream's first lines are kept besides the last ones: a fatal error printed before a long usage text. */
export const headLines = 10;

/** Copy a stream's first complete lines (up to `last`, the chunk's last newline) into `head`, leaving the partial line as it is. */
function fillHead(head: string[], partial: Partial, chunk: string, last: number, redact: LineRedactor): void {
	const line = {...partial};
	let start = 0;
	while (head.length < headLines && start <= last) {
		const newline = chunk.indexOf('\n', start);
		keep(line, chunk.slice(start, newline));
		head.push(take(line, redact));
		start = newline + 1;
	}
}

/**
 * The last lines a process printed, per stream, in bounded memory, whatever it prints:
 * at most `limit` lines of at most {@link maxLineLength} characters, plus the start of the
 * line not yet ended (a 50 MB line without a newline costs 1000 characters, not 50 MB).
 * The first {@link headLines} lines are kept too, for {@link OutputTail.earlier}.
 */
export class OutputTail {
	readonly #limit: number;
	readonly #redact: LineRedactor;
	readonly #lines: Record<StreamName, string[]> = {stdout: [], stderr: []};
	readonly #head: Record<StreamName, string[]> = {stdout: [], stderr: []};
	/** Complete lines seen per stream (Infinity once lines were skipped unseen: then the head is all scrolled out). */
	readonly #seen: Record<StreamName, number> = {stdout: 0, stderr: 0};
	/** The start of the unterminated line, and whether more of it was dropped. */
	readonly #partial: Record<StreamName, Partial> = {stdout: {text: '', cut: false}, stderr: {text: '', cut: false}};

	/**
	 * `redact` is applied to every line as it is kept, before anything reads it, and before the
	 * line is cut short (it is told when it was): no secret of the server's output survives in
	 * part at the cut (see redactCutText).
	 */
	constructor(limit: number, redact: LineRedactor = text => text) {
		this.#limit = limit;
		this.#redact = redact;
	}

	/**
	 * Feed a chunk; returns the complete lines it finished (each capped). With `all` false
	 * (nobody listens to lines) only the lines the tail keeps are made into strings: a flood
	 * of output costs a scan for newlines, not a string per line.
	 */
	push(stream: StreamName, chunk: string, all = true): string[] {
		const partial = this.#partial[stream];
		const last = chunk.lastIndexOf('\n');
		if (last === -1) {
			keep(partial, chunk);
			return [];
		}

		// Where the complete lines this chunk finishes start: all of them, or the last `limit`.
		let from = 0;
		const head = this.#head[stream];
		if (head.length < headLines) {
			fillHead(head, partial, chunk, last, this.#redact);
		}

		if (!all) {
			let newline = last;
			for (let count = 0; count < this.#limit && newline !== -1; count++) {
				newline = newline === 0 ? -1 : chunk.lastIndexOf('\n', newline - 1);
			}

			if (newline !== -1) {
				from = newline + 1;
				partial.text = '';
				partial.cut = false;
				this.#seen[stream] = Number.POSITIVE_INFINITY;
			}
		}

		const finished = chunk.slice(from, last).split('\n').map(part => {
			keep(partial, part);
			return take(partial, this.#redact);
		});
		keep(partial, chunk.slice(last + 1));
		this.#seen[stream] += finished.length;
		// Only the last `limit` can stay; the listeners still see every line.
		for (const line of finished.length > this.#limit ? finished.slice(-this.#limit) : finished) {
			this.#add(stream, line);
		}

		return finished;
	}

	/** The stream ended: keep what is left of an unterminated line. */
	end(stream: StreamName): string | undefined {
		const partial = this.#partial[stream];
		if (partial.text === '' && !partial.cut) {
			return undefined;
		}

		const rest = take(partial, this.#redact);
		if (this.#head[stream].length < headLines) {
			this.#head[stream].push(rest);
		}

		this.#seen[stream]++;
		this.#add(stream, rest);
		return rest;
	}

	/** The last `count` lines of one stream, with the unterminated line if any. */
	lines(stream: StreamName, count = this.#limit): string[] {
		const partial = this.#partial[stream];
		// The line still being printed may go on with the rest of a secret: redacted as if cut.
		const all = partial.text === '' && !partial.cut ? this.#lines[stream] : [...this.#lines[stream], `${this.#redact(partial.text, true)}${partial.cut ? truncated : ''}`];
		return all.slice(-count);
	}

	/** The first lines of one stream that are no longer among {@link lines} (a fatal error above a long usage text). */
	earlier(stream: StreamName): string[] {
		const head = this.#head[stream];
		return head.slice(0, Math.max(0, Math.min(head.length, this.#seen[stream] - this.#lines[stream].length)));
	}

	/** What the process printed that is still known, per stream: its first lines that scrolled out, then its last lines. */
	kept(): {stderr: string[]; stdout: string[]} {
		return {stderr: [...this.earlier('stderr'), ...this.lines('stderr')], stdout: [...this.earlier('stdout'), ...this.lines('stdout')]};
	}

	#add(stream: StreamName, line: string) {
		const lines = this.#lines[stream];
		lines.push(line);
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
