/** How the gateway keeps a transcript within what one Kafka record can hold. */
export interface TranscriptLimit {
  maxTranscriptChars: number;
  /** Told when a transcript was cut, for the metric. */
  onTruncated(field: 'transcription'): void;
}

/**
 * A transcript longer than the limit keeps its beginning (where a caller says what they want) and
 * ends with a marker saying how much was cut: the lead still reaches the CRM, and whoever reads it
 * knows the text is incomplete. Cut between UTF-16 surrogates never.
 */
export function limitTranscript(text: string | null, limit: TranscriptLimit | undefined): string | null {
  if (text === null || limit === undefined || text.length <= limit.maxTranscriptChars) return text;
  let end = limit.maxTranscriptChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  limit.onTruncated('transcription');
  return `${text.slice(0, end)} [transcript truncated by leadstream: ${text.length - end} characters removed]`;
}
