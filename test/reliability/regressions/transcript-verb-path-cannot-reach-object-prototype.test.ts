// Regression (issue 16, item 2): a cloud verb's dotted name was walked with plain property
// access, so `"net.__proto__.__proto__.__defineSetter__"` reached Object.prototype: the
// transcript validated, replayed, and afterwards an assignment to that name on every object of
// the process was swallowed. Verbs are now looked up in the list of verbs, never walked.
import { afterEach, describe, expect, it } from 'vitest';
import { checkTranscript, replay, validateTranscript } from 'agora-signaling-emulator';

// As from a file: JSON text, parsed.
const text = JSON.stringify({
  version: 1,
  steps: [{ cloud: 'net.__proto__.__proto__.__defineSetter__', args: ['polluted', { $cb: true }] }],
  expect: { match: 'exact', log: [] },
});

afterEach(() => {
  // Should the test ever fail, do not leave the process polluted for the other tests.
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe('a cloud verb named by a path through prototypes', () => {
  it('is not a verb: validation names it and lists the verbs there are', () => {
    const issues = validateTranscript(JSON.parse(text));
    expect(issues).toEqual([{ path: 'steps[0].cloud', message: expect.stringMatching(/^"net\.__proto__\.__proto__\.__defineSetter__" is not a verb of this cloud \(this version has: createApp, kick, .*net\.disconnect/) }]);
    expect(() => checkTranscript(JSON.parse(text), 'evil.json')).toThrow(/evil\.json: steps\[0\]\.cloud: "net\.__proto__/);
  });

  it('replays nothing, and every object still takes assignments to that name', async () => {
    await expect(replay(JSON.parse(text), { file: 'evil.json' })).rejects.toThrow(/TranscriptError|not a verb/);
    const probe: Record<string, unknown> = {};
    probe.polluted = 1;
    expect(probe.polluted).toBe(1);
    expect(Object.getOwnPropertyDescriptor(Object.prototype, 'polluted')).toBeUndefined();
  });

  it('other names that reach for the prototype chain are not verbs either', () => {
    for (const name of ['constructor', 'net.constructor', '__proto__', 'toString', 'hasOwnProperty', 'net.inspect', 'net.rule', 'log.clear', 'time.dispose', 'server.kick', 'Signal', 'install', 'listen']) {
      const t = { version: 1, steps: [{ cloud: name, args: [] }], expect: { match: 'exact', log: [] } };
      expect(validateTranscript(t), name).toEqual([{ path: 'steps[0].cloud', message: expect.stringMatching(/is not a verb/) }]);
    }
  });
});
