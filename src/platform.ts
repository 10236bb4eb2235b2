/**
 * Where mcp-launch reads facts about processes and sockets (who listens on a port, which
 * members of a process group are still running, whether it is in its terminal's foreground):
 * Linux's /proc, or `lsof` and the TTY on stdin (macOS). One injected choice: the library
 * takes it as an option (default from `process.platform`, read at call time); the CLI picks
 * it once at start. Kept free of imports: cli.ts checks the platform on its hot path.
 */
export type EvidenceSource = 'procfs' | 'lsof';

/** The platforms mcp-launch runs on, and where each reads its evidence. */
const sources: Readonly<Record<string, EvidenceSource>> = {linux: 'procfs', darwin: 'lsof'};

/** The evidence source of a platform (`linux` → procfs, `darwin` → lsof), undefined when unsupported. */
export function evidenceSourceOf(platform: string): EvidenceSource | undefined {
	return Object.hasOwn(sources, platform) ? sources[platform] : undefined;
}

/** This machine's evidence source, undefined on an unsupported platform (then nothing can be told). */
export function defaultEvidenceSource(): EvidenceSource | undefined {
	return evidenceSourceOf(process.platform);
}

/** The one line an unsupported platform gets at start. */
export function unsupportedPlatformMessage(platform: string): string {
	return `mcp-launch: unsupported platform ${platform} (mcp-launch runs on Linux and macOS; on Windows use WSL)`;
}
