import type { Client, estypes } from '@elastic/elasticsearch';
import { KdwError } from '../errors';
import { toEsError } from '../es/errors';

/** What kdw needs: the cluster privileges and, per index or pattern, the index privileges, with the reason. */
export interface RequiredPrivileges {
  readonly cluster: readonly string[];
  readonly indices: readonly {
    readonly names: readonly string[];
    readonly privileges: readonly string[];
    /** why, e.g. "rule X searches it", "kdw writes alerts there" */
    readonly why: string;
  }[];
}

export interface MissingPrivilege {
  readonly privilege: string;
  /** undefined for a cluster privilege */
  readonly index?: string;
  readonly why: string;
}

/** A privilege kdw needs is missing: the message names each index and privilege. Not retryable. */
export class MissingPrivilegesError extends KdwError {
  readonly missing: readonly MissingPrivilege[];
  constructor(user: string, missing: readonly MissingPrivilege[]) {
    const lines = missing.map((m) =>
      m.index === undefined
        ? `cluster privilege ${m.privilege} (${m.why})`
        : `privilege ${m.privilege} on index ${m.index} (${m.why})`,
    );
    super('missing_privileges', `user ${user} lacks ${missing.length} privilege(s): ${lines.join('; ')}`, {
      user,
      indices: [...new Set(missing.flatMap((m) => (m.index === undefined ? [] : [m.index])))],
      privileges: [...new Set(missing.map((m) => m.privilege))],
    });
    this.missing = missing;
  }
}

/** The missing privileges in a _has_privileges answer (pure). */
export function missingPrivileges(
  required: RequiredPrivileges,
  answer: Pick<estypes.SecurityHasPrivilegesResponse, 'cluster' | 'index'>,
): MissingPrivilege[] {
  const missing: MissingPrivilege[] = [];
  for (const privilege of required.cluster) {
    if (answer.cluster[privilege] !== true)
      missing.push({ privilege, why: 'kdw manages its index templates' });
  }
  const seen = new Set<string>();
  for (const group of required.indices) {
    for (const index of group.names) {
      for (const privilege of group.privileges) {
        const key = `${index}\u0000${privilege}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (answer.index[index]?.[privilege] !== true) missing.push({ privilege, index, why: group.why });
      }
    }
  }
  return missing;
}

/**
 * Asks Elasticsearch (`_security/user/_has_privileges`) whether kdw's user has every privilege it needs, and
 * throws a MissingPrivilegesError naming the index and the privilege when not.
 */
export async function checkPrivileges(client: Client, required: RequiredPrivileges): Promise<void> {
  const byName = new Map<string, Set<string>>();
  for (const group of required.indices)
    for (const name of group.names) {
      const set = byName.get(name) ?? new Set<string>();
      group.privileges.forEach((p) => set.add(p));
      byName.set(name, set);
    }
  let answer: estypes.SecurityHasPrivilegesResponse;
  try {
    answer = await client.security.hasPrivileges({
      cluster: [...required.cluster],
      index: [...byName].map(([name, privileges]) => ({ names: [name], privileges: [...privileges] })),
    });
  } catch (err) {
    throw toEsError(err, 'check privileges (_security/user/_has_privileges)');
  }
  const missing = missingPrivileges(required, answer);
  if (missing.length > 0) throw new MissingPrivilegesError(answer.username, missing);
}
