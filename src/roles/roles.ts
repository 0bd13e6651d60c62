import { LeadstreamError } from '../errors/leadstream-error.js';

/** The processes leadstream runs as; Kubernetes runs each apart, `all` runs them in one process. */
const ROLES = ['gateway', 'enricher', 'mapper', 'delivery', 'notifier'] as const;
export type Role = (typeof ROLES)[number];

export function parseRoles(value: string): Role[] {
  if (value === 'all') return [...ROLES];
  const roles = value.split(',').map((role) => role.trim());
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new LeadstreamError('config_error', `unknown role "${role}": expected all, ${ROLES.join(', ')}`);
    }
  }
  return roles as Role[];
}
