import type { CrmConfig } from '../config/tenants/crm-config.js';
import { compileCustomCommand } from '../crm/custom/command-mapping.js';
import { compileHubSpotCommand } from '../crm/hubspot/command-mapping.js';
import { compileMondayCommand } from '../crm/monday/command-mapping.js';
import { compilePipedriveCommand } from '../crm/pipedrive/command-mapping.js';
import { compileSalesforceCommand } from '../crm/salesforce/command-mapping.js';
import { compileZohoCommand } from '../crm/zoho/command-mapping.js';
import type { CommandBuilder } from './command-builder.js';
import type { MappingIssues } from './mapping-issues.js';

/** Each CRM's mapping rules, one line per CRM; the rules themselves live in src/crm/<name>/command-mapping.ts. */
export function compileCommandBuilder(config: CrmConfig, issues: MappingIssues): CommandBuilder {
  switch (config.type) {
    case 'hubspot':
      return compileHubSpotCommand(config, issues);
    case 'salesforce':
      return compileSalesforceCommand(config, issues);
    case 'pipedrive':
      return compilePipedriveCommand(config, issues);
    case 'monday':
      return compileMondayCommand(config, issues);
    case 'zoho':
      return compileZohoCommand(config, issues);
    case 'custom':
      return compileCustomCommand(config, issues);
  }
}
