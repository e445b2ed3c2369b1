import { replay, type Step, type Transcript } from 'agora-signaling-emulator';
import { clockNow, secondsSince, type Benchmark } from './harness.js';

const CLIENTS = 10;

/**
 * A generated transcript of `size` steps: ten clients log in and join a channel, then send
 * peer messages to each other (and now and then a channel message), with 100 ms of virtual
 * time every ten steps. Its expected log is the exact log of a first replay, as `record`
 * would have written it.
 */
export async function generateTranscript(size: number): Promise<Transcript> {
  const steps: Step[] = [];
  for (let c = 0; c < CLIENTS; c++) steps.push({ client: `c${c}`, call: 'login' });
  steps.push({ advance: 100 });
  for (let c = 0; c < CLIENTS; c++) steps.push({ client: `c${c}`, call: 'channelJoin', args: ['room'] });
  steps.push({ advance: 100 });
  for (let i = 0; steps.length < size; i++) {
    const from = `c${i % CLIENTS}`;
    if (i % 10 === 9) steps.push({ advance: 100 });
    else if (i % 10 === 4) steps.push({ client: from, object: 'channel:room', call: 'messageChannelSend', args: [`to all ${i}`] });
    else steps.push({ client: from, call: 'messageInstantSend', args: [`c${(i * 7 + 3) % CLIENTS}`, `message ${i}`] });
  }
  const draft: Transcript = { version: 1, name: `a generated run of ${size} steps`, steps, expect: { match: 'subsequence', log: [] } };
  const first = await replay(draft);
  if (!first.pass) throw new Error(`the generated transcript does not replay: ${first.failure?.message ?? 'log differs'}`);
  return { ...draft, expect: { match: 'exact', log: first.entries } };
}

/** 6. Replaying a generated 100 000-step transcript (validation, run, exact log comparison). */
export const replayTranscript: Benchmark = {
  name: '6. replay a 100 000-step transcript',
  unit: 's',
  target: '≤ 0.5 s',
  meets: (s) => s <= 0.5,
  runs: 3,
  async run(scale) {
    const transcript = await generateTranscript(Math.max(40, Math.round(100_000 * scale)));
    const start = clockNow();
    const result = await replay(transcript);
    const seconds = secondsSince(start);
    if (!result.pass) throw new Error('the generated transcript no longer matches its own log');
    return { value: seconds, note: `${transcript.steps.length} steps, ${result.log.length} log entries` };
  },
};
