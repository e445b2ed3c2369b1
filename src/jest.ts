/**
 * `agora-signaling-emulator/jest`: importing it registers the log matchers with jest's global
 * `expect` (in `setupFilesAfterEnv`, or at the top of a test file), and types them for
 * `@types/jest` and for `@jest/globals`.
 *
 * @example
 * // jest.config.js: setupFilesAfterEnv: ['agora-signaling-emulator/jest']
 * expect(cloud).toHaveReceived('bob', 'onMessageInstantReceive', ['alice', 0, 'hi']);
 */
import { EmulatorError } from './errors.js';
import { cloudMatchers, type CloudMatchers } from './log/matchers.js';
// Brings the expect package (jest's own, which @jest/globals' expect uses) into the program, so
// that the augmentation below has something to augment (an `export type` survives in the .d.ts).
export type {} from 'expect';

const jestExpect = (globalThis as { expect?: { extend?: unknown } }).expect;
if (typeof jestExpect?.extend !== 'function') {
  throw new EmulatorError(
    "agora-signaling-emulator/jest: there is no global expect to register the matchers on (jest's injectGlobals: false?). " +
      "Register them yourself: import { expect } from '@jest/globals'; import { cloudMatchers } from 'agora-signaling-emulator'; " +
      "expect.extend(cloudMatchers); and for their types: import type {} from 'agora-signaling-emulator/jest'",
  );
}
(jestExpect.extend as (matchers: object) => void)(cloudMatchers);

export { cloudMatchers };
export type { CallbackName, CloudMatchers, ExpectedCallback, WithinAnchor, WithinOptions } from './log/matchers.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // The parameters must be those of @types/jest's declaration to merge with it.
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> extends CloudMatchers<R> {}
  }
}

declare module 'expect' {
  // `@jest/globals`' expect: the parameters must be those of the expect package's declaration.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Matchers<R extends void | Promise<void>, T = unknown> extends CloudMatchers<R> {}
}
