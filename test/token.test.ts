import { describe, expect, it } from 'vitest';
import { createCloud, signalingToken } from 'agora-signaling-emulator';

describe('SignalingToken', () => {
  it('matches the official test vector', () => {
    expect(
      signalingToken('970CA35de60c44645bbae8a215061b33', '5CFd2fd1755d40ecb72977518be15d3b', '2882341273', 1514219634),
    ).toBe('1:970CA35de60c44645bbae8a215061b33:1514219634:82539e1f3973bcfe3f0d0c8993e6c051');
  });

  it('cloud.token() makes one that expires on the virtual clock', async () => {
    const cloud = createCloud({ apps: [{ appId: 'app', certificate: 'cert' }] });
    const token = cloud.token('app', 'alice', { expiresIn: 10 });
    const expiredTs = Number(token.split(':')[2]);
    expect(expiredTs).toBe(Math.floor(cloud.now() / 1000) + 10);
    expect(token).toBe(signalingToken('app', 'cert', 'alice', expiredTs));
  });

  it('a token is accepted by a real-algorithm check', async () => {
    const cloud = createCloud({ apps: [{ appId: 'app', certificate: 'cert' }] });
    const token = signalingToken('app', 'cert', 'alice', Math.floor(cloud.now() / 1000) + 100);
    const session = cloud.Signal('app').login('alice', token);
    await cloud.flush();
    expect(session.getStatus()).toBe(2);
  });
});
