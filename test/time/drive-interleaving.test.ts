// The awaited drives of a small test (until stepping from one virtual instant to the next,
// advance, flush) give the app's promise chains the same turns at the same places, to the
// step: a chain the test starts before it awaits, and chains each callback starts. The
// sequence below is what the drives gave before they shared one Drive object and one list of
// due times per cloud; it is the contract, not a snapshot to refresh.
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

async function smallTestSeen(): Promise<string[]> {
  const cloud = createCloud({ latency: 20 });
  const signal = cloud.Signal('app');
  const seen: string[] = [];
  const chain = (name: string, n: number) =>
    void (async () => {
      for (let d = 1; d <= n; d++) {
        await null;
        seen.push(`${name} ${d}`);
      }
    })();
  const users = ['alice', 'bob'].map((name) => {
    const s = signal.login(name, '_no_need_token');
    s.onLoginSuccess = () => {
      seen.push(`login ${name}`);
      chain(`after login ${name}`, 5);
    };
    return s;
  });
  chain('test before until', 7);
  await cloud.until(() => users.every((u) => u.getStatus() === 2));
  seen.push('until resolved');
  const channels = users.map((u, i) => {
    const c = u.channelJoin('room')!;
    c.onChannelJoined = () => {
      seen.push(`joined ${i}`);
      chain(`after join ${i}`, 6);
    };
    c.onMessageChannelReceive = (_a, _u, m) => {
      seen.push(`${i} got ${m}`);
      chain(`after ${m} at ${i}`, 3);
    };
    return c;
  });
  chain('test before join until', 9);
  await cloud.until(() => channels.every((c) => c.state === 'joined'));
  seen.push('joined resolved');
  channels[0]!.messageChannelSend('one');
  channels[1]!.messageChannelSend('two');
  chain('test before advance', 6);
  await cloud.advance(60);
  seen.push('advance resolved');
  await cloud.flush();
  seen.push('flush resolved');
  cloud.dispose();
  return seen;
}

describe('the awaited drives of a small test', () => {
  it("give the app's chains four turns between two tasks and resolve at the same step, drive after drive", async () => {
    const expected = [
      'test before until 1', 'test before until 2', 'test before until 3', 'test before until 4',
      'test before until 5', 'test before until 6', 'test before until 7', 'login alice', 'after login alice 1',
      'after login alice 2', 'after login alice 3', 'after login alice 4', 'login bob', 'after login alice 5',
      'after login bob 1', 'after login bob 2', 'after login bob 3', 'after login bob 4', 'after login bob 5',
      'until resolved', 'test before join until 1', 'test before join until 2', 'test before join until 3',
      'test before join until 4', 'test before join until 5', 'test before join until 6', 'test before join until 7',
      'test before join until 8', 'test before join until 9', 'joined 0', 'after join 0 1', 'after join 0 2',
      'after join 0 3', 'after join 0 4', 'joined 1', 'after join 0 5', 'after join 1 1', 'after join 0 6',
      'after join 1 2', 'after join 1 3', 'after join 1 4', 'after join 1 5', 'after join 1 6', 'joined resolved',
      'test before advance 1', 'test before advance 2', 'test before advance 3', 'test before advance 4',
      'test before advance 5', 'test before advance 6', '0 got one', 'after one at 0 1', 'after one at 0 2',
      'after one at 0 3', '1 got one', 'after one at 1 1', 'after one at 1 2', 'after one at 1 3', '0 got two',
      'after two at 0 1', 'after two at 0 2', 'after two at 0 3', '1 got two', 'after two at 1 1', 'after two at 1 2',
      'after two at 1 3', 'advance resolved', 'flush resolved',
    ];
    // Twice in a row: the second cloud's drives run on code the first one warmed.
    expect(await smallTestSeen()).toEqual(expected);
    expect(await smallTestSeen()).toEqual(expected);
  });
});
