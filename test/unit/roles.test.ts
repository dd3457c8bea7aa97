import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** The role exists twice: roles.yml (file realm) and role_json in the script (security API on Docker/ES_URL). */
describe('kdw_worker role', () => {
  it('grants the same in roles.yml and in scripts/elasticsearch.sh', () => {
    const yml = readFileSync(join(root, 'config', 'elasticsearch', 'roles.yml'), 'utf8');
    const script = readFileSync(join(root, 'scripts', 'elasticsearch.sh'), 'utf8');
    const jsonText = /role_json\(\) \{\n\s*cat <<'EOF'\n([\s\S]*?)\nEOF/.exec(script)?.[1];
    expect(jsonText).toBeDefined();
    const role = JSON.parse(jsonText ?? '{}') as {
      cluster: string[];
      indices: { names: string[]; privileges: string[] }[];
    };

    const lines = yml.split('\n').filter((l) => !l.trim().startsWith('#'));
    const cluster = lines.filter((l) => /^ {4}- [a-z_]+$/.test(l)).map((l) => l.trim().slice(2));
    const indices = [...yml.matchAll(/names: (\[.*\])\n\s+privileges: (\[.*\])/g)].map((m) => ({
      names: JSON.parse((m[1] ?? '').replaceAll("'", '"')) as string[],
      privileges: JSON.parse((m[2] ?? '').replaceAll("'", '"')) as string[],
    }));
    expect(cluster).toEqual(role.cluster);
    expect(indices).toEqual(role.indices);
  });
});
