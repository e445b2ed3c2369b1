import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatReplayFailure } from 'agora-signaling-emulator';
import { replayFile } from 'agora-signaling-emulator/node';

// One test per fixture transcript, generated from the folder: adding a file adds a test.
const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('fixture transcripts', () => {
  it('there are at least 25 of them', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  it('the table in docs/transcripts.md lists every one, in file order, with its name', () => {
    const page = readFileSync(fileURLToPath(new URL('../docs/transcripts.md', import.meta.url)), 'utf8');
    const section = page.slice(page.indexOf('## The bundled fixtures'));
    const rows = section.slice(section.indexOf('| file | shows |')).split('\n\n')[0]!.split('\n').slice(2);
    const expected = files.map((f) => {
      const { name } = JSON.parse(readFileSync(`${dir}${f}`, 'utf8')) as { name: string };
      return `| \`${f.slice(0, -'.json'.length)}\` | ${name} |`;
    });
    expect(rows).toEqual(expected);
  });

  for (const file of files) {
    it(`${file} replays with the log it expects`, async () => {
      const result = await replayFile(`${dir}${file}`);
      expect(result.pass, formatReplayFailure(result, file)).toBe(true);
      expect(result.log.length).toBeGreaterThan(0);
    });
  }
});
