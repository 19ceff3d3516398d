// Prometheus file-based discovery: a process writes `<targets dir>/<job>.json` when it listens and
// removes it when it stops; Prometheus (file_sd, 5 s refresh) scrapes what is there. A process with two
// endpoints of the same job (a worker's /metrics and its Temporal SDK exporter) names the second file.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statePaths } from './paths.ts';

export function writeScrapeTarget(
  job: string,
  host: string,
  port: number,
  dir: string = statePaths.scrapeTargets,
  name: string = job,
): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify([{ targets: [`${host}:${port}`], labels: { job } }], null, 2)}\n`);
  renameSync(tmp, file); // atomic: Prometheus never reads half a file
  return file;
}

export function removeScrapeTarget(file: string): void {
  rmSync(file, { force: true });
}
