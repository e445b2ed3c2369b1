/**
 * `npm start`: replays the bundled fixture transcripts (fixtures/) on the in-process cloud,
 * then runs the example scenarios written in code; prints each one's timeline under a header,
 * then a summary. (`npx agora-signaling-emulator replay fixtures` replays the fixtures alone.)
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayTranscripts } from '../src/cli/run-cli.js';
import { findTranscripts } from '../src/transcript/files.js';
import { call } from './call.js';
import { classroom } from './classroom.js';
import { faultExploration } from './fault-exploration.js';
import { flakyNetwork } from './flaky-network.js';
import { twoUsers } from './two-users.js';

const fixtures = relative(process.cwd(), fileURLToPath(new URL('../fixtures', import.meta.url))) || '.';
const counts = await replayTranscripts(findTranscripts([fixtures]));
let { passed, failed } = counts;
failed += counts.invalid;

const scenarios = [
  { name: 'two users chat, then a second login kicks the first', run: twoUsers },
  { name: 'a classroom channel: attributes, a live member count, a student who drops and re-joins', run: classroom },
  { name: 'a call accepted and ended, a scripted phone, an offline callee', run: call },
  { name: "bob's network drops and comes back; a lost message is recovered", run: flakyNetwork },
];
for (const { name, run } of scenarios) {
  try {
    const cloud = await run();
    console.log(`\n── examples: ${name}`);
    console.log(cloud.timeline());
    console.log(`PASS  example  (${cloud.log.entries.length} entries, ${((cloud.now() - cloud.startTime) / 1000).toFixed(3)} s virtual)`);
    cloud.dispose();
    passed++;
  } catch (error) {
    failed++;
    console.log(`\n── examples: ${name}\nFAIL  ${String(error)}`);
  }
}

// Fault exploration: it must find the huddle app's reconnect bug, and the fixed app must pass.
{
  const { buggy, fixed } = await faultExploration();
  console.log('\n── examples: fault exploration finds the huddle app\'s reconnect bug (examples/huddle-app.ts)');
  console.log(buggy.message);
  console.log('\n── examples: the fixed huddle app passes the same exploration');
  console.log(fixed.message);
  const ok = !buggy.ok && fixed.ok && buggy.failure?.replay?.reproduces === true;
  console.log(ok ? 'PASS  example  (found, shrunk, its transcript replays; the fixed app passes)' : 'FAIL  example  (the exploration did not find the bug, or the fixed app failed)');
  if (ok) passed++;
  else failed++;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
