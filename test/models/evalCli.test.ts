import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/keepup';
import { KDD_DAILY_DIR } from '../sharedData';

const DATA = KDD_DAILY_DIR;

function linkDir(files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kdd-cli-'));
  for (const f of files) fs.symlinkSync(path.join(DATA, f), path.join(dir, f));
  return dir;
}

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'keepup', ...args]);
    return { code: code || Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

describe('keepup eval', () => {
  it('trains on some whole courses, tests on others and prints the JSON line', async () => {
    const train = linkDir(['course_645.csv', 'course_769.csv', 'course_898.csv', 'course_973.csv', 'labels.csv']);
    const test = linkDir(['course_1038.csv']);
    const { code, stdout } = await runCli(['eval', '--dataset', 'kdd-daily', '--train', train, '--test', test, '--model', 'lr', '--json']);
    expect(code).toBe(0);
    const last = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(last).toMatchObject({ model: 'lr', enrollmentsTrain: 645 + 769 + 898 + 973, enrollmentsTest: 1038, coursesTrain: 4, coursesTest: 1 });
    expect(last.auc).toBeGreaterThan(0.8);
    expect(last.aucMeanPerCourse).toBeCloseTo(last.auc, 10);
    expect(last.brier).toBeGreaterThan(0);
    expect(last.brier).toBeLessThan(0.15);
    expect(last.ece).toBeLessThan(0.1);
    expect(last.f1).toBeGreaterThan(0.8);
    expect(last.trainSeconds).toBeGreaterThan(0);
  });

  it('reports a folder without course files clearly', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kdd-empty-'));
    const { code, stderr } = await runCli(['eval', '--dataset', 'kdd-daily', '--train', empty, '--test', empty]);
    expect(code).toBe(1);
    expect(stderr).toBe(`keepup eval: no course_*.csv files in ${empty}\n`);
  });

  it('rejects a missing split', async () => {
    const { code, stderr } = await runCli(['eval', '--dataset', 'kdd-daily']);
    expect(code).toBe(2);
    expect(stderr).toBe('keepup eval: give --train <dir> --test <dir>, or --data <dir> --cv-courses <n>\n');
  });
});
