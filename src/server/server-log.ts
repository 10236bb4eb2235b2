import {closeSync, constants, fstatSync, openSync, writeSync} from 'node:fs';
import {OptionError, shown} from '../option-error.js';

/**
 * `--server-log FILE`: everything the servers print, appended to a file. Writing to it must
 * never cost the session: a full disk, a device that refuses writes, a terminal that is
 * suspended. So every write is synchronous and non-blocking (nothing queues up in memory),
 * and the first write that fails disables the log and is reported once; the server's output
 * is still read (and kept in the in-memory tail) either way.
 */
export type ServerLog = {
	/** Append; returns a one-line warning the first time writing fails (and never again). */
	write(chunk: string): string | undefined;
	close(): void;
};

const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

const reasons: Record<string, string> = {
	ELOOP: 'it is a symbolic link, which is never followed; name the file it points to',
	ENXIO: 'it is a FIFO with no reader',
	EISDIR: 'it is a directory',
	ENOENT: 'its directory does not exist',
	EACCES: 'permission denied',
};

function kindOf(mode: number): string | undefined {
	const type = mode & constants.S_IFMT;
	if (type === constants.S_IFREG || type === constants.S_IFCHR) {
		return undefined; // A file, or a character device like /dev/null.
	}

	return type === constants.S_IFIFO ? 'a FIFO' : (type === constants.S_IFSOCK ? 'a socket' : (type === constants.S_IFBLK ? 'a block device' : 'not a regular file'));
}

/**
 * Open the log for appending: created with mode 0600, an existing file is never truncated,
 * a symbolic link is refused (O_NOFOLLOW), and so is anything but a regular file or a
 * character device (/dev/null): a FIFO could block or stall the launcher. O_NONBLOCK makes
 * the open itself return at once, whatever the path is.
 * Throws an OptionError with one line naming the flag on any of these.
 */
export function openServerLogFile(file: string): ServerLog {
	const refuse = (why: string) => new OptionError('--server-log', `Expected \`--server-log\` to be a regular file that can be appended to, got \`${shown(file)}\` (${why})`);
	let fd: number;
	try {
		fd = openSync(file, flags, 0o600);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? '';
		throw refuse(reasons[code] ?? (code || (error as Error).message));
	}

	const kind = kindOf(fstatSync(fd).mode);
	if (kind !== undefined) {
		closeSync(fd);
		throw refuse(`it is ${kind}`);
	}

	let open = true;
	let closed = false;
	return {
		write(chunk) {
			if (!open) {
				return undefined;
			}

			try {
				const data = Buffer.from(chunk, 'utf8');
				let offset = 0;
				while (offset < data.length) {
					offset += writeSync(fd, data, offset);
				}

				return undefined;
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				if (code === 'EAGAIN') {
					return undefined; // A device that is busy (a suspended terminal): this chunk is dropped, never waited for.
				}

				open = false;
				return `cannot write to --server-log ${file} (${code ?? (error as Error).message}); the server's output is no longer logged there`;
			}
		},
		close() {
			open = false;
			if (!closed) {
				closed = true;
				closeSync(fd);
			}
		},
	};
}
