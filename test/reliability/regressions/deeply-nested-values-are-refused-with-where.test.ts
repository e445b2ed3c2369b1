// Regression (issue 16, item 9): deep nesting. A transcript whose arguments nested 10 000 deep
// gave a bare `RangeError: Maximum call stack size exceeded`, with no file or field; and
// `user_set_attr` / `channel_set_attr` with such a value got no reply at all (the app's callback
// never fired) while the log said only `request failed RangeError`. Transcripts now hold values
// at most 64 levels deep, with an error naming the file, the step and the field; the server
// refuses a request nested deeper, and the app's callback says so.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createCloud, replay, TranscriptError, validateTranscript } from 'agora-signaling-emulator';
import { loadTranscript } from 'agora-signaling-emulator/node';

function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { v };
  return v;
}

describe('a transcript nested 10 000 deep', () => {
  const text = JSON.stringify({
    version: 1,
    steps: [
      { client: 'alice', call: 'login' },
      { advance: 10 },
      { client: 'alice', call: 'invoke', args: ['io.agora.signal.user_set_attr', { name: 'a', value: 'DEEP' }, { $cb: true }] },
    ],
    expect: { match: 'subsequence', log: [{ name: 'invoke', args: ['PATTERN'] }] },
  })
    .replace('"DEEP"', '['.repeat(10_000) + ']'.repeat(10_000))
    .replace('"PATTERN"', '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));

  it('fails to load with an error naming the file, the step and the field', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'deep-')), 'deep.json');
    writeFileSync(file, text);
    let error: unknown;
    try {
      loadTranscript(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TranscriptError);
    expect((error as TranscriptError).message).toBe(
      [
        `${file}: steps[2].args[1]: nested more than 64 levels deep; a transcript holds values up to 64 levels`,
        `${file}: expect.log[0].args[0]: nested more than 64 levels deep; a transcript holds values up to 64 levels`,
      ].join('\n'),
    );
  });

  it('is refused by replay the same way, before anything runs', async () => {
    await expect(replay(JSON.parse(text), { file: 'deep.json' })).rejects.toThrow(/^deep\.json: steps\[2\]\.args\[1\]: nested more than 64 levels deep/);
  });

  it('64 levels are fine; 65 are not', () => {
    const at = (depth: number) => ({ version: 1, steps: [{ client: 'alice', call: 'login', args: [nested(depth)] }], expect: { match: 'exact', log: [] } });
    // The value sits inside four levels already: the transcript, its steps, the step, its args.
    expect(validateTranscript(at(60))).toEqual([]);
    expect(validateTranscript(at(61)).map((i) => i.path)).toEqual(['steps[0].args[0]']);
  });
});

describe('a request nested deeper than the server takes', () => {
  it('user_set_attr: the invoke callback gets the refusal, and the log says why', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    const cb = vi.fn();
    alice.invoke('io.agora.signal.user_set_attr', { name: 'a', value: nested(1_000) }, cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledWith('invalid arguments', '');
    expect(cloud.log.first({ kind: 'server', name: 'request too deep' })?.args).toEqual(['user_set_attr', 'nested more than 64 levels']);
    expect(cloud.log.first({ kind: 'server', name: 'refused' })?.args).toEqual(['user_set_attr', 'invalid arguments']);
    cloud.dispose();
  });

  it('channel_set_attr: the callback fires (1.4.0 calls it with no arguments, also on error), and the log says why', async () => {
    const cloud = createCloud();
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    const channel = alice.channelJoin('room')!;
    await cloud.flush();
    const cb = vi.fn();
    channel.channelSetAttr('a', nested(1_000) as string, cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledTimes(1);
    expect(cloud.log.first({ kind: 'server', name: 'refused' })?.args).toEqual(['channel_set_attr', 'invalid arguments']);
    expect(cloud.channels('app')[0]!.attrs).not.toHaveProperty('a');
    cloud.dispose();
  });

  it('a request the server fails on is answered and logged, not left without a reply', async () => {
    const cloud = createCloud();
    cloud.server.handle('explode', () => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    const alice = cloud.Signal('app').login('alice', '_no_need_token');
    await cloud.flush();
    const cb = vi.fn();
    alice.invoke('io.agora.signal.explode', {}, cb);
    await cloud.flush();
    expect(cb).toHaveBeenCalledWith('internal error', '');
    expect(cloud.log.first({ kind: 'server', name: 'request failed' })?.args).toEqual(['explode', 'RangeError: Maximum call stack size exceeded']);
    cloud.dispose();
  });
});
