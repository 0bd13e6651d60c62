import { LeadstreamError } from '../errors/leadstream-error.js';
import { compileExpression, type ExpressionScope } from './expressions/compile-expression.js';
import type { ExpressionValue } from './expressions/expression-value.js';
import type { MappingEnvironment } from './mapping-environment.js';
import { isMappingPath } from './mapping-view.js';

// The inside is trimmed in code: `\s*([^{}]*?)\s*` backtracks cubically over a run of spaces with no
// closing braces, 11 s to validate a 2,000-character value.
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const ONLY_PLACEHOLDER = /^\{\{([^{}]*)\}\}$/;

/** A piece of a template: the tenant's own text, a placeholder's value, or a slot only the adapter fills. */
export type TemplatePiece = { text: string } | { value: ExpressionValue } | { slot: string };

export type RenderedTemplate<T> = (scope: ExpressionScope) => T;

export function hasPlaceholders(text: string): boolean {
  return text.includes('{{');
}

function compileExpressionOf(template: string, source: string, env: MappingEnvironment) {
  if (source === '') throw new LeadstreamError('config_error', `template "${template}": empty {{ }}`);
  return compileExpression(source, { isKnownPath: isMappingPath, maps: env.maps, knownPaths: env.knownPaths })
    .evaluate;
}

/**
 * Compiles a `{{...}}` template into its pieces, in order. The template is read once, here, from the
 * tenant's configuration: a value a placeholder yields at mapping time is data and is never read as a
 * template again. `isSlot` names the placeholders left for the CRM adapter (a credential, an id from
 * an earlier response), kept as slots rather than text so that nothing a caller typed can be one.
 */
export function compileTemplatePieces(
  template: string,
  env: MappingEnvironment,
  isSlot: (expression: string) => boolean = () => false,
): RenderedTemplate<TemplatePiece[]> {
  if (template.split('{{').length !== template.split('}}').length) {
    throw new LeadstreamError('config_error', `template "${template}": unbalanced {{ }}`);
  }
  const parts: Array<TemplatePiece | RenderedTemplate<ExpressionValue>> = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    const source = (match[1] ?? '').trim();
    parts.push(isSlot(source) ? { slot: source } : compileExpressionOf(template, source, env));
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  return (scope) => parts.map((part) => (typeof part === 'function' ? { value: part(scope) } : part));
}

/**
 * Compiles a `{{...}}` template string. Each placeholder is an expression of the configuration
 * language (usually a path: `{{customer_name}}`). A string that is exactly one placeholder keeps the
 * value's type (`"{{ai_analysis.lead_score}}"` gives 85, not "85"); elsewhere values are written as
 * text and a missing value as nothing.
 */
export function compileTemplate(
  template: string,
  env: MappingEnvironment,
): RenderedTemplate<ExpressionValue> {
  const whole = ONLY_PLACEHOLDER.exec(template);
  if (whole) return compileExpressionOf(template, (whole[1] ?? '').trim(), env);
  const pieces = compileTemplatePieces(template, env);
  return (scope) => pieces(scope).map(pieceText).join('');
}

/** A piece as text: a missing value is nothing, a slot its placeholder as written. */
export function pieceText(piece: TemplatePiece): string {
  if ('text' in piece) return piece.text;
  if ('slot' in piece) return `{{${piece.slot}}}`;
  return piece.value === null ? '' : String(piece.value);
}
