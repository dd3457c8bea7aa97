import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Dockerfile and .dockerignore, read as text (no Docker engine here to build them). */
const root = join(__dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}
interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

/** Instructions by stage; comments dropped, `\` continuation lines joined. */
function stages(text: string): Stage[] {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const out: Stage[] = [];
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      out.push({ from: m?.[1] ?? args, name: m?.[2], instructions: [] });
      continue;
    }
    const stage = out[out.length - 1];
    if (stage === undefined) throw new Error(`Dockerfile: ${keyword} before FROM`);
    stage.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return out;
}

const all = stages(read('Dockerfile'));
const runtime = all[all.length - 1] as Stage;
const of = (stage: Stage, keyword: string): string[] =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('is multi-stage: a build stage and a runtime stage, both Node 20 on Debian slim', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all) expect(stage.from).toMatch(/^node:20(\.[\d.]+)?-(bookworm-)?slim$/);
    const build = all[0] as Stage;
    expect(build.name).toBe('build');
    expect(of(build, 'RUN').join('\n')).toMatch(/^npm ci\b/m);
    expect(of(build, 'RUN').join('\n')).toMatch(/npm run build/);
  });

  it('installs only the production dependencies in the runtime stage', () => {
    const runs = of(runtime, 'RUN');
    expect(runs.some((r) => /\bnpm ci\b[^&]*--omit=dev/.test(r))).toBe(true);
    // no other install that could bring dev dependencies back
    for (const r of runs) {
      for (const install of r.match(/\bnpm (ci|install|i)\b[^&]*/g) ?? [])
        expect(install).toContain('--omit=dev');
    }
  });

  it('copies the compiled code, the rules and the configuration, and no sources', () => {
    const copies = of(runtime, 'COPY');
    expect(copies).toContain('--from=build /build/dist/src dist/src');
    expect(copies).toContain('rules/ rules/');
    expect(copies).toContain('config/ config/');
    for (const c of copies) {
      expect(c).not.toMatch(/^(\S+ )*(src|test|scripts|bench)\/? /);
      expect(c).not.toMatch(/^\. /);
    }
    // every local source of a COPY exists (a typo would only show when someone builds)
    for (const stage of all) {
      for (const c of of(stage, 'COPY')) {
        if (c.startsWith('--from=')) continue;
        const parts = c.split(' ').filter((p) => !p.startsWith('--'));
        for (const src of parts.slice(0, -1)) {
          expect({ src, exists: existsSync(join(root, src)) }).toEqual({ src, exists: true });
        }
      }
    }
  });

  it('runs as a non-root user', () => {
    const users = of(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1] ?? '';
    expect(user.split(':')[0]).not.toMatch(/^(root|0)$/);
    // the user exists in the image
    const uid = user.split(':')[0] ?? '';
    expect(of(runtime, 'RUN').join('\n')).toMatch(new RegExp(`useradd .*--uid ${uid}\\b`));
    // and it is the last USER: nothing after it switches back
    const lastUser = runtime.instructions.map((i) => i.keyword).lastIndexOf('USER');
    expect(runtime.instructions.slice(lastUser + 1).map((i) => i.keyword)).not.toContain('RUN');
  });

  it('starts `kdw run` by default', () => {
    expect(of(runtime, 'ENTRYPOINT')).toEqual(['["node", "dist/src/cli/main.js"]']);
    expect(of(runtime, 'CMD')).toEqual(['["run"]']);
    expect(of(runtime, 'WORKDIR')).toEqual(['/app']);
    expect(JSON.parse(read('package.json')).bin.kdw).toBe('dist/src/cli/main.js');
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, caches, build output, history and secrets out of the build context', () => {
    const entries = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    for (const e of ['node_modules', '.cache', '.kdw', 'dist', 'coverage', '.git', '.env']) {
      expect(entries).toContain(e);
    }
  });
});
