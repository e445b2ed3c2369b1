/**
 * `npm start`: runs the bundled example scenarios on the in-process cloud and prints their
 * timelines and a summary.
 */
import { call } from './call.js';
import { classroom } from './classroom.js';
import { twoUsers } from './two-users.js';

const scenarios = [
  { name: 'two users chat, then a second login kicks the first', run: twoUsers },
  { name: 'a classroom channel: attributes, a live member count, a student who drops and re-joins', run: classroom },
  { name: 'a call accepted and ended, a scripted phone, an offline callee', run: call },
];

let failed = 0;
for (const { name, run } of scenarios) {
  const started = performance.now();
  try {
    const cloud = await run();
    const ms = performance.now() - started;
    console.log(`\n── ${name} (${cloud.log.entries.length} events, ${(cloud.now() - cloud.startTime) / 1000} s virtual, ${ms.toFixed(1)} ms real)\n`);
    console.log(cloud.timeline());
    cloud.dispose();
  } catch (error) {
    failed++;
    console.log(`\n── ${name}: FAILED\n${String(error)}`);
  }
}
console.log(`\n${scenarios.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
