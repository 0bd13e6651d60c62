import { actionsOf, type CommandBuilder, isLead, operation } from '../../mapping/command-builder.js';
import type { ExpressionScope } from '../../mapping/expressions/compile-expression.js';
import { mappingEnvironment } from '../../mapping/mapping-environment.js';
import type { MappingIssues } from '../../mapping/mapping-issues.js';
import { compileTemplate, compileTemplateTree, type TemplateJson } from '../../mapping/templates.js';
import { compileTriggers } from '../../mapping/workflow-triggers.js';
import type { CustomCrmConfig, CustomEndpoint } from './config.js';
import type { CustomRequestPayload } from './payloads.js';

const AUTH_PLACEHOLDER = /^auth\.(token|username|password|key)$/;
const REF_PLACEHOLDER = /^([a-z][a-z0-9_]*)\.id$/;
const AUTH_IN_TEXT = /\{\{\s*auth\.(token|username|password|key)\s*\}\}/;
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

type Render = (scope: ExpressionScope) => unknown;
type At = <T>(path: string, step: () => T) => T | undefined;
type SendMethod = CustomRequestPayload['method'];

/** An endpoint's path and headers, compiled; call values in the path written as `write` says. */
function compileEndpoint(
  name: string,
  endpoint: CustomEndpoint,
  env: ReturnType<typeof mappingEnvironment>,
  isDeferred: (expression: string) => boolean,
  at: At,
  write?: (value: string) => string,
) {
  const path = at(`crm_config.endpoints.${name}.path`, () =>
    compileTemplate(endpoint.path, env, { isDeferred, ...(write === undefined ? {} : { write }) }),
  );
  const headers = Object.entries(endpoint.headers).flatMap(([header, value]) => {
    const render = at(`crm_config.endpoints.${name}.headers.${header}`, () =>
      compileTemplate(value, env, { isDeferred }),
    );
    return render ? [[header, render] as const] : [];
  });
  const render = (scope: ExpressionScope) => ({
    path: String(path?.(scope) ?? endpoint.path),
    headers: Object.fromEntries(headers.map(([header, value]) => [header, String(value(scope) ?? '')])),
  });
  return { name, endpoint, render };
}

/**
 * The `find_<record>` endpoint, and the call values its path names: a find with one of them empty
 * (`/contacts?phone=`) could match any record, so the record is then created without asking.
 */
function compileFind(
  config: CustomCrmConfig,
  record: string,
  env: ReturnType<typeof mappingEnvironment>,
  isDeferred: (expression: string) => boolean,
  at: At,
) {
  const name = `find_${record}`;
  const endpoint = config.endpoints[name];
  if (endpoint === undefined) return undefined;
  const compiled = compileEndpoint(name, endpoint, env, isDeferred, at, encodeURIComponent);
  const inputs = [...endpoint.path.matchAll(PLACEHOLDER)]
    .map((match) => match[1] ?? '')
    .filter((source) => !isDeferred(source))
    .flatMap(
      (source) => at(`crm_config.endpoints.${name}.path`, () => compileTemplate(`{{${source}}}`, env)) ?? [],
    );
  const answerable = (scope: ExpressionScope) =>
    inputs.every((input: Render) => {
      const value = input(scope);
      return value !== null && value !== undefined && String(value) !== '';
    });
  return { ...compiled, answerable };
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
function compileUpdate(
  config: CustomCrmConfig,
  record: string,
  env: ReturnType<typeof mappingEnvironment>,
  isDeferred: (expression: string) => boolean,
  at: At,
  issues: MappingIssues,
) {
  const name = `update_${record}`;
  const endpoint = config.endpoints[name];
  if (endpoint === undefined) return undefined;
  const method = sendMethod(name, endpoint, issues);
  const own = [...endpoint.path.matchAll(PLACEHOLDER)].some(
    (match) => REF_PLACEHOLDER.exec(match[1] ?? '')?.[1] === record,
  );
  if (!own) {
    issues.error(`crm_config.endpoints.${name}.path`, `must name the found record as {{${record}.id}}`);
    return undefined;
  }
  if (method === undefined) return undefined;
  const deferred = (expression: string) => expression === `${record}.id` || isDeferred(expression);
  return { ...compileEndpoint(name, endpoint, env, deferred, at), method };
}

/**
 * Custom REST: one request per payload template, in declared order, to the endpoint named after it.
 * Call data is filled in now; `{{auth.*}}` and `{{<earlier template>.id}}` are left for the adapter,
 * which alone holds the credential and the earlier responses.
 */
export function compileCustomCommand(config: CustomCrmConfig, issues: MappingIssues): CommandBuilder {
  const env = mappingEnvironment(config.value_maps);
  const templates = Object.keys(config.payload_templates);
  const used = new Set<string>();

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
    if (method === undefined) return [];
    const earlier = new Set(templates.slice(0, index));
    const isDeferred = (expression: string) => {
      const ref = REF_PLACEHOLDER.exec(expression)?.[1];
      return AUTH_PLACEHOLDER.test(expression) || (ref !== undefined && earlier.has(ref));
    };
    const at: At = (path, step) => issues.attempt(path, step);
    const body = compileTemplateTree(
      template as TemplateJson,
      env,
      { isDeferred },
      at,
      `crm_config.payload_templates.${name}`,
    );
    const create = compileEndpoint(endpointName, endpoint, env, isDeferred, at);
    const find = compileFind(config, name, env, isDeferred, at);
    if (find) used.add(find.name);
    const update = find ? compileUpdate(config, name, env, isDeferred, at, issues) : undefined;
    if (update) used.add(update.name);
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
      const create = request.create.render(scope);
      const find = request.find?.answerable(scope) ? request.find : undefined;
      const payload: CustomRequestPayload = {
        endpoint: request.create.name,
        method: request.method,
        ...create,
        body: request.body(scope),
        response_id_path: request.create.endpoint.response_id_path,
        ...(find === undefined
          ? {}
          : {
              find: {
                endpoint: find.name,
                ...find.render(scope),
                response_id_path: find.endpoint.response_id_path,
              },
            }),
        ...(find === undefined || request.update === undefined
          ? {}
          : {
              update: {
                endpoint: request.update.name,
                method: request.update.method,
                ...request.update.render(scope),
              },
            }),
      };
      return operation(request.name, 'custom_request', request.create.name, payload, {
        link_to: index > 0 ? (requests[0]?.name ?? null) : null,
      });
    });
    const fired = triggers.fired(scope);
    for (const action of isLead(event) ? actionsOf(fired) : []) {
      operations.push(operation(`workflow_${action}`, 'workflow_action', 'workflow', {}, { action }));
    }
    return { operations, triggered: fired.map((trigger) => trigger.name) };
  };
}
