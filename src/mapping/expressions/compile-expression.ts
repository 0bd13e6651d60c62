import jsep from 'jsep';
import { didYouMean } from '../../config/suggestions.js';
import { LeadstreamError } from '../../errors/leadstream-error.js';
import type { Clock } from '../../time/clock.js';
import { type MappingView, readPath } from '../mapping-view.js';
import { either, literalType, pathType, type StaticType, tableType } from './expression-types.js';
import { type ExpressionValue, isTruthy, typeName } from './expression-value.js';
import { FUNCTIONS, isKnownFunction } from './functions.js';

/** What an expression reads: the call's mapping view, and the clock for today()/now(). */
export interface ExpressionScope {
  view: MappingView;
  clock: Clock;
}

/** What a configuration lets expressions name besides functions. */
export interface ExpressionEnvironment {
  /** Whether a dotted path names a value of the mapping view. */
  isKnownPath(path: string): boolean;
  /** Lookup tables declared in configuration (`project_value_map`), indexable with `[...]`. */
  maps: Readonly<Record<string, Readonly<Record<string, ExpressionValue>>>>;
  /** Names an unknown identifier is compared with, for a "did you mean" hint. */
  knownPaths?: readonly string[];
}

export interface CompiledExpression {
  source: string;
  evaluate(scope: ExpressionScope): ExpressionValue;
}

type Evaluator = (scope: ExpressionScope) => ExpressionValue;
/** A compiled node: how to evaluate it, and what static checks know of its value. */
interface Compiled {
  run: Evaluator;
  type: StaticType;
}

const MAX_SOURCE_LENGTH = 2_000;
const MAX_DEPTH = 64;
const FORBIDDEN_NAMES = new Set(['__proto__', 'prototype', 'constructor']);
const COMPARISONS = new Set(['<', '>', '<=', '>=']);
const ARITHMETIC = new Set(['-', '*', '/', '%']);

function configError(source: string, problem: string): LeadstreamError {
  return new LeadstreamError('config_error', `expression "${source}": ${problem}`);
}

function mappingError(source: string, problem: string): LeadstreamError {
  return new LeadstreamError('field_mapping_error', `expression "${source}": ${problem}`);
}

/**
 * A number to hand on, or a field_mapping_error naming the operator: Infinity and NaN are no value a
 * CRM field can hold, and JSON would write them as null without a word.
 */
function finite(source: string, operator: string, value: number): number {
  if (!Number.isFinite(value)) throw mappingError(source, `${operator} gave ${value}, not a finite number`);
  return value;
}

/** Why an operand of this type always fails arithmetic, or undefined when it may succeed. */
function notArithmetic(operator: string, type: StaticType): string | undefined {
  if (type === 'number' || type === 'unknown') return undefined;
  if (type === 'date') return `${operator} on a date: a date is text; use addDays(date, days)`;
  return `${operator} expected numbers, got ${type}`;
}

/** `a.b.c` as a path, or undefined when the member chain is not plain names from an identifier. */
function dottedPath(node: jsep.Expression): string | undefined {
  if (node.type === 'Identifier') return (node as jsep.Identifier).name;
  if (node.type !== 'MemberExpression') return undefined;
  const member = node as jsep.MemberExpression;
  if (member.computed || member.property.type !== 'Identifier') return undefined;
  const parent = dottedPath(member.object);
  return parent === undefined ? undefined : `${parent}.${(member.property as jsep.Identifier).name}`;
}

function compare(operator: string, left: ExpressionValue, right: ExpressionValue): boolean {
  // Only like with like: a missing score (null) is never "> 80", a number is never "< 'abc'".
  const comparable =
    (typeof left === 'number' && typeof right === 'number') ||
    (typeof left === 'string' && typeof right === 'string');
  if (!comparable) return false;
  const l = left as number | string;
  const r = right as number | string;
  if (operator === '<') return l < r;
  if (operator === '>') return l > r;
  if (operator === '<=') return l <= r;
  return l >= r;
}

/**
 * Compiles an expression of the configuration language: literals, dotted paths into the call, `[...]`
 * into declared maps, comparison, boolean and arithmetic operators, `?:`, and the functions of
 * functions.ts. jsep parses; this interpreter evaluates an allow-list of node types, so there is no
 * eval, no prototype or global to reach, and an unknown name fails here, at configuration time.
 */
export function compileExpression(source: string, env: ExpressionEnvironment): CompiledExpression {
  if (source.length > MAX_SOURCE_LENGTH)
    throw configError(source.slice(0, 40), `longer than ${MAX_SOURCE_LENGTH}`);
  let tree: jsep.Expression;
  try {
    tree = jsep(source);
  } catch (error) {
    throw configError(source, (error as Error).message);
  }

  const compile = (node: jsep.Expression, depth: number): Compiled => {
    if (depth > MAX_DEPTH) throw configError(source, `nested deeper than ${MAX_DEPTH}`);
    switch (node.type) {
      case 'Literal': {
        const value = (node as jsep.Literal).value;
        if (
          value !== null &&
          typeof value !== 'string' &&
          typeof value !== 'number' &&
          typeof value !== 'boolean'
        ) {
          throw configError(source, 'only string, number, boolean and null literals are allowed');
        }
        // jsep reads 1e999 as Infinity, which no field holds and JSON writes as null.
        if (typeof value === 'number' && !Number.isFinite(value))
          throw configError(source, `${(node as jsep.Literal).raw} is beyond the largest number`);
        return { run: () => value, type: literalType(value) };
      }
      case 'Identifier':
      case 'MemberExpression': {
        const member = node as jsep.MemberExpression;
        if (node.type === 'MemberExpression' && member.computed) {
          const table =
            member.object.type === 'Identifier' ? (member.object as jsep.Identifier).name : undefined;
          if (table === undefined || !Object.hasOwn(env.maps, table)) {
            throw configError(
              source,
              `[...] only indexes a map declared in the configuration (value_maps)${table === undefined ? '' : didYouMean(table, Object.keys(env.maps))}`,
            );
          }
          const map = env.maps[table] ?? {};
          const key = compile(member.property, depth + 1).run;
          return {
            run: (scope) => {
              const k = key(scope);
              return k !== null && Object.hasOwn(map, String(k)) ? (map[String(k)] ?? null) : null;
            },
            type: tableType(map),
          };
        }
        const path = dottedPath(node);
        if (path === undefined) throw configError(source, 'unsupported member access');
        if (path.split('.').some((name) => FORBIDDEN_NAMES.has(name)))
          throw configError(source, `"${path}" is not allowed`);
        if (!env.isKnownPath(path))
          throw configError(source, `unknown identifier ${path}${didYouMean(path, env.knownPaths ?? [])}`);
        return {
          run: (scope) => {
            const value = readPath(scope.view, path);
            if (value === undefined || value === null) return null;
            if (typeof value === 'object') throw mappingError(source, `${path} is not a single value`);
            if (typeof value === 'number' && !Number.isFinite(value))
              throw mappingError(source, `${path} is ${value}, not a finite number`);
            return value;
          },
          type: pathType(path),
        };
      }
      case 'CallExpression': {
        const call = node as jsep.CallExpression;
        const name = call.callee.type === 'Identifier' ? (call.callee as jsep.Identifier).name : undefined;
        if (name === undefined || !isKnownFunction(name)) {
          const called = name ?? dottedPath(call.callee) ?? '(expression)';
          throw configError(
            source,
            `unknown function ${called}${didYouMean(called, Object.keys(FUNCTIONS))}`,
          );
        }
        const spec = FUNCTIONS[name];
        if (!spec) throw configError(source, `unknown function ${name}`);
        if (call.arguments.length < spec.minArgs || call.arguments.length > spec.maxArgs) {
          const arity =
            spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
          throw configError(source, `${name}() takes ${arity} arguments, got ${call.arguments.length}`);
        }
        const args = call.arguments.map((argument) => compile(argument, depth + 1));
        args.forEach((argument, index) => {
          const accepted = spec.accepts?.(index);
          if (accepted === undefined || argument.type === 'unknown' || accepted.includes(argument.type))
            return;
          throw configError(
            source,
            `${name}() argument ${index + 1} is a ${argument.type}, which it never accepts (expected ${accepted.join(' or ')})`,
          );
        });
        const runs = args.map((argument) => argument.run);
        return {
          run: (scope) => {
            // Arguments fail with their own message; only the function's own failure is wrapped here.
            const values = runs.map((argument) => argument(scope));
            try {
              return spec.call(values, scope.clock);
            } catch (error) {
              if (error instanceof LeadstreamError) throw mappingError(source, error.message);
              throw error;
            }
          },
          type: spec.returns(args.map((argument) => argument.type)),
        };
      }
      case 'UnaryExpression': {
        const unary = node as jsep.UnaryExpression;
        const operand = compile(unary.argument, depth + 1);
        const run = operand.run;
        if (unary.operator === '!') return { run: (scope) => !isTruthy(run(scope)), type: 'boolean' };
        if (unary.operator === '-' || unary.operator === '+') {
          const wrong = notArithmetic(`unary ${unary.operator}`, operand.type);
          if (wrong !== undefined) throw configError(source, wrong);
          return {
            run: (scope) => {
              const value = run(scope);
              if (typeof value !== 'number')
                throw mappingError(source, `unary ${unary.operator} expected number, got ${typeName(value)}`);
              return unary.operator === '-' ? -value : value;
            },
            type: 'number',
          };
        }
        throw configError(source, `operator ${unary.operator} is not allowed`);
      }
      case 'BinaryExpression': {
        const binary = node as jsep.BinaryExpression;
        const leftNode = compile(binary.left, depth + 1);
        const rightNode = compile(binary.right, depth + 1);
        const left = leftNode.run;
        const right = rightNode.run;
        const op = binary.operator;
        if (op === '||') {
          return {
            run: (scope) => {
              const l = left(scope);
              return isTruthy(l) ? l : right(scope);
            },
            type: either(leftNode.type, rightNode.type),
          };
        }
        if (op === '&&') {
          return {
            run: (scope) => {
              const l = left(scope);
              return isTruthy(l) ? right(scope) : l;
            },
            type: either(leftNode.type, rightNode.type),
          };
        }
        // == is strict, as ===: "80" never equals 80 in a routing rule.
        if (op === '==' || op === '===')
          return { run: (scope) => left(scope) === right(scope), type: 'boolean' };
        if (op === '!=' || op === '!==')
          return { run: (scope) => left(scope) !== right(scope), type: 'boolean' };
        if (COMPARISONS.has(op))
          return { run: (scope) => compare(op, left(scope), right(scope)), type: 'boolean' };
        if (op === '+') return compileAdd(leftNode, rightNode);
        if (ARITHMETIC.has(op)) {
          const wrong = notArithmetic(op, leftNode.type) ?? notArithmetic(op, rightNode.type);
          if (wrong !== undefined) throw configError(source, wrong);
          return {
            run: (scope) => {
              const l = left(scope);
              const r = right(scope);
              if (typeof l !== 'number' || typeof r !== 'number') {
                throw mappingError(source, `${op} expected numbers, got ${typeName(l)} and ${typeName(r)}`);
              }
              if ((op === '/' || op === '%') && r === 0) throw mappingError(source, 'division by zero');
              if (op === '-') return finite(source, op, l - r);
              if (op === '*') return finite(source, op, l * r);
              if (op === '/') return finite(source, op, l / r);
              return l % r;
            },
            type: 'number',
          };
        }
        throw configError(source, `operator ${op} is not allowed`);
      }
      case 'ConditionalExpression': {
        const conditional = node as jsep.ConditionalExpression;
        const test = compile(conditional.test, depth + 1).run;
        const consequent = compile(conditional.consequent, depth + 1);
        const alternate = compile(conditional.alternate, depth + 1);
        const [yes, no] = [consequent.run, alternate.run];
        return {
          run: (scope) => (isTruthy(test(scope)) ? yes(scope) : no(scope)),
          type: either(consequent.type, alternate.type),
        };
      }
      default:
        throw configError(source, `${node.type} is not allowed`);
    }
  };

  /** `+` adds numbers and joins text; a date and a number make a sum meant as addDays(). */
  const compileAdd = (leftNode: Compiled, rightNode: Compiled): Compiled => {
    const types = [leftNode.type, rightNode.type];
    const numeric = types.every((type) => type === 'number');
    const textual = types.some((type) => type === 'string' || type === 'date');
    const known = !types.includes('unknown');
    if (known && types.includes('date') && !types.includes('string')) {
      throw configError(source, '+ on a date: a date is text; use addDays(date, days)');
    }
    if (known && !numeric && !textual) throw configError(source, `cannot add ${types.join(' and ')}`);
    const [left, right] = [leftNode.run, rightNode.run];
    return {
      run: (scope) => {
        const l = left(scope);
        const r = right(scope);
        if (typeof l === 'number' && typeof r === 'number') return finite(source, '+', l + r);
        if (typeof l === 'string' || typeof r === 'string') return `${l ?? ''}${r ?? ''}`;
        throw mappingError(source, `cannot add ${typeName(l)} and ${typeName(r)}`);
      },
      type: numeric ? 'number' : textual ? 'string' : 'unknown',
    };
  };

  return { source, evaluate: compile(tree, 0).run };
}

/**
 * An evaluator whose mapping errors also name the configuration entry that failed
 * (`crm_config.field_mappings.follow_up_date: expression "...": addDays() ...`), for the dead letter
 * and the log line an admin reads.
 */
export function atConfigPath<T>(
  path: string,
  evaluate: (scope: ExpressionScope) => T,
): (scope: ExpressionScope) => T {
  return (scope) => {
    try {
      return evaluate(scope);
    } catch (error) {
      if (!(error instanceof LeadstreamError) || error.type !== 'field_mapping_error') throw error;
      throw new LeadstreamError('field_mapping_error', `${path}: ${error.message}`, {
        details: { ...error.details, config_path: path },
        cause: error,
      });
    }
  };
}
