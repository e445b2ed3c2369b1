// jest's legacy fake timers replace setTimeout with mock functions and leave Date real: a cloud
// on clock: 'global' cannot read their time, so it is refused with what to use instead
// (examples/chat-app's jest tests check this under jest itself).
import { afterEach, expect, it } from 'vitest';
import { createCloud, EmulatorError } from 'agora-signaling-emulator';

const realSetTimeout = globalThis.setTimeout;
afterEach(() => {
  globalThis.setTimeout = realSetTimeout;
});

it("createCloud({ clock: 'global' }) under jest's legacy fake timers throws, naming the two ways out", () => {
  // What jest.useFakeTimers({ legacyFakeTimers: true }) leaves on the global: a mock function.
  globalThis.setTimeout = Object.assign((() => 0) as unknown as typeof setTimeout, { _isMockFunction: true });
  expect(() => createCloud({ clock: 'global' })).toThrow(EmulatorError);
  expect(() => createCloud({ clock: 'global' })).toThrow(/legacy fake timers.*jest\.useFakeTimers\(\).*clock: 'virtual'/s);
  // The cloud's own clock does not use the global timers.
  expect(() => createCloud().dispose()).not.toThrow();
});
