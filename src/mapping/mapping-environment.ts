import type { ExpressionValue } from './expressions/expression-value.js';
import { MAPPING_PATHS } from './mapping-view.js';

/** What a tenant's expressions and templates may name besides functions: call fields and lookup tables. */
export interface MappingEnvironment {
  maps: Readonly<Record<string, Readonly<Record<string, ExpressionValue>>>>;
  knownPaths: readonly string[];
}

/**
 * Project values the guide's formula `project_value_map[ai_analysis.project_type] || 20000` reads when
 * a tenant declares no table of its own: the guide's own Pipedrive estimates.
 */
const DEFAULT_PROJECT_VALUE_MAP: Readonly<Record<string, number>> = {
  kitchen: 25000,
  bathroom: 15000,
  whole_home: 100000,
  addition: 50000,
};

/** The lookup tables of a configuration: built-ins, overridden by the tenant's `value_maps`. */
export function mappingEnvironment(
  valueMaps: Readonly<Record<string, Readonly<Record<string, ExpressionValue>>>>,
  extraMaps: Readonly<Record<string, Readonly<Record<string, ExpressionValue>>>> = {},
): MappingEnvironment {
  return {
    maps: { project_value_map: DEFAULT_PROJECT_VALUE_MAP, ...extraMaps, ...valueMaps },
    knownPaths: MAPPING_PATHS,
  };
}
