// Regression (issue 16, item 10): a link found the request a reply answers by a linear scan of
// its outstanding requests, and spliced it out: 20 000 messages to an offline user took 2.5 s,
// 160 000 took 38–49 s. Past a few outstanding requests the link now keeps them in a Map, so
// each reply finds its request in constant time. This test holds what the link says of each
// reply, on both sides of that switch; `npm run bench` times the cost per message at 20 000 and
// 160 000 ("16.10" row), which the scan made grow with the number in flight.
import { describe, expect, it } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

describe('outstanding requests on one link', () => {
  for (const count of [3, 40]) {
    it(`with ${count} requests in flight at once, each reply names the request it answers, in order`, () => {
      const cloud = createCloud({ seed: 1 });
      const alice = cloud.Signal('app').login('alice', '_no_need_token');
      cloud.flushSync();
      // Every reply to alice is duplicated, and the log names the request of each duplicate.
      cloud.net.duplicate(1, { account: 'alice', kind: 'call2-ret' });
      const expected: string[] = [];
      for (let i = 0; i < count; i++) {
        if (i % 3 === 2) {
          alice.invoke('io.agora.signal.user_query_user_status', { account: 'bob' }, () => {});
          expected.push('call2-ret user_query_user_status');
        } else {
          alice.messageInstantSend('bob', `m${i}`, () => {});
          expected.push('call2-ret user_sendmsg');
        }
      }
      cloud.flushSync();
      const duplicates = cloud.log.filter({ kind: 'fault', name: 'duplicate' }).filter((e) => e.args[0] === 'down');
      const named = duplicates.map((e) => e.args[1]);
      expect(named).toEqual(expected);
      cloud.dispose();
    });
  }
});
