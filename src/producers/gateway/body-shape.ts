import { type JsonShapeLimits, type ShapeProblem, walkJsonShape } from '../../json/json-shape.js';
import { GatewayError } from './gateway-error.js';

/** How large a parsed body may be in shape; every request body is checked before anything walks it. */
export type BodyShapeLimits = JsonShapeLimits & { maxTotalEntries: number };

export const DEFAULT_BODY_SHAPE: BodyShapeLimits = {
  // CallRail's payloads are three deep.
  maxDepth: 16,
  maxEntries: 2_000,
  maxTotalEntries: 2_000,
  // A long call's transcript is the longest string a sender has a reason to send (an hour is ~60 k).
  maxStringLength: 512 * 1024,
};

/**
 * Whether a JSON text nests no deeper than maxDepth, counted over its brackets outside strings in one
 * pass: JSON.parse takes a quarter of a second of CPU for a megabyte of nested brackets, which the
 * gateway would spend on every such request before the walk refused it.
 */
export function jsonDepthWithin(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      depth++;
      if (depth > maxDepth) return false;
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return true;
}

/** Checks a parsed body against the limits and answers 400 naming the first place that breaks one. */
export function checkBodyShape(body: unknown, limits: BodyShapeLimits = DEFAULT_BODY_SHAPE): void {
  let first: ShapeProblem | undefined;
  walkJsonShape(body, limits, '', (problem) => {
    first = problem;
    return false;
  });
  if (first !== undefined) {
    const { path, message } = first;
    throw new GatewayError(
      400,
      'validation_error',
      `${path === '' ? 'the body' : path}: ${message}`,
      path === '' ? undefined : path,
    );
  }
}
