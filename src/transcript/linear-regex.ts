/**
 * The matcher behind a transcript's `{"$match": "…"}`: the common part of JavaScript's regular
 * expressions, run in time linear in the string. A transcript is data and may come from anywhere;
 * with JavaScript's backtracking engine one pattern such as `(a+)+$` takes longer than the age of
 * the universe on forty characters, so replay could hang in real time however short the virtual
 * time it spans. Here a pattern is compiled to a Thompson automaton of at most
 * {@link MAX_STATES} states and the string is read once, keeping the set of states it can be in:
 * at most `MAX_STATES × (length + 1)` steps, whatever the pattern.
 *
 * What it takes: literals; `.`; classes `[…]`, `[^…]` with ranges; the escapes `\d \D \w \W \s
 * \S \b \B \t \n \v \f \r \0 \xHH \uHHHH \cX` and `\` before any punctuation; `^` and `$` (of the
 * whole string: there are no flags); groups `(…)`, `(?:…)`, `(?<name>…)`; `|`; and the
 * quantifiers `* + ? {n} {n,} {n,m}` (counts up to {@link MAX_COUNT}), greedy or lazy. What it
 * refuses, with the reason: backreferences and lookaround (they need backtracking), other
 * escapes of letters and digits, and a lone `{`, `}` or `]` (JavaScript reads them as literals or
 * as quantifiers depending on what follows; write `\{`, `\}`, `\]`). On everything it takes, it
 * answers as `new RegExp(source).test(text)` does: a property test checks that on generated
 * patterns and strings.
 */

/** Most automaton states a pattern may compile to. */
export const MAX_STATES = 4096;
/** Largest count in `{n}`, `{n,}`, `{n,m}`. */
export const MAX_COUNT = 100;
/** Longest pattern, in characters. */
export const MAX_PATTERN_LENGTH = 1024;

/** A pattern the linear matcher does not take: `message` says what and how to write it. */
export class PatternError extends Error {
  override name = 'PatternError';
}

type CharTest = (c: number) => boolean;
type Node =
  | { kind: 'char'; test: CharTest }
  | { kind: 'assert'; what: '^' | '$' | 'b' | 'B' }
  | { kind: 'group'; alt: Node[][] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

const isDigit: CharTest = (c) => c >= 48 && c <= 57;
const isWord: CharTest = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** What `\s` matches besides U+2000…U+200A. */
const SPACES = '\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff';
const isSpace: CharTest = (c) => SPACES.includes(String.fromCharCode(c)) || (c >= 0x2000 && c <= 0x200a);
const isLineEnd = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const not = (t: CharTest): CharTest => (c) => !t(c);
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = Object.freeze({ t: 9, n: 10, v: 11, f: 12, r: 13 });
const CLASS_ESCAPES: Readonly<Record<string, CharTest>> = Object.freeze({ d: isDigit, D: not(isDigit), w: isWord, W: not(isWord), s: isSpace, S: not(isSpace) });

/** Reads a pattern into a tree (recursive descent over the grammar above). */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node[][] {
    const alt = this.alternation();
    if (this.i < this.src.length) this.fail(`an unmatched ")"`);
    return alt;
  }

  private fail(what: string, hint = ''): never {
    throw new PatternError(`${what} at character ${this.i + 1}${hint ? `: ${hint}` : ''}`);
  }

  private peek(offset = 0): string {
    return this.src[this.i + offset] ?? '';
  }

  private alternation(): Node[][] {
    const alt: Node[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      alt.push(this.sequence());
    }
    return alt;
  }

  private sequence(): Node[] {
    const seq: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      seq.push(this.quantified(atom));
    }
    return seq;
  }

  private quantified(node: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) this.fail('a "{" that is not a count', 'write \\{ for the character');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) this.fail('a count out of order');
      if (min > MAX_COUNT || (max !== Infinity && max > MAX_COUNT)) this.fail(`a count above ${MAX_COUNT}`, 'use * or + for long runs');
      this.i += m[0].length - 1;
    } else return node;
    this.i++;
    if (this.peek() === '?') this.i++; // lazy: the same answer to "is there a match"
    if (node.kind === 'assert') this.fail('a quantifier after an assertion');
    return { kind: 'repeat', node, min, max };
  }

  private atom(): Node {
    const c = this.peek();
    this.i++;
    switch (c) {
      case '^':
        return { kind: 'assert', what: '^' };
      case '$':
        return { kind: 'assert', what: '$' };
      case '.':
        return { kind: 'char', test: (x) => !isLineEnd(x) };
      case '(':
        return this.group();
      case '[':
        return { kind: 'char', test: this.charClass() };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        this.i--;
        return this.fail('a quantifier with nothing to repeat');
      case '{':
      case '}':
      case ']':
        this.i--;
        return this.fail(`a lone "${c}"`, `write \\${c} for the character`);
      default: {
        const code = c.charCodeAt(0);
        return { kind: 'char', test: (x) => x === code };
      }
    }
  }

  private group(): Node {
    if (this.peek() === '?') {
      const rest = this.src.slice(this.i, this.i + 3);
      if (rest.startsWith('?:')) this.i += 2;
      else if (rest === '?<=' || rest === '?<!' || rest.startsWith('?=') || rest.startsWith('?!')) {
        this.fail('lookaround', 'it needs backtracking; match the text itself instead');
      } else if (rest.startsWith('?<')) {
        const end = this.src.indexOf('>', this.i);
        if (end < 0) this.fail('an unfinished group name');
        this.i = end + 1;
      } else this.fail('an unknown group kind');
    }
    const alt = this.alternation();
    if (this.peek() !== ')') this.fail('an unclosed "("');
    this.i++;
    return { kind: 'group', alt };
  }

  /** After `[`: the class's test. */
  private charClass(): CharTest {
    const negate = this.peek() === '^';
    if (negate) this.i++;
    const parts: CharTest[] = [];
    // `[]` matches nothing and `[^]` anything, as in JavaScript.
    while (this.peek() !== ']') {
      if (this.i >= this.src.length) this.fail('an unclosed "["');
      const from = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.i++;
        const to = this.classAtom();
        if (typeof from !== 'number' || typeof to !== 'number') this.fail('a range between classes', 'write \\- for the character');
        if (from > to) this.fail('a range out of order');
        parts.push((x) => x >= from && x <= to);
      } else parts.push(typeof from === 'number' ? (x) => x === from : from);
    }
    this.i++;
    const any: CharTest = (x) => parts.some((p) => p(x));
    return negate ? not(any) : any;
  }

  /** One character of a class, or one of `\d \w \s` and their negations. */
  private classAtom(): number | CharTest {
    const c = this.peek();
    this.i++;
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.peek();
    if (e === 'b') {
      this.i++;
      return 8;
    }
    if (e === '-') {
      this.i++;
      return 45;
    }
    if (CLASS_ESCAPES[e]) {
      this.i++;
      return CLASS_ESCAPES[e];
    }
    return this.escapedChar();
  }

  /** After `\` outside a class. */
  private escape(): Node {
    const e = this.peek();
    if (e === 'b' || e === 'B') {
      this.i++;
      return { kind: 'assert', what: e };
    }
    if (CLASS_ESCAPES[e]) {
      this.i++;
      return { kind: 'char', test: CLASS_ESCAPES[e] };
    }
    const code = this.escapedChar();
    return { kind: 'char', test: (x) => x === code };
  }

  /** After `\`: an escape that stands for one character. */
  private escapedChar(): number {
    const e = this.peek();
    if (e === '') this.fail('a "\\" at the end');
    this.i++;
    if (SIMPLE_ESCAPES[e] !== undefined) return SIMPLE_ESCAPES[e];
    if (e === '0' && !isDigit(this.src.charCodeAt(this.i))) return 0;
    if (e === 'x' || e === 'u') {
      const n = e === 'x' ? 2 : 4;
      const hex = this.src.slice(this.i, this.i + n);
      if (!(e === 'x' ? /^[0-9a-fA-F]{2}$/ : /^[0-9a-fA-F]{4}$/).test(hex)) this.fail(`\\${e} without ${n} hex digits`);
      this.i += n;
      return parseInt(hex, 16);
    }
    if (e === 'c' && /^[A-Za-z]$/.test(this.peek())) return this.src.charCodeAt(this.i++) % 32;
    if (/^[A-Za-z0-9]$/.test(e)) {
      this.i--;
      this.fail(isDigit(e.charCodeAt(0)) ? `the escape \\${e} (a backreference or an octal escape)` : `the escape \\${e}`, isDigit(e.charCodeAt(0)) ? 'a backreference needs backtracking; write an octal character as \\xHH' : 'it is not one of \\d \\D \\w \\W \\s \\S \\b \\B \\t \\n \\v \\f \\r \\0 \\xHH \\uHHHH \\cX');
    }
    return e.charCodeAt(0); // \ before punctuation: the character itself
  }
}

type State = { kind: 'char'; test: CharTest; out: number } | { kind: 'split'; a: number; b: number } | { kind: 'assert'; what: '^' | '$' | 'b' | 'B'; out: number } | { kind: 'match' };

/** Builds the automaton: states in an array, each pointing at its successors by index. */
class Compiler {
  readonly states: State[] = [];

  /** Adds a state, returns its index. */
  private add(state: State): number {
    if (this.states.length >= MAX_STATES) throw new PatternError(`the pattern is too large (more than ${MAX_STATES} states once its counts are spelt out)`);
    this.states.push(state);
    return this.states.length - 1;
  }

  /** Compiles `alt` so that it continues at `next`; returns its entry state. */
  alternation(alt: Node[][], next: number): number {
    let entry = this.sequence(alt[alt.length - 1]!, next);
    for (let k = alt.length - 2; k >= 0; k--) entry = this.add({ kind: 'split', a: this.sequence(alt[k]!, next), b: entry });
    return entry;
  }

  private sequence(seq: Node[], next: number): number {
    let entry = next;
    for (let k = seq.length - 1; k >= 0; k--) entry = this.node(seq[k]!, entry);
    return entry;
  }

  private node(node: Node, next: number): number {
    switch (node.kind) {
      case 'char':
        return this.add({ kind: 'char', test: node.test, out: next });
      case 'assert':
        return this.add({ kind: 'assert', what: node.what, out: next });
      case 'group':
        return this.alternation(node.alt, next);
      case 'repeat': {
        let entry = next;
        if (node.max === Infinity) {
          // A loop: a split that either enters the node (which comes back to it) or leaves.
          const split = this.add({ kind: 'split', a: -1, b: next });
          const body = this.node(node.node, split);
          (this.states[split] as { a: number }).a = body;
          entry = split;
        } else if (node.max > node.min) {
          entry = this.optionalChain(node.node, node.max - node.min, next);
        }
        for (let k = node.min; k > 0; k--) entry = this.node(node.node, entry);
        return entry;
      }
    }
  }

  /** `x{0,n}` before `next`: x?(x?(…)) where skipping any copy goes straight to `next`. */
  private optionalChain(node: Node, n: number, next: number): number {
    let entry = next;
    for (let k = 0; k < n; k++) entry = this.add({ kind: 'split', a: this.node(node, entry), b: next });
    return entry;
  }
}

/** A compiled pattern: `test(text)` answers as `new RegExp(source).test(text)`. */
export interface LinearRegex {
  readonly source: string;
  test(text: string): boolean;
}

/** Compiles `source`; throws {@link PatternError} (saying what and how to write it) when it is not taken. */
export function compileLinearRegex(source: string): LinearRegex {
  if (source.length > MAX_PATTERN_LENGTH) throw new PatternError(`the pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  const tree = new Parser(source).parse();
  const compiler = new Compiler();
  const match = compiler.states.push({ kind: 'match' }) - 1;
  const start = compiler.alternation(tree, match);
  const states = compiler.states;
  return { source, test: (text) => run(states, start, text) };
}

function run(states: readonly State[], start: number, text: string): boolean {
  const n = text.length;
  const seen = new Int32Array(states.length).fill(-1);
  let current: number[] = [];
  let following: number[] = [];
  const wordAt = (i: number) => i >= 0 && i < n && isWord(text.charCodeAt(i));
  // Adds `s` and what it reaches without reading a character, at position `i`; true on a match.
  const add = (list: number[], s: number, i: number, mark: number): boolean => {
    const stack = [s];
    while (stack.length > 0) {
      const k = stack.pop()!;
      if (seen[k] === mark) continue;
      seen[k] = mark;
      const state = states[k]!;
      switch (state.kind) {
        case 'match':
          return true;
        case 'char':
          list.push(k);
          break;
        case 'split':
          stack.push(state.b, state.a);
          break;
        case 'assert': {
          const ok =
            state.what === '^' ? i === 0 : state.what === '$' ? i === n : (wordAt(i - 1) !== wordAt(i)) === (state.what === 'b');
          if (ok) stack.push(state.out);
          break;
        }
      }
    }
    return false;
  };
  for (let i = 0; i <= n; i++) {
    // A match may start anywhere: the start state joins the set at every position.
    if (add(current, start, i, i)) return true;
    if (i === n) break;
    const c = text.charCodeAt(i);
    following.length = 0;
    for (const k of current) {
      const state = states[k] as { test: CharTest; out: number };
      if (state.test(c) && add(following, state.out, i + 1, i + 1)) return true;
    }
    [current, following] = [following, current];
  }
  return false;
}
