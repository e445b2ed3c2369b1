/**
 * `agora-signaling-emulator/vitest`: importing it registers the log matchers with vitest's
 * `expect` (in a test file, or once for all in `setupFiles`).
 *
 * @example
 * import 'agora-signaling-emulator/vitest';
 *
 * expect(cloud).toHaveReceived('bob', 'onMessageInstantReceive', ['alice', 0, 'hi']);
 * expect(cloud).toHaveReceivedInOrder('alice', ['onLoginSuccess', 'onLogout']);
 * expect(cloud).not.toHaveReceived('alice', 'onLoginFailed');
 */
import { expect } from 'vitest';
import { cloudMatchers, type CloudMatchers } from './log/matchers.js';

expect.extend(cloudMatchers);

export { cloudMatchers };
export type { CallbackName, CloudMatchers, ExpectedCallback, WithinAnchor, WithinOptions } from './log/matchers.js';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-empty-object-type
  interface Assertion<T = any> extends CloudMatchers<T> {}
}
