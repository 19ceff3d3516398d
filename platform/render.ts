// Renders `${NAME}` placeholders in a config template. A placeholder left without a value is an error,
// so a renamed variable never ships a half-rendered config.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type Vars = Readonly<Record<string, string | number>>;

export function renderText(template: string, vars: Vars, source = 'template'): string {
  const rendered = template.replace(/\$\{([A-Z0-9_]+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`${source}: no value for placeholder ${whole}`);
    return String(value);
  });
  return rendered;
}

export function renderFile(templatePath: string, outPath: string, vars: Vars): string {
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, renderText(readFileSync(templatePath, 'utf8'), vars, templatePath));
  return outPath;
}
