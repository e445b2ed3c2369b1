// Regression (issue 16, items 2 and 3, SDK side): a call step looked its method up on the
// Session by name, so `"call": "constructor"`, `"valueOf"` or `"__defineSetter__"` reached what
// every object inherits, and `"start"` an internal method. Call steps now name the 1.4.0 SDK's
// methods only (of the object's kind where its name tells it); `set` and `on` its callbacks.
import { describe, expect, it } from 'vitest';
import { validateTranscript } from 'agora-signaling-emulator';

const t = (steps: unknown[]) => ({ version: 1, steps: [{ client: 'alice', call: 'login' }, ...steps], expect: { match: 'exact', log: [] } });

describe('SDK calls in transcripts', () => {
  it('name a method of the 1.4.0 SDK, nothing an object inherits or the emulator keeps inside', () => {
    for (const call of ['constructor', 'valueOf', '__defineSetter__', 'hasOwnProperty', 'start', 'toString']) {
      expect(validateTranscript(t([{ client: 'alice', call }])), call).toEqual([
        { path: 'steps[1].call', message: expect.stringMatching(new RegExp(`^"${call}" is not a method of a Session in the 1\\.4\\.0 SDK \\(a Session has: logout, getStatus, messageInstantSend`)) },
      ]);
    }
  });

  it('name a method of the object they call, when its name says its kind', () => {
    expect(validateTranscript(t([{ client: 'alice', object: 'channel:room', call: 'channelInviteAccept' }]))).toEqual([
      { path: 'steps[1].call', message: expect.stringMatching(/^"channelInviteAccept" is not a method of a Channel in the 1\.4\.0 SDK \(a Channel has: channelLeave, /) },
    ]);
    expect(validateTranscript(t([{ client: 'alice', object: 'call:room/bob', call: 'channelInviteAccept' }]))).toEqual([]);
  });

  it('set and react to the SDK callbacks only: a misspelt one is an error, not a silent no-op', () => {
    expect(validateTranscript(t([{ client: 'alice', set: { onLoginSucess: true } }, { on: 'onMessageInstantRecieve', client: 'alice', throw: 'x' }]))).toEqual([
      { path: 'steps[1].set.onLoginSucess', message: expect.stringMatching(/^not a callback of the 1\.4\.0 SDK \(callbacks: onLoginSuccess, /) },
      { path: 'steps[2].on', message: expect.stringMatching(/^"onMessageInstantRecieve" is not a callback of the 1\.4\.0 SDK/) },
    ]);
  });
});
