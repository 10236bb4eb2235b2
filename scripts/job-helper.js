// The Windows job helper (src/os/win32/job-helper.c), cross-compiled with mingw-w64 when
// `x86_64-w64-mingw32-gcc` is on PATH (Debian: gcc-mingw-w64-x86-64) into
// dist/win32-x64/mcp-launch-job.exe. `--require-job-helper` (prepack, CI) makes a missing
// compiler an error; otherwise the package is built without it and, on Windows, mcp-launch
// falls back to taskkill and says so.
import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, statSync} from 'node:fs';
import path from 'node:path';

const compiler = 'x86_64-w64-mingw32-gcc';
export const helperSource = 'src/os/win32/job-helper.c';
export const helperOutput = path.join('win32-x64', 'mcp-launch-job.exe');

/** Whether the cross compiler is here (part of the build's input hash: installing it triggers a rebuild). */
export function compilerAvailable() {
	return spawnSync(compiler, ['--version'], {stdio: 'ignore'}).status === 0;
}

/** Compile the helper into `outDir`; its size in bytes, or undefined when skipped. */
export function buildJobHelper(root, outDir, {required}) {
	if (!compilerAvailable()) {
		if (required) {
			throw new Error(`${compiler} is needed to build the Windows job helper (Debian: apt-get install --no-install-recommends gcc-mingw-w64-x86-64)`);
		}

		return undefined;
	}

	const output = path.join(outDir, helperOutput);
	mkdirSync(path.dirname(output), {recursive: true});
	// -Os and stripped; msvcrt's printf instead of mingw's own (a third of the size); no unwind tables.
	execFileSync(compiler, [
		'-Os', '-s', '-municode', '-Wall', '-D__USE_MINGW_ANSI_STDIO=0',
		'-fno-asynchronous-unwind-tables', '-ffunction-sections', '-Wl,--gc-sections',
		'-o', output, path.join(root, helperSource),
	], {stdio: 'inherit'});
	return statSync(output).size;
}
