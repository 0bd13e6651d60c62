/** Attribution keys copied into RawCall.marketing when a source sends them. */
export const MARKETING_FIELDS = [
  'campaign',
  'medium',
  'keywords',
  'landing_page_url',
  'referring_url',
  'referrer',
  'form_url',
  'gclid',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const;
