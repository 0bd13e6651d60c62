/** What an expression computes: JSON scalars. A missing path is null. */
export type ExpressionValue = string | number | boolean | null;

export function typeName(value: ExpressionValue): string {
  return value === null ? 'null' : typeof value;
}

/** JavaScript's truthiness, which `||`, `&&`, `!` and `?:` follow (so `map[x] || 20000` works as written). */
export function isTruthy(value: ExpressionValue): boolean {
  return value !== null && value !== false && value !== 0 && value !== '' && !Number.isNaN(value);
}
