export interface DocExample {
  page: string;
  /** The opening fence's line, 1-based. */
  line: number;
  kind: 'test' | 'module';
  /** Its file name in test/docs/generated/. */
  file: string;
  text: string;
}

export function extractDocExamples(page: string, source: string): { blocks: DocExample[]; skipped: Array<{ page: string; line: number }> };
