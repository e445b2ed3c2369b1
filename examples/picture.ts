/**
 * `npx tsx examples/picture.ts`: draws the example scenario as a sequence diagram, into
 * `docs/two-users.svg` (shown in the README) and `artifacts/two-users.html` (open it in a
 * browser), and prints its Mermaid text.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { twoUsers } from './two-users.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const cloud = await twoUsers();
mkdirSync(`${root}docs`, { recursive: true });
mkdirSync(`${root}artifacts`, { recursive: true });
writeFileSync(`${root}docs/two-users.svg`, `${cloud.log.toSvg()}\n`);
writeFileSync(`${root}artifacts/two-users.html`, cloud.log.toHtml({ title: 'Two users chat, then a second login kicks the first' }));
console.log(cloud.log.toMermaid());
console.log('\nwrote docs/two-users.svg and artifacts/two-users.html');
cloud.dispose();
