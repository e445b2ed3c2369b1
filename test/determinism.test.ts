import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

async function scenario(seed: number) {
  const cloud = createCloud({ seed, latency: 20 });
  const signal = cloud.Signal('app');
  const alice = signal.login('alice', '_no_need_token');
  const bob = signal.login('bob', '_no_need_token');
  bob.onMessageInstantReceive = (from, _uid, msg) => {
    if (msg.startsWith('ping')) bob.messageInstantSend(from, msg.replace('ping', 'pong'));
  };
  alice.onLoginSuccess = () => {
    for (let i = 0; i < 5; i++) alice.messageInstantSend('bob', `ping ${i}`, () => {});
  };
  await cloud.advance(500);
  signal.login('bob', '_no_need_token');
  await cloud.advance(500);
  alice.messageInstantSend('carol', 'stored');
  await cloud.advance(500);
  return cloud.log.entries;
}

describe('determinism', () => {
  it('the same scenario with one seed gives a deep-equal log', async () => {
    const a = await scenario(7);
    const b = await scenario(7);
    expect(a.length).toBeGreaterThan(20);
    expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)));
  });
});
