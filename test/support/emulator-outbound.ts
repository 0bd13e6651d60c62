import { OutboundGuard } from '../../src/outbound/outbound-guard.js';
import { OutboundPolicy } from '../../src/outbound/outbound-policy.js';

/**
 * The outbound guard of tests whose CRMs, CallRail fake and LLM servers listen on 127.0.0.1: that host
 * allowed, as a deployment allows its on-premises CRM, and nothing else (the metadata address, other
 * private ranges and plain http elsewhere stay refused). One for a test process's clients, as a
 * leadstream process has one.
 */
export const emulatorOutbound = new OutboundGuard(OutboundPolicy.parse('127.0.0.1'));
