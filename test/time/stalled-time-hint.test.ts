// Issue 17, item 1: a test that awaits while virtual time is stopped hung silently ("Test timed
// out in 5000ms"). Now, when work is pending ahead and nothing moves time for about a second of
// real time, the cloud says so on the console, once: the next pending task, its virtual time,
// and the three ways out. A diagnostic on a real unref'd timer: the log is the same with it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCloud, EmulatorError, type CloudOptions } from 'agora-signaling-emulator';

const realSleep = (ms: number) => new Promise<'stalled'>((resolve) => setTimeout(() => resolve('stalled'), ms));

/** The README's newcomer pattern with realistic latency: await the callback, nothing moving time. */
async function awaitLoginWithoutMovingTime(options: CloudOptions, wait: number): Promise<string> {
  const cloud = createCloud({ latency: 20, ...options });
  const alice = cloud.Signal('app').login('alice', '_no_need_token');
  const loggedIn = new Promise<'logged in'>((resolve) => (alice.onLoginSuccess = () => resolve('logged in')));
  expect(await Promise.race([loggedIn, realSleep(wait)])).toBe('stalled');
  await cloud.until(() => alice.getStatus() === 2); // one of the ways out
  await cloud.advance(5_000);
  const timeline = cloud.timeline();
  cloud.dispose();
  return timeline;
}

describe('stalled virtual time', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is told within about a second, naming the next task, its time and the three ways out; the log is the same without the hint', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const withHint = await awaitLoginWithoutMovingTime({}, 1_400);
    expect(warn).toHaveBeenCalledTimes(1);
    const hint = String(warn.mock.calls[0]![0]);
    expect(hint).toMatch(/^agora-signaling-emulator: virtual time has stood still at \+0\.000s for 1 s of real time while work is pending: next "alice → connect" at \+0\.040s\./);
    expect(hint).toContain('await cloud.advance(40)');
    expect(hint).toContain('await cloud.until(() => …)');
    expect(hint).toContain('createCloud({ autoAdvance: true })');
    expect(hint).toContain('createCloud({ stallHint: false }) turns this off');

    warn.mockClear();
    const withoutHint = await awaitLoginWithoutMovingTime({ stallHint: false }, 1_400);
    expect(warn).not.toHaveBeenCalled();
    expect(withHint).toEqual(withoutHint);
  });

  it('is not told while the test moves time, nor after the cloud is disposed, nor with autoAdvance', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const moving = createCloud({ latency: 20, stallHint: 100 });
    const bob = moving.Signal('app').login('bob', '_no_need_token');
    for (let i = 0; i < 6; i++) {
      await moving.advance(1_000); // pings keep work pending; time moves
      await realSleep(50);
    }
    expect(bob.getStatus()).toBe(2);
    const disposed = createCloud({ latency: 20, stallHint: 100 });
    disposed.Signal('app').login('carol', '_no_need_token');
    disposed.dispose();
    const auto = createCloud({ latency: 20, autoAdvance: true, stallHint: 100 });
    const dave = auto.Signal('app').login('dave', '_no_need_token');
    await new Promise((resolve) => (dave.onLoginSuccess = resolve));
    await realSleep(300);
    expect(warn).not.toHaveBeenCalled();
    moving.dispose();
    auto.dispose();
  });

  it('takes a number of real ms, or true or false, and refuses anything else', () => {
    expect(() => createCloud({ stallHint: 'soon' as unknown as number })).toThrow(EmulatorError);
    expect(() => createCloud({ stallHint: -1 })).toThrow(/stallHint \(real ms, or true\/false\) must be a whole number of at least 1/);
    for (const stallHint of [true, false, 250]) createCloud({ stallHint }).dispose();
  });
});
