import { LeadstreamError } from '../../errors/leadstream-error.js';
import { type CommandBuilder, operation } from '../../mapping/command-builder.js';
import type { ExpressionScope } from '../../mapping/expressions/compile-expression.js';
import type { ExpressionValue } from '../../mapping/expressions/expression-value.js';
import { type MappingEnvironment, mappingEnvironment } from '../../mapping/mapping-environment.js';
import type { MappingIssues } from '../../mapping/mapping-issues.js';
import {
  compileTemplatePieces,
  hasPlaceholders,
  pieceText,
  type TemplatePiece,
} from '../../mapping/templates.js';
import { compileTriggers } from '../../mapping/workflow-triggers.js';
import { leadActions, workflowOperation } from '../workflow-operations.js';
import type { CustomCrmConfig, CustomEndpoint, TemplateValue } from './config.js';
import {
  AUTH_SLOT,
  type BodySlot,
  type CustomJson,
  type CustomRequestPayload,
  ID_SLOT,
  type TemplatePart,
} from './payloads.js';
import { encodeUrlValue, hasDotSegment, headerSafe } from './placeholders.js';

const AUTH_IN_TEXT = /\{\{\s*auth\.(token|username|password|key)\s*\}\}/;
// As in templates.ts: no \s* around a lazy group, which backtracks cubically over a run of spaces.
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

type At = <T>(path: string, step: () => T) => T | undefined;
type IsSlot = (expression: string) => boolean;
type SendMethod = CustomRequestPayload['method'];

/** A call value a request cannot carry where the tenant put it: the command is refused, not sent. */
function refused(endpoint: string, where: string, problem: string): LeadstreamError {
  return new LeadstreamError(
    'field_mapping_error',
    `endpoint ${endpoint}, ${where}: ${problem}; the command is not sent`,
    { details: { endpoint, where } },
  );
}

/**
 * A rendered template as parts: the tenant's text as written, each call value written by `write` (which
 * encodes it, or refuses it), slots kept apart. Text next to text is joined, for a readable payload.
 */
function partsOf(pieces: readonly TemplatePiece[], write: (value: string) => string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  for (const piece of pieces) {
    if ('slot' in piece) {
      parts.push({ slot: piece.slot });
      continue;
    }
    const text = 'text' in piece ? piece.text : piece.value === null ? '' : write(String(piece.value));
    const last = parts.at(-1);
    if (last !== undefined && 'text' in last) last.text += text;
    else if (text !== '') parts.push({ text });
  }
  return parts;
}

/** The parts as one text, slots standing as `x`: what a path looks like for its dot-segment check. */
const sketch = (parts: readonly TemplatePart[]) =>
  parts.map((part) => ('text' in part ? part.text : 'x')).join('');

/**
 * An endpoint's path and headers, compiled. Call values are URL-encoded in the path and refused in a
 * header when it cannot carry them; `values` are the path's call values, which a find needs non-empty.
 */
function compileEndpoint(
  name: string,
  endpoint: CustomEndpoint,
  env: MappingEnvironment,
  isSlot: IsSlot,
  at: At,
  issues: MappingIssues,
) {
  const where = `crm_config.endpoints.${name}.path`;
  const path = at(where, () => compileTemplatePieces(endpoint.path, env, isSlot));
  if (hasDotSegment(endpoint.path.replace(PLACEHOLDER, 'x'))) {
    issues.error(where, 'a "." or ".." segment, which URLs resolve away: write the path it leads to');
    return undefined;
  }
  const headers = Object.entries(endpoint.headers).flatMap(([header, value]) => {
    const pieces = at(`crm_config.endpoints.${name}.headers.${header}`, () =>
      compileTemplatePieces(value, env, isSlot),
    );
    return pieces ? [[header, pieces] as const] : [];
  });
  if (path === undefined) return undefined;
  const render = (scope: ExpressionScope) => {
    const pieces = path(scope);
    const parts = partsOf(pieces, encodeUrlValue);
    if (hasDotSegment(sketch(parts))) {
      throw refused(
        name,
        'path',
        'a call value makes a "." or ".." segment, which would lead the request elsewhere',
      );
    }
    const values: ExpressionValue[] = pieces.flatMap((piece) => ('value' in piece ? [piece.value] : []));
    const rendered = headers.map(([header, template]) => {
      const safe = (value: string) => {
        if (headerSafe(value)) return value;
        throw refused(
          name,
          `header ${header}`,
          'a call value holds a control character, or a character past Latin-1, which a header cannot carry',
        );
      };
      return [header, partsOf(template(scope), safe)] as const;
    });
    return { request: { path: parts, headers: Object.fromEntries(rendered) }, values };
  };
  return { name, endpoint, render };
}

type RenderedBody = (scope: ExpressionScope) => { body: CustomJson; slots: BodySlot[] };

/**
 * A payload template, nested to any depth: every string in it is a template. A call value is put in
 * as a JSON value; a string with a slot (`{{contact.id}}`) is rendered into the body's slot list at its
 * position, so only the tenant's template decides where the adapter writes an id.
 */
function compileBody(
  tree: TemplateValue,
  env: MappingEnvironment,
  isSlot: IsSlot,
  at: At,
  where: string,
  position: Array<string | number> = [],
): RenderedBody {
  if (typeof tree === 'string') {
    if (!hasPlaceholders(tree)) return () => ({ body: tree, slots: [] });
    const template = at(where, () => compileTemplatePieces(tree, env, isSlot));
    if (template === undefined) return () => ({ body: null, slots: [] });
    return (scope) => {
      const pieces = template(scope);
      const [only, ...more] = pieces;
      if (pieces.some((piece) => 'slot' in piece)) {
        return { body: null, slots: [{ at: position, parts: partsOf(pieces, (value) => value) }] };
      }
      // A string that is exactly one placeholder keeps the value's type (a score stays a number).
      if (only !== undefined && 'value' in only && more.length === 0) return { body: only.value, slots: [] };
      return { body: pieces.map(pieceText).join(''), slots: [] };
    };
  }
  if (Array.isArray(tree)) {
    const items = tree.map((item, index) =>
      compileBody(item, env, isSlot, at, `${where}[${index}]`, [...position, index]),
    );
    return (scope) => {
      const rendered = items.map((item) => item(scope));
      return { body: rendered.map((item) => item.body), slots: rendered.flatMap((item) => item.slots) };
    };
  }
  if (tree !== null && typeof tree === 'object') {
    const entries = Object.entries(tree).map(
      ([key, value]) =>
        [key, compileBody(value, env, isSlot, at, `${where}.${key}`, [...position, key])] as const,
    );
    return (scope) => {
      const rendered = entries.map(([key, render]) => [key, render(scope)] as const);
      return {
        body: Object.fromEntries(rendered.map(([key, item]) => [key, item.body])),
        slots: rendered.flatMap(([, item]) => item.slots),
      };
    };
  }
  return () => ({ body: tree, slots: [] });
}

/** What compiling one record's find_ and update_ endpoints needs. */
interface RecordEndpoints {
  config: CustomCrmConfig;
  env: MappingEnvironment;
  isSlot: IsSlot;
  at: At;
  issues: MappingIssues;
}

/**
 * The `find_<record>` endpoint. It is asked only when every call value its path names is there: a find
 * with one of them empty (`/contacts?phone=`) could match any record, so the record is then created.
 */
function compileFind(record: string, { config, env, isSlot, at, issues }: RecordEndpoints) {
  const name = `find_${record}`;
  const endpoint = config.endpoints[name];
  return endpoint && compileEndpoint(name, endpoint, env, isSlot, at, issues);
}

function sendMethod(name: string, endpoint: CustomEndpoint, issues: MappingIssues): SendMethod | undefined {
  if (endpoint.method !== 'GET') return endpoint.method;
  issues.error(`crm_config.endpoints.${name}.method`, 'GET is for find_ endpoints only');
  return undefined;
}

/** The endpoint a payload template is sent to: `create_<name>`, else one called `<name>`. */
function endpointFor(config: CustomCrmConfig, template: string): string | undefined {
  return [`create_${template}`, template].find((name) => Object.hasOwn(config.endpoints, name));
}

/** `update_<record>`, used for a record find_<record> found; its path must name `{{<record>.id}}`. */
function compileUpdate(record: string, { config, env, isSlot, at, issues }: RecordEndpoints) {
  const name = `update_${record}`;
  const endpoint = config.endpoints[name];
  if (endpoint === undefined) return undefined;
  const method = sendMethod(name, endpoint, issues);
  const own = [...endpoint.path.matchAll(PLACEHOLDER)].some(
    (match) => ID_SLOT.exec((match[1] ?? '').trim())?.[1] === record,
  );
  if (!own) {
    issues.error(`crm_config.endpoints.${name}.path`, `must name the found record as {{${record}.id}}`);
    return undefined;
  }
  if (method === undefined) return undefined;
  const slot = (expression: string) => expression === `${record}.id` || isSlot(expression);
  const compiled = compileEndpoint(name, endpoint, env, slot, at, issues);
  return compiled && { ...compiled, method };
}

const given = (value: ExpressionValue) => value !== null && String(value) !== '';

/**
 * Custom REST: one request per payload template, in declared order, to the endpoint named after it.
 * Call data is put in now, as data; `{{auth.*}}` and `{{<earlier template>.id}}` become slots for the
 * adapter, which alone holds the credential and the earlier responses.
 */
export function compileCustomCommand(config: CustomCrmConfig, issues: MappingIssues): CommandBuilder {
  const env = mappingEnvironment(config.value_maps);
  const templates = Object.keys(config.payload_templates);
  const used = new Set<string>();
  const at: At = (path, step) => issues.attempt(path, step);

  const requests = templates.flatMap((name, index) => {
    const endpointName = endpointFor(config, name);
    if (endpointName === undefined) {
      issues.error(
        `crm_config.payload_templates.${name}`,
        `no endpoint create_${name} or ${name} in crm_config.endpoints`,
      );
      return [];
    }
    used.add(endpointName);
    const endpoint = config.endpoints[endpointName];
    if (endpoint === undefined) return [];
    const template = config.payload_templates[name] ?? null;
    const credential = JSON.stringify(template).match(AUTH_IN_TEXT)?.[0];
    if (credential !== undefined) {
      issues.error(
        `crm_config.payload_templates.${name}`,
        `${credential} cannot go in a payload template (body text carries what callers typed, and a caller must not get a credential written into a record): put it in the endpoint's headers or path`,
      );
      return [];
    }
    const method = sendMethod(endpointName, endpoint, issues);
    const earlier = new Set(templates.slice(0, index));
    const earlierId = (expression: string) => {
      const ref = ID_SLOT.exec(expression)?.[1];
      return ref !== undefined && earlier.has(ref);
    };
    const isSlot = (expression: string) => AUTH_SLOT.test(expression) || earlierId(expression);
    const body = compileBody(template, env, earlierId, at, `crm_config.payload_templates.${name}`);
    const create = compileEndpoint(endpointName, endpoint, env, isSlot, at, issues);
    const endpoints: RecordEndpoints = { config, env, isSlot, at, issues };
    const find = compileFind(name, endpoints);
    if (find) used.add(find.name);
    const update = find ? compileUpdate(name, endpoints) : undefined;
    if (update) used.add(update.name);
    if (method === undefined || create === undefined) return [];
    return [{ name, create, method, find, update, body }];
  });
  for (const name of Object.keys(config.endpoints)) {
    if (!used.has(name)) {
      issues.warn(
        `crm_config.endpoints.${name}`,
        'no payload template is sent to this endpoint, so it is never called',
      );
    }
  }
  const triggers = compileTriggers(config.workflow_triggers, 'crm_config.workflow_triggers', env, issues);

  return (event, scope) => {
    const operations = requests.map((request, index) => {
      const create = request.create.render(scope).request;
      const body = request.body(scope);
      const found = request.find?.render(scope);
      const find = found?.values.every(given) ? found.request : undefined;
      const payload: CustomRequestPayload = {
        endpoint: request.create.name,
        method: request.method,
        ...create,
        body: body.body,
        body_slots: body.slots,
        response_id_path: request.create.endpoint.response_id_path,
        ...(find === undefined || request.find === undefined
          ? {}
          : {
              find: {
                endpoint: request.find.name,
                path: find.path,
                headers: find.headers,
                response_id_path: request.find.endpoint.response_id_path,
              },
            }),
        ...(find === undefined || request.update === undefined
          ? {}
          : {
              update: {
                endpoint: request.update.name,
                method: request.update.method,
                ...request.update.render(scope).request,
              },
            }),
      };
      return operation(request.name, 'custom_request', request.create.name, payload, {
        link_to: index > 0 ? (requests[0]?.name ?? null) : null,
      });
    });
    const fired = triggers.fired(scope);
    for (const action of leadActions(event, fired)) {
      operations.push(workflowOperation(action, 'workflow', null));
    }
    return { operations, triggered: fired.map((trigger) => trigger.name) };
  };
}
