import { LeadstreamError } from '../../errors/leadstream-error.js';
import { type ConnectivityAdvice, connectivityCheck } from '../connectivity-result.js';
import { type PipedriveClient, PipedriveClientFactory } from './client-factory.js';
import { PIPEDRIVE_PERSON_FIELDS, type PipedriveCrmConfig } from './config.js';
import { callPipedrive } from './error-classification.js';
import { FieldCatalog, findField, type PipedriveCall } from './field-catalog.js';
import type { FieldEntity } from './field-values.js';

const ADVICE: ConnectivityAdvice = {
  crm_auth_error:
    'Pipedrive refused the API token: check crm_config.api_token (Settings → Personal preferences → API)',
  crm_unavailable:
    'Pipedrive could not be reached: check crm_config.company_domain (or api_base_url) and the network',
  crm_rate_limited:
    "Pipedrive is rate-limiting this company's token right now: the token works, try again shortly",
  crm_not_found: 'Pipedrive answered that the API address does not exist: check crm_config.company_domain',
  secret_error: 'the API token could not be read from its secret reference',
};

/** field_mappings names that are standard v2 person parameters; any other is a custom field by name. */
const STANDARD_PERSON_FIELDS = new Set<string>(
  PIPEDRIVE_PERSON_FIELDS.filter((name) => name !== 'lead_source'),
);

/** Configured custom field names by entity: what deliveries resolve through personFields/dealFields. */
function configuredCustomFields(config: PipedriveCrmConfig): Array<[FieldEntity, string]> {
  return [
    ...Object.keys(config.field_mappings)
      .filter((name) => !STANDARD_PERSON_FIELDS.has(name))
      .map((name): [FieldEntity, string] => ['person', name]),
    ...Object.keys(config.custom_fields).map((name): [FieldEntity, string] => ['person', name]),
    ...Object.keys(config.deal_custom_fields).map((name): [FieldEntity, string] => ['deal', name]),
  ];
}

/** What is wrong with the configured pipeline and stage, if anything. */
async function pipelineProblem(
  client: PipedriveClient,
  config: PipedriveCrmConfig,
  call: PipedriveCall,
): Promise<string | undefined> {
  const absent = async (run: () => Promise<unknown>, what: string) => {
    try {
      await call(what, run);
      return false;
    } catch (error) {
      if (error instanceof LeadstreamError && error.type === 'crm_not_found') return true;
      throw error;
    }
  };
  const { pipeline_id: pipelineId, stage_id: stageId } = config;
  if (
    pipelineId !== undefined &&
    (await absent(() => client.pipelines.getPipeline({ id: pipelineId }), 'pipelines.get'))
  ) {
    return `pipeline_id ${pipelineId} is no pipeline of this company`;
  }
  if (stageId === undefined) return undefined;
  let stagePipeline: number | undefined;
  const missing = await absent(async () => {
    stagePipeline = (await client.stages.getStage({ id: stageId })).data?.pipeline_id;
  }, 'stages.get');
  if (missing) return `stage_id ${stageId} is no stage of this company`;
  if (pipelineId !== undefined && stagePipeline !== undefined && stagePipeline !== pipelineId) {
    return `stage_id ${stageId} belongs to pipeline ${stagePipeline}, not to pipeline_id ${pipelineId}`;
  }
  return undefined;
}

/**
 * The guide's "Pipedrive test" for leadstream: `GET /v1/users/me` with the tenant's token, then what
 * would otherwise fail every delivery: the configured pipeline and stage, and each configured custom
 * field name among the company's person and deal fields.
 */
export const checkPipedriveConnectivity = connectivityCheck<PipedriveCrmConfig>(
  'Pipedrive',
  ADVICE,
  async (target) => {
    const { tenantId, config, secrets, ...options } = target;
    const client = await new PipedriveClientFactory({ requestTimeoutMs: options.timeoutMs }).clientFor(
      tenantId,
      config,
      secrets,
      options.outbound,
    );
    const call: PipedriveCall = (operation, run) => callPipedrive(operation, run, { clock: options.clock });
    const me = await call('users.me', () => client.users.getCurrentUser());
    const company = me.data?.company_name ?? 'the company';
    const problem = await pipelineProblem(client, config, call);
    if (problem !== undefined) {
      return {
        ok: false,
        message: `Pipedrive accepted the token for ${company}, but ${problem}: fix crm_config`,
      };
    }
    const catalog = new FieldCatalog();
    const fields = {
      person: await catalog.definitions({ client, tenantId, entity: 'person', call }),
      deal: await catalog.definitions({ client, tenantId, entity: 'deal', call }),
    };
    const missing = configuredCustomFields(config).filter(
      ([entity, name]) => !findField(fields[entity], name),
    );
    if (missing.length > 0) {
      const names = missing.map(([entity, name]) => `${name} (${entity})`).join(', ');
      return {
        ok: false,
        message: `Pipedrive accepted the token for ${company}, but has no custom field ${names}: create ${missing.length > 1 ? 'them' : 'it'} in Pipedrive or fix the mapping`,
      };
    }
    return {
      ok: true,
      message: `Pipedrive accepted the token for ${company}; the pipeline, stage and every configured custom field exist`,
    };
  },
);
