import { atConfigPath, compileExpression, type ExpressionScope } from './expressions/compile-expression.js';
import type { WorkflowTrigger } from './mapping-config.js';
import type { MappingEnvironment } from './mapping-environment.js';
import type { MappingIssues } from './mapping-issues.js';
import { isMappingPath } from './mapping-view.js';

export interface CompiledTriggers {
  /** The triggers whose condition holds for this call, in declaration order. */
  fired(scope: ExpressionScope): Array<{ name: string; actions: readonly string[] }>;
}

/** Compiles `workflow_triggers` (or Salesforce's `workflow_rules`): each condition once, at load. */
export function compileTriggers(
  triggers: Readonly<Record<string, WorkflowTrigger>>,
  path: string,
  env: MappingEnvironment,
  issues: MappingIssues,
): CompiledTriggers {
  const expressionEnv = { isKnownPath: isMappingPath, maps: env.maps, knownPaths: env.knownPaths };
  const compiled = Object.entries(triggers).flatMap(([name, trigger]) => {
    const at = `${path}.${name}.condition`;
    const condition = issues.attempt(at, () => compileExpression(trigger.condition, expressionEnv));
    return condition ? [{ name, holds: atConfigPath(at, condition.evaluate), actions: trigger.actions }] : [];
  });
  return {
    // A condition is met only by true itself: `ai_analysis.lead_score` alone is no rule.
    fired: (scope) => compiled.filter((trigger) => trigger.holds(scope) === true),
  };
}
