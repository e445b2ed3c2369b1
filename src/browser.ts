/**
 * The IIFE build for script-tag apps (`dist/agora-signaling-emulator.global.js`):
 *
 *   <script src="agora-signaling-emulator.global.js" data-seed="1"></script>
 *   <script src="app.js"></script>   <!-- unchanged: it calls Signal(appId) as before -->
 *
 * It creates the page's cloud (real timers by default, `clock: 'global'`), sets `window.Signal`
 * to its SDK factory, and exposes everything else as `window.SignalingEmulator`: the page's
 * `cloud` (control verbs, `log`, `timeline()`, `inspect()`), `createCloud`, `codes`,
 * `signalingToken`, and the rest of the package's exports.
 */
import { scriptOptions } from './browser/script-options.js';
import { createCloud } from './create-cloud.js';

export * from './index.js';
export { scriptOptions } from './browser/script-options.js';

const script = typeof document === 'undefined' ? null : (document.currentScript as HTMLScriptElement | null);

/** The page's cloud: the one behind `window.Signal`. */
export const cloud = createCloud(scriptOptions(script));
cloud.install(globalThis);
