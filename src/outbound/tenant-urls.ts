import type { TenantConfig } from '../config/tenants/tenant-config.js';
import type { ConfigIssue } from '../config/validation-issues.js';
import type { OutboundPolicy } from './outbound-policy.js';

/** Every URL a tenant's configuration makes leadstream call, by the JSON path that sets it. */
function tenantUrls(config: TenantConfig): Array<{ path: string; url: string }> {
  const urls: Array<{ path: string; url: string | undefined }> = [
    { path: 'callrail.api_base_url', url: config.callrail?.api_base_url },
    { path: 'analysis.llm.base_url', url: config.analysis.llm?.base_url },
  ];
  const crm = config.crm_config;
  const at = (key: string, url: string | undefined) => urls.push({ path: `crm_config.${key}`, url });
  switch (crm.type) {
    case 'hubspot':
      at('base_url', crm.base_url);
      break;
    case 'salesforce':
      at('instance_url', crm.instance_url);
      at('login_url', crm.login_url);
      break;
    case 'pipedrive':
      // company_domain is called only when api_base_url does not replace it.
      if (crm.api_base_url === undefined) at('company_domain', `https://${crm.company_domain}`);
      else at('api_base_url', crm.api_base_url);
      break;
    case 'monday':
      at('api_url', crm.api_url);
      break;
    case 'zoho':
      at('accounts_url', crm.accounts_url);
      at('api_domain', crm.api_domain);
      break;
    case 'custom':
      at('api_base_url', crm.api_base_url);
      if (crm.authentication.type === 'oauth2_client_credentials')
        at('authentication.token_url', crm.authentication.token_url);
      break;
  }
  config.notifications?.channels.forEach((channel, index) => {
    const path = `notifications.channels[${index}]`;
    if (channel.type === 'webhook') urls.push({ path: `${path}.url`, url: channel.url });
    // A secret reference's URL is checked when it is resolved, at send time.
    if (channel.type === 'slack' && !channel.webhook_url.startsWith('secret:'))
      urls.push({ path: `${path}.webhook_url`, url: channel.webhook_url });
  });
  urls.push({ path: 'notifications.sms.api_base_url', url: config.notifications?.sms?.api_base_url });
  return urls.flatMap(({ path, url }) => (url === undefined ? [] : [{ path, url }]));
}

/**
 * The tenant's URLs the deployment's outbound policy refuses, located like every other configuration
 * issue, so that `tenants validate` run with the deployment's settings says what the deployment would call.
 */
export function outboundUrlIssues(config: TenantConfig, policy: OutboundPolicy): ConfigIssue[] {
  return tenantUrls(config).flatMap(({ path, url }) => {
    const refusal = policy.urlRefusal(url);
    return refusal === undefined ? [] : [{ path, message: refusal }];
  });
}
