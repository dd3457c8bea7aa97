import { createHash } from 'node:crypto';

/**
 * The id of a new_terms alert: rule, space, the term values (in field order) and the first-seen time of this
 * occurrence. Unlike Kibana's (which hashes the chosen document, picked by a sort without tiebreaker), it is
 * the same in every overlapping and catch-up run, whichever of several tied documents is the source; and a
 * term that becomes new again after leaving the history window gets a new alert.
 */
export function newTermsAlertId(
  ruleUuid: string,
  space: string,
  values: readonly unknown[],
  firstSeenMs: number,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify(['new_terms', `${space}:${ruleUuid}`, values, new Date(firstSeenMs).toISOString()]),
    )
    .digest('hex');
}

/** A stable key of a combination of values (for maps and sets). */
export function termKey(values: readonly unknown[]): string {
  return JSON.stringify(values);
}
