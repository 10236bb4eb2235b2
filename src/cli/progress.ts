import {formatDuration} from '../duration.js';
import type {StatusLine} from '../log.js';
import {redactUrl} from '../redact.js';

/**
 * The "waiting for …" line while servers boot, at the status's cadence (log.ts): after a second,
 * redrawn in place on a terminal; in a log (not a terminal) a line every 10 s, its time counted
 * from the start of the wait. `-q` passes a status that shows nothing.
 */
export function waitingProgress(status: StatusLine) {
	let timer: NodeJS.Timeout | undefined;
	let pending: string[] = [];
	let start = 0;
	const draw = () => status.set(`waiting for ${pending.map(url => redactUrl(url)).join(', ')} (${formatDuration(performance.now() - start)})`);
	return {
		waiting(urls: string[]) {
			pending = [...urls];
			start = performance.now();
			timer = setTimeout(function tick() {
				draw();
				timer = setTimeout(tick, status.cadence.everyMs);
				timer.unref();
			}, status.cadence.firstMs);
			timer.unref();
		},
		ready(url: string) {
			pending = pending.filter(item => item !== url);
		},
		stop() {
			clearTimeout(timer);
			timer = undefined;
			status.clear();
		},
	};
}
