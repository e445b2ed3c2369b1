import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm test` builds before running the suite; the wire module is loaded on first listen().
const root = fileURLToPath(new URL('../..', import.meta.url));
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
const script = `const cloud = createCloud({ clock: 'global' });
const server = await cloud.listen();
console.log(/^ws:\\/\\/127\\.0\\.0\\.1:\\d+\\/$/.test(server.url));
await server.close();
cloud.dispose();`;

describe('cloud.listen() in the built package', () => {
  it('works from ESM', () => {
    expect(node(['--input-type=module', '-e', `import { createCloud } from 'agora-signaling-emulator';\n${script}`])).toBe('true');
  });

  it('works from CommonJS', () => {
    expect(node(['-e', `const { createCloud } = require('agora-signaling-emulator');\n(async () => {\n${script}\n})();`])).toBe('true');
  });
});
