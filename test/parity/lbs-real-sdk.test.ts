import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloud, type Cloud, type Session, type WireServer } from 'agora-signaling-emulator';
import { guardUncaught, installGlobals, loadSdk, nodeXhr, quietUrlLogs, stopRealSession } from './real-sdk.js';

let cloud: Cloud;
let server: WireServer;
let cleanup: Array<() => void> = [];
let session: Session | undefined;

afterEach(async () => {
  if (session) stopRealSession(session);
  await server.close();
  cloud.dispose();
  for (const c of cleanup.splice(0).reverse()) c();
});

async function loginThroughLbs(setup: (signal: ReturnType<ReturnType<typeof loadSdk>>) => void, route: (url: string) => string) {
  cloud = createCloud({ clock: 'global' });
  server = await cloud.listen();
  const seen: string[] = [];
  cleanup.push(installGlobals(nodeXhr(route, seen)), quietUrlLogs());
  const guard = guardUncaught();
  cleanup.push(() => guard.remove());
  const signal = loadSdk()('lbs-app');
  setup(signal);
  session = signal.login('alice', '_no_need_token');
  const uids: number[] = [];
  session.onLoginSuccess = (uid: number) => uids.push(uid);
  await vi.waitFor(() => expect(uids).toEqual([1]), { timeout: 3000, interval: 5 });
  expect(guard.errors).toEqual([]);
  return seen;
}

describe('the real SDK reaching the cloud through the LBS lookup (no ap_url)', () => {
  it("asks Agora's LBS hosts, which the XMLHttpRequest routes to GET /getaddr of the local server", async () => {
    const seen = await loginThroughLbs(
      () => {},
      (url) => url.replace(/^https:\/\/lbs-\d-sig\.agora\.io/, server.lbsUrl),
    );
    // 1.4.0 asks both LBS pairs at once and takes the first answer.
    expect(seen).toHaveLength(2);
    for (const url of seen) expect(url).toMatch(/^https:\/\/lbs-\d-sig\.agora\.io\/getaddr\?vid=lbs-app$/);
    expect(cloud.log.filter({ kind: 'server', name: 'lbs getaddr' }).map((e) => e.args)).toEqual([['lbs-app'], ['lbs-app']]);
    expect(cloud.inspect().apps.map((a) => [a.appId, a.online.map((u) => u.account)])).toEqual([['lbs-app', ['alice']]]);
    // Quirk of 1.4.0: it opens two sockets to the answer and closes the one that opens second.
    await vi.waitFor(() => expect(server.connections).toBe(1), { timeout: 3000, interval: 5 });
  });

  it('or asks the local server directly when the app sets lbs_url1 and lbs_url2', async () => {
    const seen = await loginThroughLbs(
      (signal) => {
        signal.lbs_url1 = [server.lbsUrl];
        signal.lbs_url2 = [server.lbsUrl];
      },
      (url) => url,
    );
    expect(seen).toEqual([`${server.lbsUrl}/getaddr?vid=lbs-app`, `${server.lbsUrl}/getaddr?vid=lbs-app`]);
  });
});
