/**
 * Writes a transcript as JSON text with a fixed key order and one step or log entry per line,
 * so that re-recording a fixture changes only the lines whose behaviour changed.
 */
import { ENTRY_FIELD_ORDER } from './entries.js';
import { inline } from './inline-json.js';
import { isPlainObject, operatorOf } from './patterns.js';
import type { Transcript } from './types.js';
import { assertTranscript, TOP_LEVEL_FIELDS } from './validate.js';

const STEP_KEY_ORDER = ['at', 'on', 'client', 'object', 'nth', 'call', 'set', 'cloud', 'handle', 'advance', 'until', 'within', 'args', 'as', 'app', 'do', 'throw', 'note'];

/**
 * The transcript as stable, diff-friendly JSON text (ends with a newline).
 *
 * @example
 * writeFileSync('fixtures/kick.json', formatTranscript(recorder.transcript()));
 */
export function formatTranscript(t: Transcript): string {
  assertTranscript(t);
  const lines: string[] = ['{'];
  const keys = TOP_LEVEL_FIELDS.filter((k) => (t as unknown as Record<string, unknown>)[k] !== undefined);
  keys.forEach((key, i) => {
    const comma = i < keys.length - 1 ? ',' : '';
    const value = (t as unknown as Record<string, unknown>)[key];
    if (key === 'steps') {
      lines.push(`  "steps": ${block(t.steps.map((s) => inline(ordered(s, STEP_KEY_ORDER))), '  ')}${comma}`);
    } else if (key === 'expect') {
      const e = t.expect;
      lines.push('  "expect": {');
      lines.push(`    "match": ${JSON.stringify(e.match)},`);
      if (e.ignore !== undefined) lines.push(`    "ignore": ${inline(e.ignore)},`);
      lines.push(`    "log": ${block(e.log.map((x) => inline(ordered(x, ENTRY_FIELD_ORDER))), '    ')}`);
      lines.push(`  }${comma}`);
    } else if (key === 'apps') {
      lines.push(`  "apps": ${block((value as unknown[]).map((a) => inline(a)), '  ')}${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${inline(value)}${comma}`);
    }
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function block(items: string[], indent: string): string {
  if (items.length === 0) return '[]';
  return `[\n${items.map((x, i) => `${indent}  ${x}${i < items.length - 1 ? ',' : ''}`).join('\n')}\n${indent}]`;
}

/** Steps and entries with their keys in the written order; nested steps (`do`) too. */
function ordered(value: unknown, order: readonly string[]): unknown {
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  const keys = [...order.filter((k) => k in value), ...Object.keys(value).filter((k) => !order.includes(k))];
  for (const k of keys) {
    let v = value[k];
    if (k === 'do' && Array.isArray(v)) v = v.map((s) => ordered(s, STEP_KEY_ORDER));
    if (k === 'until') v = ordered(v, ENTRY_FIELD_ORDER);
    if (k === 'args' && Array.isArray(v)) v = v.map(orderCb);
    out[k] = v;
  }
  return out;
}

/** `{"$cb": {"do": [...]}}` in args: its actions in step order too. */
function orderCb(v: unknown): unknown {
  const op = operatorOf(v);
  if (op && op[0] === '$cb' && isPlainObject(op[1]) && Array.isArray(op[1].do)) {
    return { $cb: { do: op[1].do.map((s) => ordered(s, STEP_KEY_ORDER)) } };
  }
  return v;
}
