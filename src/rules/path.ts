/** A key path inside a TOML document: table keys and array indices. */
export type PathSegment = string | number;
export type KeyPath = readonly PathSegment[];

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** `rule.threat[0].tactic.id`; keys that are not bare TOML keys are quoted: `query.match_phrase."event.category"`. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = BARE_KEY.test(seg) ? seg : JSON.stringify(seg);
      out += out === '' ? key : `.${key}`;
    }
  }
  return out;
}
