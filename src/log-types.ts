/** The slice of a pino logger that mcp-launch uses; any pino logger satisfies it. */
export type LogFn = {
	(message: string): void;
	(fields: Record<string, unknown>, message?: string): void;
};

export type Logger = {
	debug: LogFn;
	info: LogFn;
	warn: LogFn;
	error: LogFn;
	isLevelEnabled?: (level: string) => boolean;
	/** Resolves once every line logged so far is written; the client gets the terminal only after it. */
	flush?: () => Promise<void> | void;
};

const noop: LogFn = () => {};

/** The library's default: says nothing. */
export const silentLogger: Logger = {debug: noop, info: noop, warn: noop, error: noop, isLevelEnabled: () => false};
