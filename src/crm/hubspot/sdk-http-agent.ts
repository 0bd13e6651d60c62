import type { Agent } from 'node:http';
import { ApiClientConfigurator } from '@hubspot/api-client/lib/src/configuration/ApiClientConfigurator.js';
import { OutboundRefusal } from '../../outbound/outbound-refusal.js';

interface RequestContext {
  /** node-fetch's `agent` option, which may be a function of each URL it connects to. */
  setAgent(agent: Agent | ((url: unknown) => Agent)): void;
}

type ServerConfigurationClass = new (
  url: string,
  variables: Record<string, string>,
) => { makeRequestContext(endpoint: string, method: unknown): RequestContext };

interface Configurator {
  getBaseServer(
    config: { basePath?: string; httpAgent?: Agent },
    serverConfiguration: ServerConfigurationClass,
  ): { baseServer?: InstanceType<ServerConfigurationClass> };
}

let installed = false;

/**
 * Makes the SDK connect through the `httpAgent` a Client is given. The SDK (13.5) takes one, but puts
 * it on requests in a configured middleware, and its generated APIs run only the middleware passed per
 * call: the agent is ignored and every request uses Node's global agent, which the outbound guard is not.
 * The agent is put on each request where the SDK makes it instead, in the server configuration every API
 * of a Client is built with. Applies to every Client of the process; ours all set an agent. The SDK's
 * node-fetch follows redirects and has no option to stop; it asks for the agent once for each request it
 * sends, so a second ask is a redirect being followed, and is refused.
 */
export function honourHubSpotHttpAgent(): void {
  if (installed) return;
  installed = true;
  const configurator = ApiClientConfigurator as unknown as Configurator;
  configurator.getBaseServer = (config, ServerConfiguration) => {
    if (!config.basePath) return {};
    const agent = config.httpAgent;
    const host = new URL(config.basePath).hostname;
    class AgentServerConfiguration extends ServerConfiguration {
      override makeRequestContext(endpoint: string, method: unknown): RequestContext {
        const context = super.makeRequestContext(endpoint, method);
        if (agent) {
          let sent = false;
          context.setAgent(() => {
            if (sent)
              throw new OutboundRefusal('HubSpot answered with a redirect, which is not followed', host);
            sent = true;
            return agent;
          });
        }
        return context;
      }
    }
    return { baseServer: new AgentServerConfiguration(config.basePath, {}) };
  };
}
