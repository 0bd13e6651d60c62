import { LeadstreamError } from '../errors/leadstream-error.js';
import { compileExpression, type ExpressionScope } from './expressions/compile-expression.js';
import type { ExpressionValue } from './expressions/expression-value.js';
import type { MappingEnvironment } from './mapping-environment.js';
import { isMappingPath } from './mapping-view.js';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const ONLY_PLACEHOLDER = /^\{\{\s*([^{}]*?)\s*\}\}$/;

export type TemplateJson =
  | string
  | number
  | boolean
  | null
  | TemplateJson[]
  | { [key: string]: TemplateJson };
export type RenderedTemplate<T> = (scope: ExpressionScope) => T;

export interface TemplateOptions {
  /**
   * Placeholders only the CRM adapter can fill (a credential, an id from an earlier response): left in
   * the output as written, never evaluated here.
   */
  isDeferred?(expression: string): boolean;
  /** How a value is written inside a longer text (URL-encoded in a query); deferred placeholders are left as they are. */
  write?(value: string): string;
}

export function hasPlaceholders(text: string): boolean {
  return text.includes('{{');
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
  options: TemplateOptions = {},
): RenderedTemplate<ExpressionValue> {
  if (template.split('{{').length !== template.split('}}').length) {
    throw new LeadstreamError('config_error', `template "${template}": unbalanced {{ }}`);
  }
  const expressionEnv = { isKnownPath: isMappingPath, maps: env.maps, knownPaths: env.knownPaths };
  const compileOne = (source: string): RenderedTemplate<ExpressionValue> => {
    if (source === '') throw new LeadstreamError('config_error', `template "${template}": empty {{ }}`);
    if (options.isDeferred?.(source)) return () => `{{${source}}}`;
    return compileExpression(source, expressionEnv).evaluate;
  };
  const whole = ONLY_PLACEHOLDER.exec(template);
  if (whole) return compileOne(whole[1] ?? '');

  const parts: Array<string | RenderedTemplate<ExpressionValue>> = [];
  let last = 0;
  const { write } = options;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(template.slice(last, match.index));
    const source = match[1] ?? '';
    const render = compileOne(source);
    parts.push(
      write === undefined || options.isDeferred?.(source)
        ? render
        : (scope) => {
            const value = render(scope);
            return value === null ? null : write(String(value));
          },
    );
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return (scope) =>
    parts
      .map((part) => {
        if (typeof part === 'string') return part;
        const value = part(scope);
        return value === null ? '' : String(value);
      })
      .join('');
}

/** Compiles a JSON template nested to any depth (custom REST bodies): every string in it is a template. */
export function compileTemplateTree(
  tree: TemplateJson,
  env: MappingEnvironment,
  options: TemplateOptions = {},
  at: (
    path: string,
    step: () => RenderedTemplate<TemplateJson>,
  ) => RenderedTemplate<TemplateJson> | undefined = (_path, step) => step(),
  path = '',
): RenderedTemplate<TemplateJson> {
  if (typeof tree === 'string') {
    if (!hasPlaceholders(tree)) return () => tree;
    return at(path, () => compileTemplate(tree, env, options)) ?? (() => null);
  }
  if (Array.isArray(tree)) {
    const items = tree.map((item, index) => compileTemplateTree(item, env, options, at, `${path}[${index}]`));
    return (scope) => items.map((item) => item(scope));
  }
  if (tree !== null && typeof tree === 'object') {
    const entries = Object.entries(tree).map(
      ([key, value]) => [key, compileTemplateTree(value, env, options, at, `${path}.${key}`)] as const,
    );
    return (scope) => Object.fromEntries(entries.map(([key, render]) => [key, render(scope)]));
  }
  return () => tree;
}
