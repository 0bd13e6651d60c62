import { loadSettings } from '../../config/settings.js';
import { createLogger } from '../../observability/logger.js';
import { parseRoles } from '../../roles/roles.js';
import { startLeadstream } from '../../roles/runtime.js';
import { defineCommand } from '../define-command.js';

const usage = `usage: leadstream run [--role all|gateway|enricher|mapper|delivery[,...]]

Runs leadstream's roles in this process until SIGTERM or SIGINT. Settings come from the environment
(KAFKA_BROKERS, LEADSTREAM_REGISTRY_URL, TENANT_CONFIG_DIR, GATEWAY_PORT, OPS_PORT, ...: see README).`;

export const runCommand = defineCommand({
  name: 'run',
  summary: 'run pipeline roles (gateway, enricher, mapper, delivery, or all)',
  usage,
  options: { role: { type: 'string', default: 'all' } },
  positionals: false,
  async run({ values }, io) {
    const settings = loadSettings();
    const logger = createLogger({ level: settings.LOG_LEVEL });
    const running = await startLeadstream(settings, parseRoles(values.role), { logger });
    io.stdout.write(
      `leadstream running: roles ${running.roles.join(', ')}; ops ${running.opsUrl}` +
        (running.gatewayUrl ? `; gateway ${running.gatewayUrl}` : '') +
        '\n',
    );
    await new Promise<void>((resolve) => {
      let stopping = false;
      const shutdown = (signal: NodeJS.Signals) => {
        // A second signal (a supervisor repeating itself) must not cut the drain short: the deadline
        // below is what bounds it.
        if (stopping) return;
        stopping = true;
        logger.info({ workflow_step: 'shutdown', signal }, 'signal received');
        const deadline = setTimeout(() => {
          logger.error(
            { workflow_step: 'shutdown', status: 'timeout' },
            'graceful shutdown timed out; exiting',
          );
          process.exit(1);
        }, settings.SHUTDOWN_TIMEOUT_MS);
        deadline.unref();
        running.stop().then(resolve, (error: unknown) => {
          logger.error({ workflow_step: 'shutdown', err: error }, 'shutdown failed');
          resolve();
        });
      };
      process.on('SIGTERM', shutdown);
      process.on('SIGINT', shutdown);
    });
    return 0;
  },
});
