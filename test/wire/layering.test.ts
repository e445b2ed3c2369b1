// wire/ is a transport of the cloud: it may use the cloud's vocabulary, the log, the network
// and time, never what sits above (the Cloud facade, the SDK, transcripts, the dashboard).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const wire = fileURLToPath(new URL('../../src/wire/', import.meta.url));
const BELOW = /^(\.\/|\.\.\/(cloud|log|net|time)\/|\.\.\/errors\.js$|node:|ws$)/;

describe('src/wire', () => {
  it('imports nothing above the cloud', () => {
    const files = readdirSync(wire).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(3);
    const above = files.flatMap((file) =>
      [...readFileSync(`${wire}${file}`, 'utf8').matchAll(/^(?:import|export)[^;]*?from '([^']+)'/gms)].map((m) => m[1]!).filter((path) => !BELOW.test(path)).map((path) => `${file}: ${path}`),
    );
    expect(above).toEqual([]);
  });
});
