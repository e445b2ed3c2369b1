import type { CloudOptions } from '../create-cloud.js';
import { invariant } from '../errors.js';

/** The `data-` attributes of the script tag the IIFE build reads. */
export const SCRIPT_ATTRIBUTES = ['seed', 'latency', 'clock', 'startTime'] as const;

/** What the IIFE build needs of its `<script>` element: its `data-` attributes. */
export interface ScriptElementLike {
  readonly dataset: Readonly<Record<string, string | undefined>>;
}

/**
 * The page's cloud options, from the script tag that loaded the IIFE build:
 * `data-seed`, `data-latency` (ms), `data-clock` (`global`, the default, or `virtual`) and
 * `data-start-time` (Unix ms, for the virtual clock). A bad value throws, naming the attribute.
 *
 * @example
 * // <script src="agora-signaling-emulator.global.js" data-seed="7" data-latency="40"></script>
 * scriptOptions(document.currentScript); // { clock: 'global', seed: 7, latency: 40 }
 */
export function scriptOptions(script: ScriptElementLike | null | undefined): CloudOptions {
  // The page's real timers drive its cloud by default, so a script-tag app runs as it would
  // against the real service; `data-clock="virtual"` hands time to the test.
  const options: CloudOptions = { clock: 'global' };
  const data = script?.dataset ?? {};
  const number = (name: string, attribute: string, check: (n: number) => boolean, what: string): number | undefined => {
    const raw = data[name];
    if (raw === undefined) return undefined;
    const n = raw.trim() === '' ? NaN : Number(raw);
    invariant(check(n), `Failed to start agora-signaling-emulator: the script tag's ${attribute}="${raw}" is not ${what}`);
    return n;
  };
  const seed = number('seed', 'data-seed', Number.isInteger, 'an integer');
  if (seed !== undefined) options.seed = seed;
  const latency = number('latency', 'data-latency', (n) => Number.isFinite(n) && n >= 0, 'a number of milliseconds (0 or more)');
  if (latency !== undefined) options.latency = latency;
  const startTime = number('startTime', 'data-start-time', Number.isFinite, 'Unix ms');
  if (startTime !== undefined) options.startTime = startTime;
  const clock = data.clock;
  if (clock !== undefined) {
    invariant(clock === 'global' || clock === 'virtual', `Failed to start agora-signaling-emulator: the script tag's data-clock="${clock}" is not 'global' or 'virtual'`);
    options.clock = clock;
  }
  return options;
}
