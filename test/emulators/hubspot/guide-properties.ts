import type { PortalState } from './portal-state.js';

const options = (...values: string[]) =>
  values.map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false }));

/**
 * The custom contact properties a tenant creates when following the setup guide (step 3), plus the
 * guide's `lead_source` / `lead_source_detail` mappings, which HubSpot does not define either.
 */
export function defineGuideProperties(portal: PortalState): void {
  const group = 'contactinformation';
  portal.defineProperty('contacts', { name: 'lead_source', type: 'string', groupName: group });
  portal.defineProperty('contacts', { name: 'lead_source_detail', type: 'string', groupName: group });
  portal.defineProperty('contacts', { name: 'call_recording_url', type: 'string', groupName: group });
  portal.defineProperty('contacts', {
    name: 'call_transcript',
    type: 'string',
    fieldType: 'textarea',
    groupName: group,
  });
  portal.defineProperty('contacts', {
    name: 'ai_project_type',
    type: 'enumeration',
    groupName: group,
    options: options('kitchen', 'bathroom', 'whole_home', 'addition', 'unknown'),
  });
  portal.defineProperty('contacts', {
    name: 'ai_timeline',
    type: 'enumeration',
    groupName: group,
    options: options('immediate', '1-3_months', '3-6_months', '6+_months', 'unknown'),
  });
  portal.defineProperty('contacts', { name: 'ai_lead_score', type: 'number', groupName: group });
  portal.defineProperty('contacts', { name: 'call_duration', type: 'number', groupName: group });
}
