import { actionsOf, type CommandBuilder, isLead, operation } from '../../mapping/command-builder.js';
import { mappingEnvironment } from '../../mapping/mapping-environment.js';
import type { MappingIssues } from '../../mapping/mapping-issues.js';
import { compileTemplate, compileTemplateTree, type TemplateJson } from '../../mapping/templates.js';
import { compileTriggers } from '../../mapping/workflow-triggers.js';
import type { CustomCrmConfig } from './config.js';
import type { CustomRequestPayload } from './payloads.js';

const AUTH_PLACEHOLDER = /^auth\.(token|username|password|key)$/;
const REF_PLACEHOLDER = /^([a-z][a-z0-9_]*)\.id$/;
const AUTH_IN_TEXT = /\{\{\s*auth\.(token|username|password|key)\s*\}\}/;

/** The endpoint a payload template is sent to: `create_<name>`, else one called `<name>`. */
function endpointFor(config: CustomCrmConfig, template: string): string | undefined {
  return [`create_${template}`, template].find((name) => Object.hasOwn(config.endpoints, name));
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
    const earlier = new Set(templates.slice(0, index));
    const isDeferred = (expression: string) => {
      const ref = REF_PLACEHOLDER.exec(expression)?.[1];
      return AUTH_PLACEHOLDER.test(expression) || (ref !== undefined && earlier.has(ref));
    };
    const at = <T>(path: string, step: () => T) => issues.attempt(path, step);
    const body = compileTemplateTree(
      template as TemplateJson,
      env,
      { isDeferred },
      at,
      `crm_config.payload_templates.${name}`,
    );
    const path = at(`crm_config.endpoints.${endpointName}.path`, () =>
      compileTemplate(endpoint.path, env, { isDeferred }),
    );
    const headers = Object.entries(endpoint.headers).flatMap(([header, value]) => {
      const render = at(`crm_config.endpoints.${endpointName}.headers.${header}`, () =>
        compileTemplate(value, env, { isDeferred }),
      );
      return render ? [[header, render] as const] : [];
    });
    return [{ name, endpointName, endpoint, body, path, headers }];
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
      const payload: CustomRequestPayload = {
        endpoint: request.endpointName,
        method: request.endpoint.method,
        path: String(request.path?.(scope) ?? request.endpoint.path),
        headers: Object.fromEntries(
          request.headers.map(([header, render]) => [header, String(render(scope) ?? '')]),
        ),
        body: request.body(scope),
        response_id_path: request.endpoint.response_id_path,
      };
      return operation(request.name, 'custom_request', request.endpointName, payload, {
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
