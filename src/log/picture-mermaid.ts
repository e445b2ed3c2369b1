import type { LogEntry } from './entry.js';
import { truncate } from './format.js';
import { readPictureOptions, sequenceOf, type SequenceOptions } from './picture-model.js';

export interface MermaidOptions extends SequenceOptions {
  /** Start each label with its virtual time, `+0.080s` (default false). */
  time?: boolean;
  /** Longest label before it is cut with `…` (default 80). */
  labelWidth?: number;
}

/**
 * The entries as a Mermaid `sequenceDiagram`: a lifeline per client Session and one for the
 * cloud; SDK calls are solid arrows to the cloud, callbacks dashed arrows back, server
 * decisions notes over the cloud, faults red notes across the client and the cloud. Paste it
 * into a Markdown file on GitHub, or https://mermaid.live.
 *
 * @example
 * writeFileSync('artifacts/kick.mmd', toMermaid(cloud.log.entries, { epoch: cloud.startTime }));
 * // or: cloud.log.toMermaid()
 */
export function toMermaid(entries: readonly LogEntry[], given: MermaidOptions = {}): string {
  const options = readPictureOptions<MermaidOptions>(given, { time: 'boolean', labelWidth: 'width' }, 'Failed to draw the Mermaid diagram');
  const { participants, steps, omitted } = sequenceOf(entries, options);
  const width = options.labelWidth ?? 80;
  const id = (i: number) => `p${i}`;
  const lines = ['sequenceDiagram'];
  for (const p of participants) lines.push(`    participant ${id(p.index)} as ${text(p.label)}`);
  const cloud = participants.find((p) => p.cloud)!.index;
  for (const s of steps) {
    const label = text(truncate(`${options.time ? `${s.time} ` : ''}${s.label}${s.flags ? `  ${s.flags}` : ''}`, width));
    if (s.shape === 'arrow') {
      lines.push(`    ${id(s.from)}${s.kind === 'call' ? '->>' : '-->>'}${id(s.to)}: ${label}`);
    } else {
      const over = s.from === s.to ? id(s.from) : `${id(s.from)},${id(s.to)}`;
      if (s.kind === 'fault') lines.push('    rect rgb(255, 228, 225)');
      lines.push(`    Note over ${over}: ${label}`);
      if (s.kind === 'fault') lines.push('    end');
    }
  }
  if (omitted > 0) lines.push(`    Note over ${id(cloud)}: … ${omitted} more entries not drawn`);
  return lines.join('\n');
}

/**
 * Mermaid text is one line and treats `#…;` as an entity, `;` as a statement end, and `<…>`
 * as HTML: write those as numeric entities.
 */
function text(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').replace(/[#;<>&]/g, (c) => `#${c.charCodeAt(0)};`).trim() || ' ';
}
