import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from './ast.js';
import type { TemplateLoader } from './context.js';
import type { LexOptions } from './jinja-lexer.js';
import { parseTemplate } from './jinja-parser.js';

/** Jinja's FileSystemLoader: "a/b.j2" under each directory; ".." is never allowed. */
export function fileLoader(dirs: string[], opts: LexOptions): TemplateLoader {
  const parsed = new Map<string, Node[]>();
  return {
    load(name) {
      const pieces = name.split('/').filter((p) => p && p !== '.');
      if (pieces.includes('..')) return undefined;
      for (const dir of dirs) {
        const path = join(dir, ...pieces);
        if (!existsSync(path) || !statSync(path).isFile()) continue;
        let nodes = parsed.get(path);
        if (!nodes) {
          try {
            nodes = parseTemplate(readFileSync(path, 'utf8'), opts);
          } catch (err) {
            (err as { templateFile?: string }).templateFile ??= name;
            throw err;
          }
          parsed.set(path, nodes);
        }
        return nodes;
      }
      return undefined;
    },
  };
}
