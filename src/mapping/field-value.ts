import { closestName } from '../config/suggestions.js';
import { atConfigPath, compileExpression, type ExpressionScope } from './expressions/compile-expression.js';
import { type ExpressionValue, isTruthy } from './expressions/expression-value.js';
import type { FieldMapping } from './mapping-config.js';
import type { MappingEnvironment } from './mapping-environment.js';
import type { MappingIssues } from './mapping-issues.js';
import { isMappingPath } from './mapping-view.js';
import { compileTemplate, hasPlaceholders } from './templates.js';

export type FieldEvaluator = (scope: ExpressionScope) => ExpressionValue;

const COMPUTED_PREFIX = 'computed:';
/** `computed:today+1` (the guide's Salesforce task): a date some days from today. */
const DAY_OFFSET = /^(today|now)\s*(?:([+-])\s*(\d+))?$/;
/** Text shaped like a call field (lower-case words, dots): a literal that may be a mistyped path. */
const PATH_SHAPED = /^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/;
/** Field groups of the call (`ai_analysis.…`): a dotted value under one is always meant as a field. */
const GROUPS = new Set(['ai_analysis', 'call_details', 'form_fields', 'marketing']);

function formulaOf(shorthand: string): string {
  const offset = DAY_OFFSET.exec(shorthand.trim());
  if (!offset) return shorthand;
  const [, base, sign, days] = offset;
  if (days === undefined) return `${base}()`;
  return `addDays(today(), ${sign === '-' ? '-' : ''}${days})`;
}

/**
 * Compiles one mapped value. The rule for a string, the same for every CRM and documented in the
 * README:
 * 1. `computed:EXPR` is a formula (`computed:today+1` is tomorrow's date);
 * 2. text with `{{...}}` is a template;
 * 3. the exact name of a call field (`customer_phone`, `ai_analysis.lead_score`) is that field;
 * 4. anything else is literal text (`"Follow up on call"`), except text shaped like a field name
 *    (lower-case words joined by _ or .): when it is a near miss of a field (`customer_citty`) or
 *    starts with a field group (`ai_analysis.leadscore`) it is an error, since a typo must not reach
 *    a CRM as text; otherwise (`phone_call`) it is literal, with a warning.
 * `{"type": "literal", "value": ...}` forces a literal, without error or warning.
 */
export function compileFieldValue(
  mapping: FieldMapping,
  path: string,
  env: MappingEnvironment,
  issues: MappingIssues,
): FieldEvaluator | undefined {
  const evaluate = compileValue(mapping, path, env, issues);
  return evaluate === undefined ? undefined : atConfigPath(path, evaluate);
}

function compileValue(
  mapping: FieldMapping,
  path: string,
  env: MappingEnvironment,
  issues: MappingIssues,
): FieldEvaluator | undefined {
  const expressionEnv = { isKnownPath: isMappingPath, maps: env.maps, knownPaths: env.knownPaths };
  if (typeof mapping === 'number' || typeof mapping === 'boolean') return () => mapping;
  if (typeof mapping === 'string') {
    if (mapping.startsWith(COMPUTED_PREFIX)) {
      const formula = formulaOf(mapping.slice(COMPUTED_PREFIX.length));
      return issues.attempt(path, () => compileExpression(formula, expressionEnv))?.evaluate;
    }
    if (hasPlaceholders(mapping)) return issues.attempt(path, () => compileTemplate(mapping, env));
    if (isMappingPath(mapping))
      return issues.attempt(path, () => compileExpression(mapping, expressionEnv))?.evaluate;
    if (PATH_SHAPED.test(mapping)) {
      const asLiteral = `write {"type": "literal", "value": "${mapping}"} for literal text`;
      const near = closestName(mapping, env.knownPaths);
      const group = mapping.includes('.') ? mapping.split('.')[0] : undefined;
      if (near !== undefined || (group !== undefined && GROUPS.has(group))) {
        issues.error(
          path,
          `unknown call field ${mapping}${near === undefined ? '' : ` (did you mean "${near}"?)`}; ${asLiteral}`,
        );
        return undefined;
      }
      issues.warn(path, `"${mapping}" is not a call field, so it is sent as literal text; ${asLiteral}`);
    }
    return () => mapping;
  }
  switch (mapping.type) {
    case 'literal':
      return () => mapping.value;
    case 'computed':
      return issues.attempt(`${path}.formula`, () =>
        compileExpression(formulaOf(mapping.formula), expressionEnv),
      )?.evaluate;
    case 'conditional': {
      const branches = mapping.conditions.map((condition, index) => {
        if ('default' in condition) return { test: undefined, then: condition.default };
        const test = issues.attempt(`${path}.conditions[${index}].if`, () =>
          compileExpression(condition.if, expressionEnv),
        );
        return { test, then: condition.then };
      });
      const defaultAt = mapping.conditions.findIndex((condition) => 'default' in condition);
      if (defaultAt >= 0 && defaultAt < mapping.conditions.length - 1) {
        issues.warn(`${path}.conditions[${defaultAt}]`, 'conditions after the default are never reached');
      }
      return (scope) => {
        for (const branch of branches) {
          if (branch.test === undefined || isTruthy(branch.test.evaluate(scope))) return branch.then;
        }
        return null;
      };
    }
  }
}

/** Compiles a record of mapped fields (`field_mappings`, `object_mappings.lead`), keeping declaration order. */
export function compileFieldRecord(
  record: Readonly<Record<string, FieldMapping>>,
  path: string,
  env: MappingEnvironment,
  issues: MappingIssues,
): Array<{ name: string; value: FieldEvaluator }> {
  return Object.entries(record).flatMap(([name, mapping]) => {
    const value = compileFieldValue(mapping, `${path}.${name}`, env, issues);
    return value ? [{ name, value }] : [];
  });
}

/** Evaluates compiled fields into a record, leaving out fields without a value (null or ''). */
export function evaluateFields(
  fields: ReadonlyArray<{ name: string; value: FieldEvaluator }>,
  scope: ExpressionScope,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const field of fields) {
    const value = field.value(scope);
    if (value !== null && value !== '') out[field.name] = value;
  }
  return out;
}
