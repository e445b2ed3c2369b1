// Regression: a request that reached the server after its session had ended (sent right
// behind logout(), or on the socket 1.4.0 leaves open after a refused login) was refused
// without a word in the log; when the app had closed its socket meanwhile, the refusal never
// reached it either, so a message vanished silently. Found by the fuzz (test/reliability/fuzz):
// logout(), then a peer message, at 80 ms of latency.
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('a request that reaches the server after its session ended', () => {
  it('is refused with "not logged in", and the log says so even when the reply is lost', async () => {
    const cloud = createCloud({ latency: 80 });
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    alice.onLogout = () => {};
    await cloud.until(() => alice.getStatus() === 2);
    const told: boolean[] = [];
    alice.logout();
    alice.messageInstantSend('bob', 'right behind the logout', (isError: boolean) => told.push(isError));
    await cloud.advance(1_000);
    expect(told).toEqual([]); // the app closed its socket on onLogout(101): the refusal never came back
    expect(cloud.log.filter({ client: 'alice', kind: ['server', 'fault'] }).map((e) => [e.name, ...e.args])).toEqual([
      ['session ended', 'logout'],
      ['refused', 'user_sendmsg', 'not logged in'],
      ['link closed', 'down', 'call2-ret user_sendmsg', 'lost: the client had closed the link'],
    ]);
    cloud.dispose();
  });
});
