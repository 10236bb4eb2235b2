import {StringDecoder} from 'node:string_decoder';

/**
 * Cuts a server-sent event stream into whole events, as the bytes come: the front door writes
 * only whole events to the client (so an event of its own, or an error, never lands in the
 * middle of one), and each as soon as it is complete (never buffered past its blank line).
 */
export class SseEvents {
	private readonly decoder = new StringDecoder('utf8');
	private pending = '';

	/** The events completed by this chunk, each with its terminating blank line. */
	push(chunk: Buffer | string): string[] {
		this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
		const events: string[] = [];
		for (;;) {
			const end = /\r\n\r\n|\n\n|\r\r/.exec(this.pending);
			if (!end) {
				return events;
			}

			const cut = end.index + end[0].length;
			events.push(this.pending.slice(0, cut));
			this.pending = this.pending.slice(cut);
		}
	}
}

/** The `data:` lines of one event, joined as the SSE rules say; undefined when it has none (a comment). */
export function eventData(event: string): string | undefined {
	const lines = event.split(/\r\n|\n|\r/).filter(line => line.startsWith('data:'));
	return lines.length === 0 ? undefined : lines.map(line => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n');
}

/** The `id:` of one event, if it has one. */
export function eventId(event: string): string | undefined {
	const line = event.split(/\r\n|\n|\r/).find(item => item.startsWith('id:'));
	return line === undefined ? undefined : line.slice(line.startsWith('id: ') ? 4 : 3);
}

/** The event with its `id:` replaced (ids are per generation: the front door prefixes them). */
export function withEventId(event: string, id: string): string {
	return event.replace(/^id:.*$/m, `id: ${id}`);
}

/** Every JSON-RPC message in a whole SSE body (an initialize answer read in full). */
export function sseMessages(body: string): unknown[] {
	const messages: unknown[] = [];
	for (const event of new SseEvents().push(`${body}\n\n`)) {
		const data = eventData(event);
		if (data !== undefined && data.trim() !== '') {
			try {
				messages.push(JSON.parse(data));
			} catch {}
		}
	}

	return messages;
}
