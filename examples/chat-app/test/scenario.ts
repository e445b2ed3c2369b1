// The scenarios the Vitest and the Jest tests share: the same app, the same cloud, the same log.
import { createCloud, type Cloud } from 'agora-signaling-emulator';
import { ChatClient } from '../src/chat.js';

/** Alice and Bob log in, chat and call, over links of 20 ms; time moves by itself (autoAdvance). */
export async function chat(): Promise<{ cloud: Cloud; alice: ChatClient; bob: ChatClient }> {
  const cloud = createCloud({ seed: 1, latency: 20, autoAdvance: true });
  // The app's own SDK types accept the emulator's factory as it is: no cast.
  const alice = new ChatClient(cloud.Signal, 'my-app');
  const bob = new ChatClient(cloud.Signal, 'my-app');
  await Promise.all([alice.login('alice'), bob.login('bob')]);
  await alice.send('bob', 'hi bob');
  await bob.call('alice', 'room-1');
  return { cloud, alice, bob };
}

/**
 * The same login and message on `clock: 'global'`, time moved by the runner's fake timers
 * (`advance` is `vi.advanceTimersByTimeAsync` or `jest.advanceTimersByTimeAsync`).
 */
export async function chatOnFakeTimers(advance: (ms: number) => Promise<unknown>): Promise<Cloud> {
  const cloud = createCloud({ clock: 'global', latency: 20 });
  const alice = new ChatClient(cloud.Signal, 'my-app');
  const bob = new ChatClient(cloud.Signal, 'my-app');
  const loggedIn = Promise.all([alice.login('alice'), bob.login('bob')]);
  await advance(100);
  await loggedIn;
  const sent = alice.send('bob', 'hi bob');
  await advance(100);
  await sent;
  return cloud;
}

/** Where a test writes its timeline for the package test to compare across runners (if asked). */
export function timelineFile(runner: string): string | undefined {
  const dir = process.env.CHAT_APP_TIMELINES;
  return dir ? `${dir}/${runner}.txt` : undefined;
}
