import { restError, type SalesforceHttpError } from './salesforce-errors.js';

/** A literal of the subset: string, number, boolean or null. */
export type SoqlValue = string | number | boolean | null;

export type Condition =
  | { kind: 'compare'; field: string; operator: '=' | '!='; value: SoqlValue }
  | { kind: 'in'; field: string; negated: boolean; values: SoqlValue[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition };

/** `SELECT fields FROM object [WHERE condition] [ORDER BY field [ASC|DESC]] [LIMIT n]`. */
export interface SoqlQuery {
  fields: string[];
  object: string;
  where: Condition | undefined;
  orderBy: { field: string; descending: boolean } | undefined;
  limit: number | undefined;
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'symbol'; text: string; at: number };

const STRING_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

function malformed(soql: string, at: number, problem: string): SalesforceHttpError {
  const row = soql.slice(0, at).split('\n').length;
  const column = at - soql.lastIndexOf('\n', at - 1);
  return restError(
    400,
    'MALFORMED_QUERY',
    `\n${soql}\n${' '.repeat(Math.max(0, column - 1))}^\nERROR at Row:${row}:Column:${column}\n${problem}`,
  );
}

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i] ?? '';
    if (/\s/.test(c)) {
      i += 1;
    } else if (c === "'") {
      const at = i;
      let value = '';
      i += 1;
      for (;;) {
        const d = soql[i];
        if (d === undefined) throw malformed(soql, at, "line 1:0 mismatched character '<EOF>' expecting '''");
        if (d === "'") break;
        if (d === '\\') {
          const escaped = STRING_ESCAPES[soql[i + 1] ?? ''];
          if (escaped === undefined)
            throw malformed(soql, i, `Invalid string literal: unknown escape \\${soql[i + 1] ?? ''}`);
          value += escaped;
          i += 2;
        } else {
          value += d;
          i += 1;
        }
      }
      i += 1;
      tokens.push({ kind: 'string', value, at });
    } else if (/[0-9-]/.test(c) && /[0-9]/.test(soql[c === '-' ? i + 1 : i] ?? '')) {
      const match = /^-?\d+(\.\d+)?/.exec(soql.slice(i)) ?? [''];
      tokens.push({ kind: 'number', value: Number(match[0]), at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(soql.slice(i)) ?? [''];
      tokens.push({ kind: 'word', text: match[0], at: i });
      i += match[0].length;
    } else if (c === '!' && soql[i + 1] === '=') {
      tokens.push({ kind: 'symbol', text: '!=', at: i });
      i += 2;
    } else if ('=(),'.includes(c)) {
      tokens.push({ kind: 'symbol', text: c, at: i });
      i += 1;
    } else {
      throw malformed(soql, i, `unexpected token: '${c}'`);
    }
  }
  return tokens;
}

/** Parses the subset of SOQL the emulator answers; anything else is MALFORMED_QUERY, as Salesforce says. */
export function parseSoql(soql: string): SoqlQuery {
  const tokens = tokenize(soql);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const fail = (problem?: string): never => {
    const token = peek();
    const text =
      token === undefined
        ? '<EOF>'
        : token.kind === 'string'
          ? `'${token.value}'`
          : token.kind === 'number'
            ? String(token.value)
            : token.text;
    throw malformed(soql, token?.at ?? soql.length, problem ?? `unexpected token: ${text}`);
  };
  const isKeyword = (word: string): boolean => {
    const token = peek();
    return token?.kind === 'word' && token.text.toUpperCase() === word;
  };
  const keyword = (word: string): void => {
    if (!isKeyword(word)) fail();
    position += 1;
  };
  const symbol = (text: string): boolean => {
    const token = peek();
    if (token?.kind === 'symbol' && token.text === text) {
      position += 1;
      return true;
    }
    return false;
  };
  const identifier = (): string => {
    const token = peek();
    if (token?.kind !== 'word' || RESERVED.has(token.text.toUpperCase())) return fail();
    position += 1;
    return token.text;
  };
  const literal = (): SoqlValue => {
    const token = peek();
    position += 1;
    if (token?.kind === 'string' || token?.kind === 'number') return token.value;
    if (token?.kind === 'word') {
      const word = token.text.toUpperCase();
      if (word === 'TRUE') return true;
      if (word === 'FALSE') return false;
      if (word === 'NULL') return null;
    }
    position -= 1;
    return fail();
  };

  const primary = (): Condition => {
    if (isKeyword('NOT')) {
      position += 1;
      return { kind: 'not', condition: primary() };
    }
    if (symbol('(')) {
      const inner = disjunction();
      if (!symbol(')')) fail("expecting ')'");
      return inner;
    }
    const field = identifier();
    if (symbol('=')) return { kind: 'compare', field, operator: '=', value: literal() };
    if (symbol('!=')) return { kind: 'compare', field, operator: '!=', value: literal() };
    const negated = isKeyword('NOT');
    if (negated) position += 1;
    keyword('IN');
    if (!symbol('(')) fail("expecting '('");
    const values = [literal()];
    while (symbol(',')) values.push(literal());
    if (!symbol(')')) fail("expecting ')'");
    return { kind: 'in', field, negated, values };
  };
  const conjunction = (): Condition => {
    let left = primary();
    while (isKeyword('AND')) {
      position += 1;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const disjunction = (): Condition => {
    let left = conjunction();
    while (isKeyword('OR')) {
      position += 1;
      left = { kind: 'or', left, right: conjunction() };
    }
    return left;
  };

  keyword('SELECT');
  const fields = [identifier()];
  while (symbol(',')) fields.push(identifier());
  keyword('FROM');
  const object = identifier();
  let where: Condition | undefined;
  if (isKeyword('WHERE')) {
    position += 1;
    where = disjunction();
  }
  let orderBy: SoqlQuery['orderBy'];
  if (isKeyword('ORDER')) {
    position += 1;
    keyword('BY');
    const field = identifier();
    const descending = isKeyword('DESC');
    if (descending || isKeyword('ASC')) position += 1;
    orderBy = { field, descending };
  }
  let limit: number | undefined;
  if (isKeyword('LIMIT')) {
    position += 1;
    const token = peek();
    if (token?.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0) return fail();
    limit = token.value;
    position += 1;
  }
  if (peek() !== undefined) fail();
  return { fields, object, where, orderBy, limit };
}

const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'LIMIT',
  'NULL',
  'TRUE',
  'FALSE',
]);

/** Every field a query names, for the INVALID_FIELD check. */
export function fieldsOf(query: SoqlQuery): string[] {
  const named = [...query.fields];
  const visit = (condition: Condition | undefined): void => {
    if (condition === undefined) return;
    if (condition.kind === 'compare' || condition.kind === 'in') named.push(condition.field);
    else if (condition.kind === 'not') visit(condition.condition);
    else {
      visit(condition.left);
      visit(condition.right);
    }
  };
  visit(query.where);
  if (query.orderBy) named.push(query.orderBy.field);
  return named;
}

/** SOQL compares text case-insensitively. */
function equal(stored: unknown, value: SoqlValue): boolean {
  if (value === null) return stored === null || stored === undefined;
  if (stored === null || stored === undefined) return false;
  if (typeof value === 'string' && typeof stored === 'string')
    return stored.toLowerCase() === value.toLowerCase();
  return stored === value;
}

export function matches(record: Record<string, unknown>, condition: Condition | undefined): boolean {
  if (condition === undefined) return true;
  switch (condition.kind) {
    case 'compare': {
      const same = equal(record[condition.field], condition.value);
      return condition.operator === '=' ? same : !same;
    }
    case 'in': {
      const found = condition.values.some((value) => equal(record[condition.field], value));
      return condition.negated ? !found : found;
    }
    case 'and':
      return matches(record, condition.left) && matches(record, condition.right);
    case 'or':
      return matches(record, condition.left) || matches(record, condition.right);
    case 'not':
      return !matches(record, condition.condition);
  }
}
