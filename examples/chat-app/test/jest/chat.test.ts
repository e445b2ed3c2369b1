// Jest with explicit imports from @jest/globals; the matchers are registered by
// setupFilesAfterEnv: ['agora-signaling-emulator/jest'] (jest.config.cjs).
import { writeFileSync } from 'node:fs';
import { afterEach, expect, it, jest } from '@jest/globals';
import { createCloud } from 'agora-signaling-emulator';
import { ChatClient } from '../../src/chat.js';
import { chat, chatOnFakeTimers, timelineFile } from '../scenario.js';

afterEach(() => {
  jest.useRealTimers();
});

it('alice and bob chat and call (jest)', async () => {
  const { cloud, alice, bob } = await chat();
  expect(bob.inbox).toEqual(['alice: hi bob']);
  expect(alice.calls).toEqual(['bob']);
  expect(cloud).toHaveReceived('bob', 'onMessageInstantReceive', ['alice', 0, 'hi bob']);
  expect(cloud).toHaveReceivedInOrder('bob', ['onLoginSuccess', 'onMessageInstantReceive', 'onInviteAcceptedByPeer']);
  cloud.dispose();
});

it("jest.useFakeTimers() drives a cloud on clock: 'global' as vitest's fake timers do", async () => {
  jest.useFakeTimers({ now: Date.UTC(2024, 0, 1) });
  const cloud = await chatOnFakeTimers((ms) => jest.advanceTimersByTimeAsync(ms));
  expect(cloud).toHaveReceivedTimes('bob', 'onMessageInstantReceive', 1);
  const file = timelineFile(typeof require === 'function' ? 'jest-cjs' : 'jest-esm');
  if (file) writeFileSync(file, cloud.timeline());
  cloud.dispose();
});

it('an awaited login completes under jest.useFakeTimers() with nothing moving time (latency 0)', async () => {
  jest.useFakeTimers();
  const cloud = createCloud({ clock: 'global' });
  await new ChatClient(cloud.Signal, 'my-app').login('alice');
  expect(cloud).toHaveReceived('alice', 'onLoginSuccess');
  cloud.dispose();
});

it("refuses clock: 'global' under jest's legacy fake timers, which expose no clock, and says what to use", () => {
  jest.useFakeTimers({ legacyFakeTimers: true });
  expect(() => createCloud({ clock: 'global' })).toThrow(/legacy fake timers.*jest\.useFakeTimers\(\).*clock: 'virtual'/s);
});
