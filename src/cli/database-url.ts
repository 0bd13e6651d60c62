import { loadSettings } from '../config/settings.js';

/** The tenant store's URL: --database-url, else DATABASE_URL from the environment as `run` reads it. */
export function databaseUrlOf(option: string | undefined): string | undefined {
  return option ?? loadSettings().DATABASE_URL;
}
