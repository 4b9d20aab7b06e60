import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { Browser } from 'playwright-core';
import { signSession } from '../../lti/sessionToken';
import { loadConfig } from '../../src/config';
import { learnersInCluster } from '../../src/insights/clusterAudience';
import { installInsightsDemo, InstalledDemoCourse } from '../../src/insights/demo/installDemoCourses';
import { CourseInsight } from '../../src/storage/models/CourseInsight';
import { LearnerCluster } from '../../src/storage/models/LearnerCluster';
import { createApp } from '../../src/web/app';
import { useTestDb } from '../support';
import { launchChromium } from '../browser';

const SECRET = 'insights-test-secret-0123456789abcdef';
describe('course insights end to end (generated courses through ingest, routes, page)', () => {
  useTestDb();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'insights-'));
  let courses: InstalledDemoCourse[];
  let current: InstalledDemoCourse;
  const app = () => createApp({ config: loadConfig({ MONGODB_URI: process.env.MONGODB_URI! }), checks: { mongo: async () => true, redis: async () => true } });
  const token = (courseId: string, role: 'instructor' | 'learner') =>
    signSession({ platformId: 'p', deploymentId: 'd', courseId, contextId: 'ctx', userSub: `u-${role}`, role, learnerId: role === 'learner' ? 'a'.repeat(24) : undefined, sharesName: false, sharesEmail: false }, SECRET);

  beforeAll(async () => {
    process.env.KEEPUP_SESSION_SECRET = SECRET;
    courses = await installInsightsDemo({ dir, finishedCourses: 9, learners: 120, currentLearners: 300, seed: 'insights-test' });
    current = courses.find((c) => c.inProgress)!;
  }, 240_000);

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('computes every view for the installed courses', async () => {
    expect(courses).toHaveLength(10);
    expect(current.summary.designStatus).toBe('ok');
    expect(current.summary.clusters).toBeGreaterThanOrEqual(3);
    const stored = (await CourseInsight.findById(current.courseId).lean()) as any;
    expect(stored.overview.heatmapFlat).toHaveLength(168);
    expect(stored.overview.weeks).toHaveLength(5);
    expect(stored.overview.pastRuns.map((r: any) => r.thisRun)).toEqual([false]);
    expect(stored.clusters.dropoutBasis).toBe('inactivity');
    expect(stored.design.others).toHaveLength(9);
    const members = await LearnerCluster.countDocuments({ c: current.courseId });
    expect(members).toBe(current.summary.learners);
    const cluster0 = await learnersInCluster(current.courseId, 0);
    expect(cluster0.length).toBe(stored.clusters.clusters[0].size);
  });

  it('answers instructors of the course, and refuses learners, other courses and missing tokens', async () => {
    const url = `/api/courses/${current.courseId}/insights`;
    const ok = await request(app()).get(url).set('authorization', `Bearer ${token(current.courseId, 'instructor')}`);
    expect(ok.status).toBe(200);
    expect(ok.body.overview.heatmap).toHaveLength(7);
    expect(ok.body.overview.weekdays[0]).toBe('Mon');
    const learner = await request(app()).get(url).set('authorization', `Bearer ${token(current.courseId, 'learner')}`);
    expect(learner.status).toBe(403);
    expect(learner.body.message).toBe('This needs the instructor role.');
    const other = await request(app()).get(url).set('authorization', `Bearer ${token(courses[1].courseId, 'instructor')}`);
    expect(other.status).toBe(403);
    expect(other.body.message).toBe('This session is for another course.');
    const none = await request(app()).get(url);
    expect(none.status).toBe(401);
    const bad = await request(app()).get('/api/courses/nope/insights').set('authorization', `Bearer ${token(current.courseId, 'instructor')}`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('courseId must be a course id');
  });

  it('serves every chart as CSV', async () => {
    for (const chart of ['weekly-active', 'activity-mix', 'heatmap', 'funnel', 'engagement-outcome', 'clusters', 'design-courses', 'design-importance']) {
      const res = await request(app()).get(`/api/courses/${current.courseId}/insights/csv/${chart}`).set('authorization', `Bearer ${token(current.courseId, 'instructor')}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.text.split('\r\n').length).toBeGreaterThan(2);
    }
    const heat = await request(app()).get(`/api/courses/${current.courseId}/insights/csv/heatmap`).set('authorization', `Bearer ${token(current.courseId, 'instructor')}`);
    expect(heat.text.split('\r\n')[1].split(',')).toHaveLength(25);
  });

  it('runs what-ifs and validates them', async () => {
    const auth = `Bearer ${token(current.courseId, 'instructor')}`;
    const res = await request(app()).post(`/api/courses/${current.courseId}/insights/what-if`).set('authorization', auth).send({ changes: { interactiveShare: 0.6 } });
    expect(res.status).toBe(200);
    expect(res.body.changed.interactiveShare).toBe(0.6);
    expect(res.body.intervalPp[0]).toBeLessThanOrEqual(res.body.changePp);
    const bad = await request(app()).post(`/api/courses/${current.courseId}/insights/what-if`).set('authorization', auth).send({ changes: { weeks: 90 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('weeks must be between 1 and 26.');
    const empty = await request(app()).post(`/api/courses/${current.courseId}/insights/what-if`).set('authorization', auth).send({ changes: {} });
    expect(empty.status).toBe(400);
  });

  describe('the insights page in Chromium', () => {
    let browser: Browser;
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = app().listen(0);
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      server?.close();
    });

    it('renders every view and axe-core finds no serious or critical violations', async () => {
      const page = await browser.newPage();
      await page.goto(`${base}/healthz`);
      await page.evaluate(([action, session]) => {
        const form = document.createElement('form');
        form.method = 'POST';
        form.action = action;
        const input = document.createElement('input');
        input.name = 'token';
        input.value = session;
        form.append(input);
        document.body.append(form);
        form.submit();
      }, [`${base}/insights`, token(current.courseId, 'instructor')]);
      await page.waitForSelector('text=Insights as of', { timeout: 20_000 });
      await page.waitForSelector('[data-chart="clusters"] figure');
      expect(await page.textContent('[data-chart="heatmap"] .insights-summary')).toMatch(/^Busiest hour: (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+:00/);
      expect(await page.textContent('[data-chart="clusters"] .insights-summary')).toMatch(/Most likely to drop out: “/);
      expect(await page.textContent('[data-chart="design-importance"] .insights-summary')).toMatch(/Largest associated gain for this course|No single design change/);
      expect(await page.locator('input[type=range]').count()).toBeGreaterThan(3);
      const featureRows = await page.$$eval('[data-chart="design-importance"] tbody th', (cells) => cells.map((c) => c.textContent));
      const axis = await page.$$eval('[data-chart="design-importance"] svg text', (texts) =>
        texts.map((t) => {
          const box = (t as SVGTextElement).getBBox();
          const view = (t as SVGTextElement).ownerSVGElement!.viewBox.baseVal;
          return { text: [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' '), left: box.x, right: box.x + box.width, inside: box.x >= 0 && box.x + box.width <= view.width && box.y + box.height <= view.height };
        }),
      );
      expect(axis.map((a) => a.text)).toEqual(featureRows);
      expect(axis.every((a) => a.inside)).toBe(true);
      axis.slice(1).forEach((a, i) => expect(a.left).toBeGreaterThanOrEqual(axis[i].right));
      await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations = await page.evaluate(async () => {
        const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v: any) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      });
      expect(violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    });

    it('opens the page from the dashboard hand-off for an instructor and refuses it to a learner session', async () => {
      const opened = await request(app()).post('/insights').type('form').send({ token: token(current.courseId, 'instructor') });
      expect(opened.status).toBe(200);
      expect(opened.text).toContain('Behaviour clusters');
      const res = await request(app()).post('/insights').type('form').send({ token: token(current.courseId, 'learner') });
      expect(res.status).toBe(403);
    });
  });
});
