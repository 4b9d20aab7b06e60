import fs from 'node:fs';
import path from 'node:path';

/**
 * The shared KDD Cup 2015 daily data: KDD_DAILY_DIR when set, else `shared/` beside the repository
 * (where CI and the work tree put it), else the workplace's /work/shared.
 */
export const KDD_DAILY_DIR = (() => {
  const candidates = [process.env.KDD_DAILY_DIR, path.resolve(__dirname, '..', '..', 'shared', 'data', 'kddcup2015'), '/work/shared/data/kddcup2015'];
  return candidates.find((dir): dir is string => Boolean(dir) && fs.existsSync(path.join(dir as string, 'labels.csv'))) ?? '/work/shared/data/kddcup2015';
})();
