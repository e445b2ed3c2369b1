import type { LogEntry } from './entry.js';
import { truncate } from './format.js';
import { readPictureOptions, sequenceOf, type SequenceOptions, type Step } from './picture-model.js';

export type SvgOptions = SequenceOptions;

/** Monospace at 12 px: about 0.6 em per character in every common monospace font. */
const FONT_SIZE = 12;
const CHAR = 7.2;
const ROW = 26;
const GUTTER = 84;
const BOX_H = 28;
const PAD = 16;
const MIN_GAP = 170;
const MAX_GAP = 420;
const FONT = `ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace`;

const STYLE = `
  .participant rect { fill: #f6f8fa; stroke: #57606a; }
  .participant.cloud rect { fill: #ddf4ff; stroke: #0969da; }
  .participant text { font-weight: 600; fill: #1f2328; }
  .lifeline { stroke: #8c959f; stroke-dasharray: 2 3; }
  .time { fill: #57606a; }
  .step text { fill: #1f2328; }
  .call line { stroke: #0969da; }
  .callback line { stroke: #1a7f37; stroke-dasharray: 6 3; }
  .note rect { fill: #fff8c5; stroke: #d4a72c; }
  .fault rect { fill: #ffebe9; stroke: #cf222e; }
  .fault text { fill: #a40e26; }
  .threw text { fill: #cf222e; font-weight: 600; }
  .unhandled text { fill: #6e7781; font-style: italic; }
  .omitted text { fill: #57606a; font-style: italic; }
  .step text.time { fill: #57606a; font-style: normal; font-weight: 400; }
`;

/**
 * The entries as a standalone SVG sequence diagram (see {@link toMermaid} for what is drawn).
 * Self-contained: no scripts, no fonts or images to fetch. Every step is a
 * `<g class="step KIND" data-seq data-from data-to>` with the untruncated text in its `<title>`
 * (a tooltip in browsers), so the picture can also be checked by a program.
 *
 * @example
 * writeFileSync('docs/kick.svg', toSvg(cloud.log.entries, { epoch: cloud.startTime }));
 */
export function toSvg(entries: readonly LogEntry[], options: SvgOptions = {}): string {
  const { participants, steps, omitted } = sequenceOf(entries, readPictureOptions<SvgOptions>(options, {}, 'Failed to draw the SVG'));
  let widest = 0;
  for (const s of steps) if (s.shape === 'arrow' && Math.abs(s.to - s.from) === 1) widest = Math.max(widest, stepText(s).length);
  const gap = Math.round(Math.min(MAX_GAP, Math.max(MIN_GAP, widest * CHAR + 40)));
  const x = (i: number) => GUTTER + gap / 2 + i * gap;
  const top = PAD;
  const firstRow = top + BOX_H + 28;
  const rows = steps.length + (omitted > 0 ? 1 : 0);
  const bottom = firstRow + Math.max(0, rows - 1) * ROW + 20;
  let right = x(participants.length - 1) + gap / 2;

  const body: string[] = [];
  steps.forEach((s, i) => {
    const y = firstRow + i * ROW;
    const showTime = i === 0 || steps[i - 1]!.time !== s.time;
    const parts = [
      `<title>${xml(`${s.time}  ${participants[s.from]!.label}${s.from !== s.to ? ` ${s.kind === 'callback' ? '←' : '→'} ${participants[s.to]!.label}` : ''}  ${s.kind}  ${stepText(s)}`)}</title>`,
    ];
    if (showTime) parts.push(`<text class="time" x="${GUTTER - 14}" y="${y + 4}" text-anchor="end">${xml(s.time)}</text>`);
    const classes = ['step', s.kind, s.shape === 'note' ? 'note' : 'arrow'];
    if (s.flags.includes('!! threw')) classes.push('threw');
    if (s.flags.includes('(not set)')) classes.push('unhandled');
    if (s.shape === 'arrow') {
      const x1 = x(s.from);
      const x2 = x(s.to);
      const room = Math.floor((Math.abs(x2 - x1) - 16) / CHAR);
      parts.push(`<line x1="${x1}" y1="${y}" x2="${x2 + (x2 > x1 ? -2 : 2)}" y2="${y}" marker-end="url(#sq-head-${s.kind})"/>`);
      parts.push(`<text x="${(x1 + x2) / 2}" y="${y - 6}" text-anchor="middle">${xml(truncate(stepText(s), room))}</text>`);
    } else {
      const single = s.from === s.to;
      const x0 = single ? x(s.from) - gap + 12 : x(s.from) - gap / 2 + 12;
      const x1 = single ? x(s.to) + gap - 12 : x(s.to) + gap / 2 - 12;
      const label = truncate(stepText(s), Math.floor((x1 - x0 - 16) / CHAR));
      const w = single ? Math.min(x1 - x0, label.length * CHAR + 16) : x1 - x0;
      const left = single ? x(s.from) - w / 2 : x0;
      right = Math.max(right, left + w);
      parts.push(`<rect x="${round(left)}" y="${y - 15}" width="${round(w)}" height="22" rx="3"/>`);
      parts.push(`<text x="${round(left + w / 2)}" y="${y}" text-anchor="middle">${xml(label)}</text>`);
    }
    body.push(
      `<g class="${classes.join(' ')}" data-seq="${s.seq}" data-kind="${s.kind}" data-from="${xml(participants[s.from]!.label)}" data-to="${xml(participants[s.to]!.label)}">${parts.join('')}</g>`,
    );
  });
  if (omitted > 0) {
    const y = firstRow + steps.length * ROW;
    const cloud = participants.find((p) => p.cloud)!;
    body.push(`<g class="omitted"><text x="${x(cloud.index)}" y="${y}" text-anchor="middle">… ${omitted} more entries not drawn</text></g>`);
  }

  const heads: string[] = [];
  for (const p of participants) {
    const cx = x(p.index);
    const label = truncate(p.label, Math.floor((gap - 24) / CHAR));
    const w = Math.max(80, label.length * CHAR + 24);
    const box = (y: number) =>
      `<rect x="${round(cx - w / 2)}" y="${y}" width="${round(w)}" height="${BOX_H}" rx="4"/><text x="${cx}" y="${y + 18}" text-anchor="middle">${xml(label)}</text>`;
    heads.push(
      `<g class="participant${p.cloud ? ' cloud' : ''}" data-participant="${xml(p.label)}"><title>${xml(p.label)}</title>` +
        `<line class="lifeline" x1="${cx}" y1="${top + BOX_H}" x2="${cx}" y2="${bottom}"/>${box(top)}${box(bottom)}</g>`,
    );
  }

  const width = Math.ceil(right + PAD);
  const height = bottom + BOX_H + PAD;
  const marker = (kind: string, color: string) =>
    `<marker id="sq-head-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="sequence" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${xml(FONT)}" font-size="${FONT_SIZE}" role="img" aria-label="Sequence diagram of ${steps.length} log entries">`,
    `<style>${STYLE}</style>`,
    `<defs>${marker('call', '#0969da')}${marker('callback', '#1a7f37')}</defs>`,
    `<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    ...heads,
    ...body,
    '</svg>',
  ].join('\n');
}

function stepText(s: Step): string {
  return s.flags ? `${s.label}  ${s.flags}` : s.label;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** Text for XML/HTML content and attributes; characters XML forbids become U+FFFD. */
export function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
