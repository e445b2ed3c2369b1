import { describe, expect, it, vi } from 'vitest';
import type { Cloud, Session } from 'agora-signaling-emulator';
import { loggedIn } from './helpers.js';

async function joinAll(cloud: Cloud, sessions: Session[], name: string): Promise<void> {
  const channels = sessions.map((s) => s.channelJoin(name)!);
  await cloud.until(() => channels.every((c) => c.state === 'joined'), { what: `everyone in ${name}` });
}

function ask(session: Session, func: string, args: Record<string, unknown>): Promise<[string, unknown]> {
  return new Promise((resolve) => session.invoke(`io.agora.signal.${func}`, args, (err: string, resp: unknown) => resolve([err, resp])));
}

describe('channel invoke functions', () => {
  it('channel_query_num answers num, the members now', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob', 'carol']);
    await joinAll(cloud, [sessions.alice!, sessions.bob!], 'room');
    expect(await ask(sessions.carol!, 'channel_query_num', { name: 'room' })).toEqual(['', { result: 'ok', num: 2 }]);
    expect(await ask(sessions.carol!, 'channel_query_num', { name: 'nowhere' })).toEqual(['', { result: 'ok', num: 0 }]);
  });

  it('channel_query_user_isin answers isin 1 or 0', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob']);
    await joinAll(cloud, [sessions.alice!], 'room');
    expect(await ask(sessions.bob!, 'channel_query_user_isin', { name: 'room', account: 'alice' })).toEqual(['', { result: 'ok', isin: 1 }]);
    expect(await ask(sessions.bob!, 'channel_query_user_isin', { name: 'room', account: 'bob' })).toEqual(['', { result: 'ok', isin: 0 }]);
    expect((await ask(sessions.bob!, 'channel_query_user_isin', { name: 'room' }))[0]).toBe('invalid arguments');
  });

  it('channel_query_userlist answers num and the latest 200 as [[account, uid], …]', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob', 'carol']);
    cloud.setChannelLimits({ userListSize: 2 });
    await joinAll(cloud, [sessions.alice!, sessions.bob!, sessions.carol!], 'room');
    expect(await ask(sessions.alice!, 'channel_query_userlist', { name: 'room' })).toEqual([
      '',
      {
        result: 'ok',
        num: 3,
        list: [
          ['bob', 2],
          ['carol', 3],
        ],
      },
    ]);
  });

  it('channel_query_userlist_all answers num and the latest num users (all by default)', async () => {
    const { cloud, sessions } = await loggedIn(['alice', 'bob', 'carol']);
    cloud.setChannelLimits({ userListSize: 1 });
    await joinAll(cloud, [sessions.alice!, sessions.bob!, sessions.carol!], 'room');
    const [, all] = await ask(sessions.alice!, 'channel_query_userlist_all', { name: 'room' });
    expect(all).toEqual({ result: 'ok', num: 3, list: [['alice', 1], ['bob', 2], ['carol', 3]] });
    const [, two] = await ask(sessions.alice!, 'channel_query_userlist_all', { name: 'room', num: 2 });
    expect(two).toMatchObject({ num: 3, list: [['bob', 2], ['carol', 3]] });
    expect(await ask(sessions.alice!, 'channel_query_userlist_all', { name: 'nowhere' })).toEqual(['', { result: 'ok', num: 0, list: [] }]);
  });

  it('a bad channel name fails with a reason', async () => {
    const { cloud, sessions } = await loggedIn(['alice']);
    const cb = vi.fn();
    sessions.alice!.invoke('io.agora.signal.channel_query_num', { name: 'x'.repeat(129) }, cb);
    await cloud.flush();
    expect(cb.mock.calls[0]![0]).toBe('invalid channel name');
  });
});
