/**
 * Finds the `${{ ... }}` expressions in a string. The end is the first `}}` outside a single-quoted string
 * literal, as the Actions runner reads it, so `${{ format('{{"tag":{0}}}', x) }}` stays one expression.
 */

export interface TemplateExpression {
  /** The expression between `${{` and `}}`, trimmed. */
  source: string;
  /** Offsets of `${{` and just past `}}` in the string. */
  start: number;
  end: number;
}

export function findExpressions(text: string): TemplateExpression[] {
  const found: TemplateExpression[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${{', from);
    if (start < 0) return found;
    const close = findClose(text, start + 3);
    if (close < 0) return found;
    found.push({ source: text.slice(start + 3, close).trim(), start, end: close + 2 });
    from = close + 2;
  }
}

/** The offset of the `}}` that closes an expression whose body starts at `from`, or -1. */
export function findClose(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      // '' inside a literal is an escaped quote: toggling twice leaves the state unchanged.
      inString = !inString;
    } else if (!inString && ch === '}' && text[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

/** True when the whole string is one `${{ }}` and nothing else (surrounding blanks allowed). */
export function singleExpression(text: string): TemplateExpression | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('${{')) return undefined;
  const expressions = findExpressions(text);
  const only = expressions[0];
  if (expressions.length !== 1 || !only) return undefined;
  return text.slice(0, only.start).trim() === '' && text.slice(only.end).trim() === '' ? only : undefined;
}
