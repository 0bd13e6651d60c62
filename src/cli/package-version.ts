import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LeadstreamError } from '../errors/leadstream-error.js';

const manifestSchema = z.object({ name: z.literal('leadstream'), version: z.string().min(1) });

/**
 * leadstream's version from its package.json, found upward from here: two levels above src/cli/ under
 * tsx, three above dist/src/cli/ once built, and the one the Docker image copies beside dist/.
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (manifest.success) return manifest.data.version;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new LeadstreamError('config_error', "leadstream's package.json not found above its installation");
    }
    dir = parent;
  }
}
