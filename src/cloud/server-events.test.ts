import { describe, expect, it } from 'vitest';
import { createCloud } from '../create-cloud.js';
import type { ServerSession } from './state.js';

// The server runs the handlers of its own events itself (not through mitt's emit, which
// copies the handler list at each event): what mitt's order gives must stay.
describe('server events', () => {
  it('run their handlers in the order they were added; one added by a handler waits for the next event', async () => {
    const cloud = createCloud();
    const seen: string[] = [];
    const events = cloud.server.events;
    events.on('session:start', (s: ServerSession) => {
      seen.push(`first ${s.account.account}`);
      if (s.account.account === 'alice') events.on('session:start', (t: ServerSession) => seen.push(`added ${t.account.account}`));
    });
    events.on('session:start', (s: ServerSession) => seen.push(`second ${s.account.account}`));
    events.on('*', (type, e) => seen.push(`any ${String(type)} ${(e as ServerSession).account.account}`));
    const signal = cloud.Signal('app');
    signal.login('alice', '_no_need_token');
    await cloud.flush();
    signal.login('bob', '_no_need_token');
    await cloud.flush();
    expect(seen).toEqual([
      'first alice',
      'second alice',
      'any session:start alice',
      'first bob',
      'second bob',
      'added bob',
      'any session:start bob',
    ]);
  });
});
