/**
 * Which OS implementation a platform gets: Linux reads /proc (`procfs`), macOS asks `lsof` and
 * the TTY on stdin (`lsof`), Windows runs its trees in Job Objects (`win32`). One injected
 * choice: the library takes it as an option (`evidenceSource`, default from
 * `process.platform`, read at call time); the CLI picks it once at start. Kept free of imports:
 * cli.ts checks the platform on its hot path.
 */
import type {OsName} from './types.js';

/** The library option's name for the choice (kept: it names the OS implementation now). */
export type EvidenceSource = OsName;

/** The platforms mcp-launch runs on, and the implementation each gets. */
const implementations: Readonly<Record<string, OsName>> = {linux: 'procfs', darwin: 'lsof', win32: 'win32'};

/** The implementation of a platform (`linux` → procfs, `darwin` → lsof, `win32` → win32), undefined when unsupported. */
export function osNameOf(platform: string): OsName | undefined {
	return Object.hasOwn(implementations, platform) ? implementations[platform] : undefined;
}

/** This machine's implementation, undefined on an unsupported platform. */
export function defaultOsName(): OsName | undefined {
	return osNameOf(process.platform);
}

/**
 * Whether an implementation cannot run here: the Unix ones stand in for each other (the specs
 * run the macOS path on Linux), Windows' for none (its trees are Job Objects, its shell cmd.exe).
 */
export function crossesPlatform(name: OsName, platform: string = process.platform): boolean {
	return (name === 'win32') !== (platform === 'win32');
}

/** The one line an unsupported platform gets at start. */
export function unsupportedPlatformMessage(platform: string): string {
	return `mcp-launch: unsupported platform ${platform} (mcp-launch runs on Linux, macOS and Windows)`;
}
