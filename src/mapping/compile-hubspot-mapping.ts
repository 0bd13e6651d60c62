import type { FieldMapping, HubSpotCrmConfig } from '../config/tenants/crm-config.js';
import type { ConfigIssue } from '../config/validation-issues.js';
import { LeadstreamError } from '../errors/leadstream-error.js';
import {
  type CompiledExpression,
  compileExpression,
  type ExpressionScope,
} from './expressions/compile-expression.js';
import type { ExpressionValue } from './expressions/expression-value.js';
import { isTruthy } from './expressions/expression-value.js';
import { isMappingPath } from './mapping-view.js';

export type FieldEvaluator = (scope: ExpressionScope) => ExpressionValue;

export interface CompiledTrigger {
  name: string;
  condition: CompiledExpression;
  actions: string[];
}

/** A tenant's HubSpot mapping with every path and expression checked and compiled once. */
export interface CompiledHubSpotMapping {
  fields: Array<{ name: string; value: FieldEvaluator }>;
  customProperties: Array<{ name: string; type: string; value: FieldEvaluator }>;
  triggers: CompiledTrigger[];
}

class Issues {
  readonly list: ConfigIssue[] = [];
  /** Runs a compile step, recording its config error at `path` instead of stopping at the first. */
  attempt<T>(path: string, step: () => T): T | undefined {
    try {
      return step();
    } catch (error) {
      if (!(error instanceof LeadstreamError)) throw error;
      this.list.push({ path, message: error.message });
      return undefined;
    }
  }
}

function compileField(
  mapping: FieldMapping,
  path: string,
  config: HubSpotCrmConfig,
  issues: Issues,
): FieldEvaluator | undefined {
  const env = { isKnownPath: isMappingPath, maps: config.value_maps };
  if (typeof mapping === 'string') {
    // A plain value names a path of the call: `"firstname": "customer_name_first"`.
    return issues.attempt(path, () =>
      compileExpression(mapping, { ...env, isKnownPath: (p) => p === mapping && isMappingPath(p) }),
    )?.evaluate;
  }
  if (mapping.type === 'computed')
    return issues.attempt(`${path}.formula`, () => compileExpression(mapping.formula, env))?.evaluate;
  const branches = mapping.conditions.map((condition, index) => {
    if ('default' in condition) return { test: undefined, then: condition.default };
    const test = issues.attempt(`${path}.conditions[${index}].if`, () =>
      compileExpression(condition.if, env),
    );
    return { test, then: condition.then };
  });
  return (scope) => {
    for (const branch of branches) {
      if (branch.test === undefined || isTruthy(branch.test.evaluate(scope))) return branch.then;
    }
    return null;
  };
}

/**
 * Compiles a HubSpot crm_config: field mappings (paths, conditionals, computed formulas), custom
 * property paths and workflow trigger conditions. Returns every problem with its JSON path, so a
 * tenant file is rejected at load, never on a live call.
 */
export function compileHubSpotMapping(config: HubSpotCrmConfig): {
  mapping?: CompiledHubSpotMapping;
  issues: ConfigIssue[];
} {
  const issues = new Issues();
  const fields = Object.entries(config.field_mappings).flatMap(([name, mapping]) => {
    const value = compileField(mapping, `crm_config.field_mappings.${name}`, config, issues);
    return value ? [{ name, value }] : [];
  });
  const customProperties = config.custom_properties.flatMap((custom, index) => {
    const value = compileField(custom.value, `crm_config.custom_properties[${index}].value`, config, issues);
    return value ? [{ name: custom.name, type: custom.type, value }] : [];
  });
  const triggers = Object.entries(config.workflow_triggers).flatMap(([name, trigger]) => {
    const env = { isKnownPath: isMappingPath, maps: config.value_maps };
    const condition = issues.attempt(`crm_config.workflow_triggers.${name}.condition`, () =>
      compileExpression(trigger.condition, env),
    );
    return condition ? [{ name, condition, actions: trigger.actions }] : [];
  });
  if (issues.list.length > 0) return { issues: issues.list };
  return { mapping: { fields, customProperties, triggers }, issues: [] };
}
