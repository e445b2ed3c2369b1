import { describe, expect, it } from 'vitest';
import { createCloud, DEFAULT_SEED } from 'agora-signaling-emulator';

/** Three clients chatting over a lossy, jittery network, one of them dropping out. */
async function lossyChat(seed?: number) {
  const cloud = createCloud(seed === undefined ? { latency: 20 } : { seed, latency: 20 });
  cloud.net.latency([10, 400]);
  cloud.net.loss(0.25, { kind: ['user_sendmsg', 'msg'] });
  cloud.net.duplicate(0.2, { direction: 'down' });
  const signal = cloud.Signal('app');
  const names = ['alice', 'bob', 'carol'];
  const sessions = names.map((n) => signal.login(n, '_no_need_token'));
  for (const s of sessions) s.onMessageInstantReceive = () => {};
  await cloud.until(() => sessions.every((s) => s.getStatus() === 2), { within: 10_000 });
  for (let i = 0; i < 20; i++) {
    const from = sessions[i % 3]!;
    from.messageInstantSend(names[(i + 1) % 3]!, `m${i}`, () => {});
    await cloud.advance(50);
  }
  cloud.net.disconnect('carol', { for: 3_000 });
  await cloud.advance(70_000);
  return JSON.parse(JSON.stringify(cloud.log.entries)) as unknown[];
}

describe('seeds', () => {
  it('the same seed with loss and jitter gives the same log', async () => {
    const a = await lossyChat(2024);
    const b = await lossyChat(2024);
    expect(a.length).toBeGreaterThan(60);
    expect(b).toEqual(a);
  });

  it('another seed gives a different log', async () => {
    expect(await lossyChat(2025)).not.toEqual(await lossyChat(2024));
  });

  it('without a seed the default one is used, so runs still repeat', async () => {
    expect(await lossyChat()).toEqual(await lossyChat(DEFAULT_SEED));
  });
});
