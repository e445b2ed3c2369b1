// Nothing is kept at module level: every piece of state belongs to a cloud (STYLE.md: "no
// hidden globals"). A structural check over src/ with the TypeScript parser: no module-level
// `let` or `var`, no module-level collection or instance (`new Map()`, `new Set()`, `new X()`),
// no module-level array or object literal that is not frozen or `as const`, no assignment to
// globalThis at load time. The exceptions are listed here, each with why it is not state.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * Module-level constants that hold data but are never written: lookup tables and word lists.
 * Each is read-only by use; the check below makes sure no code assigns into them.
 */
const READ_ONLY_TABLES: Record<string, string> = {
  'cloud/channel-registry.ts:SPECIAL_CHANNELS': 'the names of the special channels (ReadonlyArray)',
  'cloud/channel-builtins.ts:READ_ONLY_ATTRS': 'attribute names (ReadonlyArray)',
  'net/message.ts:CONNECTION_KINDS': 'kind names (ReadonlySet)',
  'net/rules.ts:NONE': 'an empty ReadonlySet',
  'net/rules.ts:CONNECT_ONLY': 'a ReadonlySet of one kind',
  'cloud/invites.ts:CALLEE_ONLY': 'message types (ReadonlySet)',
  'sdk/signal.ts:LOG_LEVELS': 'the three log level names',
  'cloud/limits.ts:encoder': 'a TextEncoder: it has no state',
  'cloud/md5.ts:S': 'the MD5 shift amounts',
  'cloud/invites.ts:END_REASON': 'how a session end maps to an invite failure',
  'sdk/call.ts:CALLBACK_OF': 'which Call callback each message type fires',
  'sdk/fire.ts:CB_VARIABLE': "1.4.0's names of the cb parameters",
  'log/event-log.ts:LEVELS': 'the log level names',
  'transcript/entries.ts:ENTRY_FIELD_ORDER': 'field order for printing',
  'transcript/format.ts:STEP_KEY_ORDER': 'key order for printing',
  'transcript/transcript-test.ts:MODES': 'the transcript modes',
  'transcript/validate.ts:ACTION_KINDS': 'the kinds of action',
  'transcript/verbs.ts:NOT_VERBS': 'names that are not verbs, with what to write instead',
  'transcript/verbs.ts:NOT_SUB_VERBS': 'names that are not verbs',
  'transcript/verbs.ts:NOT_SUB_OBJECTS': 'parts of the Cloud that are not verb holders',
  'wire/wire-port.ts:ORDINARY_CLOSE': 'WebSocket close codes',
  'cli/run-cli.ts:consoleOutput': "the CLI's two output functions (no data)",
  'cli/run-cli.ts:COMMAND_HELP': 'help texts',
};

interface Finding {
  where: string;
  what: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Unwraps `x as const`, `x satisfies T`, `(x)`. */
function inner(e: ts.Expression): ts.Expression {
  while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isParenthesizedExpression(e)) {
    if (ts.isAsExpression(e) && ts.isTypeReferenceNode(e.type) && e.type.typeName.getText() === 'const') return e;
    e = e.expression;
  }
  return e;
}

function isAsConst(e: ts.Expression): boolean {
  return ts.isAsExpression(e) && ts.isTypeReferenceNode(e.type) && e.type.typeName.getText() === 'const';
}

function isFrozen(e: ts.Expression): boolean {
  const x = inner(e);
  return ts.isCallExpression(x) && x.expression.getText() === 'Object.freeze';
}

function check(file: string): Finding[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const rel = relative(SRC, file);
  const findings: Finding[] = [];
  const at = (node: ts.Node) => `${rel}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      const flags = statement.declarationList.flags;
      const kind = flags & ts.NodeFlags.Let ? 'let' : flags & ts.NodeFlags.Const ? 'const' : 'var';
      for (const d of statement.declarationList.declarations) {
        const name = d.name.getText();
        if (kind !== 'const') {
          findings.push({ where: at(d), what: `module-level ${kind} ${name}` });
          continue;
        }
        if (!d.initializer || READ_ONLY_TABLES[`${rel}:${name}`]) continue;
        const init = d.initializer;
        const x = inner(init);
        if (isAsConst(init) || isFrozen(init)) continue;
        if (ts.isNewExpression(x)) findings.push({ where: at(d), what: `module-level instance ${name} = new ${x.expression.getText()}(…)` });
        else if (ts.isArrayLiteralExpression(x)) findings.push({ where: at(d), what: `module-level array ${name} (freeze it or make it 'as const')` });
        else if (ts.isObjectLiteralExpression(x) && x.properties.some((p) => !ts.isMethodDeclaration(p))) {
          findings.push({ where: at(d), what: `module-level object ${name} (freeze it or make it 'as const')` });
        }
      }
    } else if (ts.isExpressionStatement(statement)) {
      // Code that runs at load time and writes somewhere shared.
      const t = statement.expression.getText();
      if (/^(globalThis|window|global|process)\b/.test(t) && /=/.test(t)) findings.push({ where: at(statement), what: `writes a global at load time: ${t.slice(0, 60)}` });
    }
  }
  return findings;
}

/** Code that writes into one of the allowed tables (they must stay read-only by use). */
function writesIntoTables(files: string[]): Finding[] {
  const names = Object.keys(READ_ONLY_TABLES).map((k) => k.split(':')[1]!);
  const out: Finding[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const name of names) {
      const write = new RegExp(`\\b${name}\\s*(\\.(push|pop|shift|unshift|splice|add|delete|clear|set|sort|reverse)\\(|\\[[^\\]]*\\]\\s*=[^=])`);
      if (write.test(text)) out.push({ where: relative(SRC, file), what: `writes into the read-only table ${name}` });
    }
  }
  return out;
}

describe('no module-level state in src/', () => {
  const files = sourceFiles(SRC);

  it('finds every source file to check', () => {
    expect(files.length).toBeGreaterThan(60);
  });

  it('has no module-level let/var, collection, instance or unfrozen literal (the read-only tables apart)', () => {
    expect(files.flatMap(check)).toEqual([]);
  });

  it('never writes into the read-only tables it allows', () => {
    expect(writesIntoTables(files)).toEqual([]);
  });

  it('catches the state it is meant to catch', () => {
    const probe = ts.createSourceFile('probe.ts', 'let n = 0;\nconst cache = new Map();\nconst list = [];\nconst table = { a: 1 };\nconst ok = [1] as const;\nconst fine = Object.freeze({ a: 1 });\n', ts.ScriptTarget.Latest, true);
    const kinds = probe.statements.map((s) => (ts.isVariableStatement(s) ? s.declarationList.declarations[0]!.initializer : undefined));
    expect(kinds.map((k) => (k ? [ts.isNewExpression(inner(k)), ts.isArrayLiteralExpression(inner(k)), isAsConst(k), isFrozen(k)] : null))).toEqual([
      [false, false, false, false],
      [true, false, false, false],
      [false, true, false, false],
      [false, false, false, false],
      [false, false, true, false],
      [false, false, false, true],
    ]);
  });
});
