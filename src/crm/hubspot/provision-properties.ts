import type { Client } from '@hubspot/api-client';
import type { HubSpotCrmConfig } from '../../config/tenants/crm-config.js';
import type { Clock } from '../../time/clock.js';
import { callHubSpot } from './error-classification.js';
import { CALL_INFORMATION_GROUP, contactPropertyFor } from './property-definitions.js';

export interface ProvisionReport {
  group: 'created' | 'existing';
  created: string[];
  existing: string[];
  /** Properties that exist with another definition: left as they are, for a person to decide. */
  conflicts: Array<{ name: string; reason: string }>;
  /** Enumerations with no known values: HubSpot refuses an enumeration without options. */
  skipped: Array<{ name: string; reason: string }>;
}

/**
 * Creates the property group and every contact property the tenant's mapping writes to that the portal
 * lacks: the configured custom properties, and field_mappings targets that are not standard. Idempotent: existing properties are left alone, and those whose type differs from what the
 * mapping sends are reported, never changed (other tools may depend on them).
 */
export async function provisionContactProperties(
  client: Client,
  config: HubSpotCrmConfig,
  options: { clock: Clock; timeoutMs: number },
): Promise<ProvisionReport> {
  const report: ProvisionReport = {
    group: 'existing',
    created: [],
    existing: [],
    conflicts: [],
    skipped: [],
  };
  const groups = await callHubSpot(
    'properties.groups.getAll',
    () => client.crm.properties.groupsApi.getAll('contacts'),
    options,
  );
  if (!groups.results.some((group) => group.name === CALL_INFORMATION_GROUP.name)) {
    await callHubSpot(
      'properties.groups.create',
      () => client.crm.properties.groupsApi.create('contacts', { ...CALL_INFORMATION_GROUP }),
      options,
    );
    report.group = 'created';
  }
  const existing = await callHubSpot(
    'properties.getAll',
    () => client.crm.properties.coreApi.getAll('contacts'),
    options,
  );
  const byName = new Map(existing.results.map((property) => [property.name, property]));
  // A field_mappings target the portal lacks (the guide maps lead_source_detail, which HubSpot does not
  // define) would fail every delivery: it is created as text, like a custom property of type string.
  const mappedTargets = Object.entries(config.field_mappings)
    .filter(([name]) => !byName.has(name))
    .map(([name, value]) => ({
      name,
      value: typeof value === 'string' ? value : '',
      type: 'string' as const,
    }));
  for (const custom of [...config.custom_properties, ...mappedTargets]) {
    const wanted = contactPropertyFor(custom);
    const found = byName.get(wanted.name);
    if (found) {
      if (found.type !== wanted.type) {
        report.conflicts.push({
          name: wanted.name,
          reason: `exists as ${found.type}, the mapping sends ${wanted.type}`,
        });
      } else {
        report.existing.push(wanted.name);
      }
      continue;
    }
    if (wanted.type === 'enumeration' && (wanted.options ?? []).length === 0) {
      report.skipped.push({
        name: wanted.name,
        reason: `no known values for ${custom.value}: create it in HubSpot with its options`,
      });
      continue;
    }
    await callHubSpot(
      'properties.create',
      () => client.crm.properties.coreApi.create('contacts', wanted),
      options,
    );
    report.created.push(wanted.name);
  }
  return report;
}
