// jest's fake timers fake queueMicrotask (vitest's can be told to): the cloud queued its due-now
// work there, so under jest.useFakeTimers() an awaited login hung until the test moved the fake
// clock. The cloud now queues that work on a promise job, which no fake timer can hold.
import { afterEach, expect, it, vi } from 'vitest';
import { createCloud } from 'agora-signaling-emulator';

afterEach(() => vi.useRealTimers());

const JEST_DEFAULTS = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date', 'queueMicrotask'] as const;

it("an awaited login completes under fake timers that fake queueMicrotask (jest's defaults), on either clock", async () => {
  for (const clock of ['virtual', 'global'] as const) {
    vi.useFakeTimers({ toFake: [...JEST_DEFAULTS] });
    const cloud = createCloud({ clock });
    const session = cloud.Signal('app').login('alice', '_no_need_token');
    const uid = await new Promise<number>((resolve) => (session.onLoginSuccess = resolve));
    expect(uid).toBe(1);
    expect(cloud.log.entries.filter((e) => e.kind !== 'server').map((e) => `${e.t - cloud.startTime} ${e.name}`)).toEqual(['0 login', '0 onLoginSuccess']);
    cloud.dispose();
    vi.useRealTimers();
  }
});
