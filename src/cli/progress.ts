import {formatDuration} from '../duration.js';
import type {StatusLine} from '../log.js';
import {redactUrl} from '../redact.js';

/** Start showing a waiting line after this long: fast servers never cause a flicker. */
const quietMs = 1000;
const everyMs = 250;

/**
 * The "waiting for …" line while servers boot, after a second: redrawn in place on a terminal; in a log
 * (not a terminal) the status writes it as a line every 10 s (log.ts). `-q` passes a status that shows nothing.
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
				timer = setTimeout(tick, everyMs);
				timer.unref();
			}, quietMs);
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
