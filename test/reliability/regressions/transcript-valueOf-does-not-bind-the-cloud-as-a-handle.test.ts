// Regression (issue 16, item 3): `{"cloud": "valueOf", "as": "c"}` bound the Cloud itself as a
// handle, and handle calls were not filtered, so a transcript went on to run `install` (which
// sets globalThis.Signal) and `listen({ host: "0.0.0.0" })`. Handles now have kinds, each with
// its own list of methods; a verb that returns no handle cannot be named with `as`.
import { describe, expect, it } from 'vitest';
import { replay, validateTranscript } from 'agora-signaling-emulator';

const expectNothing = { match: 'subsequence', log: [] } as const;

describe('handles in transcripts', () => {
  it('valueOf is not a verb, and nothing can call install or listen through a handle', async () => {
    const hadSignal = Object.prototype.hasOwnProperty.call(globalThis, 'Signal');
    const t = {
      version: 1,
      steps: [
        { cloud: 'valueOf', as: 'c' },
        { handle: 'c', call: 'install' },
        { handle: 'c', call: 'listen', args: [{ host: '0.0.0.0' }] },
      ],
      expect: expectNothing,
    };
    // Every problem at once: not a verb, so no handle "c" for the two calls either.
    expect(validateTranscript(t)).toEqual([
      { path: 'steps[0].cloud', message: expect.stringMatching(/^"valueOf" is not a verb of this cloud/) },
      { path: 'steps[1].handle', message: 'no cloud step names a handle "c" (name one with "as")' },
      { path: 'steps[2].handle', message: 'no cloud step names a handle "c" (name one with "as")' },
    ]);
    await expect(replay(t)).rejects.toThrow(/steps\[0\]\.cloud: "valueOf" is not a verb/);
    expect(Object.prototype.hasOwnProperty.call(globalThis, 'Signal')).toBe(hadSignal);
  });

  it('a handle has only the methods of its kind: a hold cannot capture, a phone cannot ring', () => {
    const t = {
      version: 1,
      steps: [
        { cloud: 'net.hold', args: [], as: 'h' },
        { handle: 'h', call: 'capture', args: [{}] },
        { cloud: 'phone', args: ['+15551234'], as: 'p' },
        { handle: 'p', call: 'ring', args: [{}] },
        { handle: 'p', call: 'accept', args: ['', 'extra'] },
        { handle: 'h', call: 'release' },
      ],
      expect: expectNothing,
    };
    expect(validateTranscript(t)).toEqual([
      { path: 'steps[1].call', message: 'handle "h" is a hold, which has no method "capture" (it has: release, remove)' },
      { path: 'steps[3].call', message: 'handle "p" is a scripted phone, which has no method "ring" (it has: accept, refuse, hangUp)' },
      { path: 'steps[4].args', message: 'p.accept takes 0 to 1 arguments, got 2' },
    ]);
  });

  it('a verb that returns no handle cannot be named', () => {
    const t = { version: 1, steps: [{ cloud: 'net.disconnect', args: ['bob'], as: 'd' }], expect: expectNothing };
    expect(validateTranscript(t)).toEqual([{ path: 'steps[0].as', message: 'cloud.net.disconnect returns no handle to name: remove "as"' }]);
  });

  it('the methods a handle has do what they say in a replay', async () => {
    const t = {
      version: 1,
      steps: [
        { client: 'alice', call: 'login' },
        { client: 'bob', call: 'login' },
        { advance: 10 },
        { cloud: 'net.hold', args: [{ account: 'bob', direction: 'down' }], as: 'h' },
        { client: 'alice', call: 'messageInstantSend', args: ['bob', 'held'] },
        { advance: 100 },
        { handle: 'h', call: 'release' },
        { advance: 10 },
      ],
      expect: {
        match: 'subsequence',
        log: [
          { kind: 'fault', name: 'hold', args: ['down', { $any: true }, 'held'] },
          { kind: 'fault', name: 'hold', args: ['down', { $any: true }, 'released'] },
          { client: 'bob', name: 'onMessageInstantReceive', args: ['alice', { $any: true }, 'held'] },
        ],
      },
    };
    const result = await replay(t);
    expect(result.pass, result.failure?.message ?? JSON.stringify(result.diff?.expected)).toBe(true);
  });
});
