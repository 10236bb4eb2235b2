// The two evidence sources every platform-dependent spec runs with: /proc (Linux) and lsof
// (the macOS path, run here through Debian's lsof). Library specs inject the source; CLI
// specs set MCP_LAUNCH_PLATFORM, which only the CLI reads, at start.
import {execFileSync} from 'node:child_process';
import type {EvidenceSource} from '../../src/os/name.js';

export const evidenceSources: readonly EvidenceSource[] = ['procfs', 'lsof'];

function hasLsof(): boolean {
	try {
		execFileSync('lsof', ['-v'], {stdio: 'ignore', timeout: 5_000});
		return true;
	} catch (error) {
		// `lsof -v` exits 1 on some builds; only "not installed" counts.
		return (error as NodeJS.ErrnoException).code !== 'ENOENT';
	}
}

const lsofInstalled = hasLsof();

/**
 * Why a source cannot run here, for `{skip}`; false when it can. On CI a missing lsof is
 * not a skip: .ci/run installs it, so the lsof specs must run (and fail loudly if they cannot).
 */
export function skipUnless(source: EvidenceSource): string | false {
	if (source === 'procfs') {
		return process.platform === 'linux' ? false : 'reads /proc (Linux only)';
	}

	return lsofInstalled || process.env.CI ? false : 'lsof is not installed (apt-get install lsof)';
}

/** The platform the CLI is told it runs on, so that it picks this source. */
export const platformFor = (source: EvidenceSource): string => (source === 'procfs' ? 'linux' : 'darwin');

/** The CLI's environment for one source. */
export function cliEnv(source: EvidenceSource, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	return {...env, MCP_LAUNCH_PLATFORM: platformFor(source)};
}
