/**
 * The Chromium the browser tests drive (vitest's test/browser/ and the Playwright example suite
 * in examples/e2e/): never a downloaded browser, but one installed the ordinary way.
 *
 * 1. `CHROMIUM_PATH`, when set (a missing file there is an error, not a reason to look elsewhere);
 * 2. the usual places: Debian's and Ubuntu's chromium, Google Chrome, the snap;
 * 3. none: when running as root with apt-get, Debian's package is installed
 *    (`apt-get install -y chromium`), so `npm ci && npm test` works on a fresh machine;
 * 4. otherwise an error that gives the one command to run.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** Where Chromium or Chrome usually is, in the order tried. */
export const CHROMIUM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
] as const;

/** The command that installs what the browser tests need. */
export const INSTALL_COMMAND = 'sudo apt-get install -y chromium';

/** The browser tests cannot run: no Chromium, and none could be installed. */
export class ChromiumMissing extends Error {
  override readonly name = 'ChromiumMissing';
}

/** The Chromium to use, without installing anything; undefined when there is none. Throws when `CHROMIUM_PATH` names a missing file. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env.CHROMIUM_PATH;
  if (named) {
    if (!executable(named)) throw new ChromiumMissing(`CHROMIUM_PATH is ${named}, which is not an executable file: point it at a Chromium or Chrome binary, or unset it`);
    return named;
  }
  return CHROMIUM_CANDIDATES.find(executable);
}

/**
 * The Chromium to use; installs Debian's when there is none and this process may (root, with
 * apt-get). Throws {@link ChromiumMissing} with the command to run otherwise.
 *
 * @example
 * const browser = await chromium.launch({ executablePath: chromiumPath() });
 */
export function chromiumPath(options: { log?: (line: string) => void } = {}): string {
  const found = findChromium();
  if (found) return found;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && executable('/usr/bin/apt-get')) {
    log('The browser tests need Chromium, and none is installed: installing Debian\'s (apt-get install -y chromium)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      execFileSync('apt-get', ['update', '-q'], { env, stdio: 'pipe' });
      execFileSync('apt-get', ['install', '-y', '-q', 'chromium'], { env, stdio: 'pipe' });
    } catch (error) {
      const output = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr).trim().split('\n').slice(-5).join('\n') : String(error);
      throw new ChromiumMissing(`Installing Debian's chromium failed:\n${output}\nInstall it yourself (${INSTALL_COMMAND}), or set CHROMIUM_PATH to a Chromium or Chrome binary`);
    }
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new ChromiumMissing(
    `The browser tests need Chromium, which is not installed (looked for CHROMIUM_PATH and in ${CHROMIUM_CANDIDATES.join(', ')}). ` +
      `Run: ${INSTALL_COMMAND}   (or set CHROMIUM_PATH to a Chromium or Chrome binary)`,
  );
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
