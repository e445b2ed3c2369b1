import { writeFileSync } from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';
import 'agora-signaling-emulator/vitest';
import { chat, chatOnFakeTimers, timelineFile } from '../scenario.js';

afterEach(() => vi.useRealTimers());

it('alice and bob chat and call (vitest)', async () => {
  const { cloud, alice, bob } = await chat();
  expect(bob.inbox).toEqual(['alice: hi bob']);
  expect(alice.calls).toEqual(['bob']);
  expect(cloud).toHaveReceived('bob', 'onMessageInstantReceive', ['alice', 0, 'hi bob']);
  expect(cloud).toHaveReceivedInOrder('bob', ['onLoginSuccess', 'onMessageInstantReceive', 'onInviteAcceptedByPeer']);
  cloud.dispose();
});

it("vi.useFakeTimers() drives a cloud on clock: 'global'", async () => {
  vi.useFakeTimers({ now: Date.UTC(2024, 0, 1) });
  const cloud = await chatOnFakeTimers((ms) => vi.advanceTimersByTimeAsync(ms));
  expect(cloud).toHaveReceivedTimes('bob', 'onMessageInstantReceive', 1);
  const file = timelineFile('vitest');
  if (file) writeFileSync(file, cloud.timeline());
  cloud.dispose();
});
