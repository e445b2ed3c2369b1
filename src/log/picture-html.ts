import type { LogEntry } from './entry.js';
import { formatOffset } from './format.js';
import { readPictureOptions } from './picture-model.js';
import { toSvg, xml, type SvgOptions } from './picture-svg.js';
import { formatTimeline } from './timeline.js';

export interface HtmlOptions extends SvgOptions {
  /** The page's title and heading (default "Signaling sequence"). */
  title?: string;
  /** Add the text timeline below the picture, folded (default true). */
  timeline?: boolean;
}

const PAGE_STYLE = `
  body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 24px; color: #1f2328; background: #ffffff; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  .meta { color: #57606a; margin: 0 0 12px; }
  .legend { display: flex; gap: 18px; flex-wrap: wrap; margin: 0 0 16px; font-size: 13px; }
  .legend span::before { content: ''; display: inline-block; width: 22px; height: 0; margin-right: 6px; vertical-align: middle; border-top: 2px solid; }
  .legend .call::before { border-color: #0969da; }
  .legend .callback::before { border-color: #1a7f37; border-top-style: dashed; }
  .legend .server::before { border: 1px solid #d4a72c; background: #fff8c5; height: 10px; }
  .legend .fault::before { border: 1px solid #cf222e; background: #ffebe9; height: 10px; }
  .diagram { overflow-x: auto; }
  pre { font-size: 12px; background: #f6f8fa; padding: 12px; overflow-x: auto; }
`;

/**
 * A self-contained HTML page with the sequence diagram of the entries as inline SVG, a legend,
 * and the text timeline: it opens in any browser with no network (no scripts, no fetched
 * fonts or styles). All text is escaped.
 *
 * @example
 * mkdirSync('artifacts', { recursive: true });
 * writeFileSync('artifacts/kick.html', toHtml(cloud.log.entries, { title: 'a second login kicks the first', epoch: cloud.startTime }));
 * // or: cloud.log.toHtml({ title: '…' })
 */
export function toHtml(entries: readonly LogEntry[], given: HtmlOptions = {}): string {
  const options = readPictureOptions<HtmlOptions>(given, { title: 'string', timeline: 'boolean' }, 'Failed to draw the HTML page');
  const title = options.title ?? 'Signaling sequence';
  const epoch = options.epoch ?? entries[0]?.t ?? 0;
  const last = entries[entries.length - 1];
  const span = last ? `${formatOffset(entries[0]!.t - epoch)} to ${formatOffset(last.t - epoch)} of virtual time` : 'no entries';
  const clients = new Set(entries.filter((e) => e.client).map((e) => e.client)).size;
  const timeline = options.timeline ?? true;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${xml(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${xml(title)}</h1>`,
    `<p class="meta">${entries.length} log entries, ${clients} ${clients === 1 ? 'client' : 'clients'}, ${xml(span)}. Hover a step for its full text.</p>`,
    '<p class="legend"><span class="call">SDK call</span><span class="callback">callback</span><span class="server">server decision</span><span class="fault">fault</span></p>',
    `<div class="diagram">\n${toSvg(entries, { epoch, ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}) })}\n</div>`,
    ...(timeline ? [`<details><summary>Timeline</summary><pre>${xml(formatTimeline(entries, { epoch }))}</pre></details>`] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
