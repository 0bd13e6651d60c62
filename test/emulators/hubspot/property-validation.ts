import { invalidInput, type PropertyValueError, propertyValuesNotValid } from './hubspot-errors.js';
import type { ObjectType, PortalState, PropertyDefinition } from './portal-state.js';

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DAY_MS = 86_400_000;

/** HubSpot reads numbers and booleans sent as JSON values as their text. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

function optionValues(
  portal: PortalState,
  definition: PropertyDefinition,
  incoming: Record<string, unknown>,
): string[] {
  switch (definition.name) {
    case 'hubspot_owner_id':
      return portal.owners.map((o) => o.id);
    case 'pipeline':
      return portal.pipelines.map((p) => p.id);
    case 'dealstage': {
      const pipelineId = asText(incoming.pipeline) ?? 'default';
      return portal.pipelines.find((p) => p.id === pipelineId)?.stages.map((s) => s.id) ?? [];
    }
    default:
      return definition.options.map((o) => o.value);
  }
}

function checkValue(
  portal: PortalState,
  definition: PropertyDefinition,
  text: string,
  incoming: Record<string, unknown>,
): { value: string } | { problem: Omit<PropertyValueError, 'name'> } {
  const { name } = definition;
  if (definition.calculated) {
    return {
      problem: {
        error: 'READ_ONLY_VALUE',
        message: `"${name}" is a calculated property; its value cannot be set.`,
      },
    };
  }
  if (name === 'email') {
    return EMAIL.test(text)
      ? { value: text.toLowerCase() }
      : {
          problem: {
            error: 'INVALID_EMAIL',
            message: `Email address ${text} is invalid`,
            propertyValue: text,
          },
        };
  }
  switch (definition.type) {
    case 'string':
      return { value: text };
    case 'number':
      return NUMBER.test(text)
        ? { value: text }
        : {
            problem: {
              error: 'INVALID_INTEGER',
              message: `${text} was not a valid number.`,
              propertyValue: text,
            },
          };
    case 'bool':
      return text === 'true' || text === 'false'
        ? { value: text }
        : {
            problem: {
              error: 'INVALID_BOOLEAN',
              message: `${text} was not a valid boolean.`,
              propertyValue: text,
            },
          };
    case 'enumeration': {
      const allowed = optionValues(portal, definition, incoming);
      const chosen = definition.fieldType === 'checkbox' ? text.split(';') : [text];
      return chosen.every((v) => allowed.includes(v))
        ? { value: text }
        : {
            problem: {
              error: 'INVALID_OPTION',
              message: `${text} was not one of the allowed options: [${allowed.join(', ')}]`,
              propertyValue: text,
            },
          };
    }
    case 'date': {
      if (DATE_ONLY.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`))) return { value: text };
      if (/^\d+$/.test(text)) {
        const ms = Number(text);
        return ms % DAY_MS === 0
          ? { value: new Date(ms).toISOString().slice(0, 10) }
          : {
              problem: {
                error: 'INVALID_DATE',
                message: `${text} is at ${new Date(ms).toISOString()}, which is not midnight UTC.`,
                propertyValue: text,
              },
            };
      }
      return {
        problem: { error: 'INVALID_DATE', message: `${text} was not a valid date.`, propertyValue: text },
      };
    }
    case 'datetime': {
      const ms = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
      return Number.isNaN(ms)
        ? {
            problem: { error: 'INVALID_LONG', message: `${text} was not a valid long.`, propertyValue: text },
          }
        : { value: new Date(ms).toISOString() };
    }
  }
}

/**
 * Checks a write's properties against the portal's definitions as HubSpot does: every invalid one is
 * listed in a single 400. Returns the values as HubSpot stores them (strings; '' clears a value).
 */
export function validateProperties(
  portal: PortalState,
  objectType: ObjectType,
  incoming: unknown,
): Record<string, string> {
  if (incoming === null || typeof incoming !== 'object' || Array.isArray(incoming)) {
    throw invalidInput('properties must be an object');
  }
  const input = incoming as Record<string, unknown>;
  const problems: PropertyValueError[] = [];
  const stored: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input)) {
    const definition = portal.properties[objectType].get(name);
    if (!definition) {
      problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (raw === null) {
      stored[name] = '';
      continue;
    }
    const text = asText(raw);
    if (text === undefined) {
      throw invalidInput(`property ${name} must be a string, number or boolean`);
    }
    if (text === '') {
      stored[name] = '';
      continue;
    }
    const checked = checkValue(portal, definition, text, input);
    if ('problem' in checked) problems.push({ name, ...checked.problem });
    else stored[name] = checked.value;
  }
  if (problems.length > 0) throw propertyValuesNotValid(problems, portal.portalId);
  return stored;
}
