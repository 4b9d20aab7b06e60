import express, { Request, Response, Router } from 'express';
import rateLimit from 'express-rate-limit';
import type { AppDeps } from '../../app';
import { audit } from '../../../messaging/audit';
import { unsubscribeTokens } from '../../../messaging/unsubscribeTokens';
import { Course } from '../../../storage/models/Course';
import { Learner, LearnerDoc } from '../../../storage/models/Learner';

async function learnerOf(req: Request): Promise<LearnerDoc | null> {
  const id = unsubscribeTokens().verify(String(req.params.token ?? ''));
  return id ? Learner.findById(id).lean<LearnerDoc>() : null;
}

async function setOptOut(learner: LearnerDoc, optedOut: boolean, how: string): Promise<void> {
  await Learner.updateOne({ _id: learner._id }, { $set: { 'optOut.messages': optedOut, 'optOut.at': new Date() } });
  await audit({ courseId: learner.courseId, actor: `learner:${learner._id}`, action: optedOut ? 'learner.unsubscribed' : 'learner.resubscribed', learnerId: learner._id, detail: how });
}

async function renderPage(res: Response, learner: LearnerDoc, optedOut: boolean, changed: boolean): Promise<void> {
  const course = await Course.findById(learner.courseId).select({ title: 1 }).lean();
  res.setHeader('cache-control', 'no-store');
  res.setHeader('referrer-policy', 'no-referrer');
  res.render('unsubscribe/preferences', { title: 'Message preferences', courseTitle: course?.title || 'your course', optedOut, changed });
}

/**
 * The preference page every message links to and the RFC 8058 one-click endpoint: `GET /unsubscribe/:token`
 * shows the current choice (a GET never changes anything, so link scanners cannot unsubscribe anyone);
 * `POST` with `List-Unsubscribe=One-Click` (mail clients) or the page's form opts out or back in.
 * The token is opaque and signed; the URL carries no personal data.
 */
export function unsubscribeRoutes(_deps: AppDeps): Router {
  const router = Router();
  const limiter = rateLimit({ windowMs: 60_000, limit: 120, standardHeaders: 'draft-7', legacyHeaders: false });
  const form = express.urlencoded({ extended: false, limit: '2kb' });

  router.get('/unsubscribe/:token', limiter, async (req, res) => {
    const learner = await learnerOf(req);
    if (!learner) return res.status(404).render('unsubscribe/invalid', { title: 'Link not valid' });
    await renderPage(res, learner, Boolean(learner.optOut?.messages), false);
  });

  router.post('/unsubscribe/:token', limiter, form, async (req, res) => {
    const learner = await learnerOf(req);
    if (!learner) return res.status(404).render('unsubscribe/invalid', { title: 'Link not valid' });
    if (req.body?.['List-Unsubscribe'] === 'One-Click') {
      await setOptOut(learner, true, 'one-click');
      return res.status(200).type('text/plain').send('Unsubscribed.');
    }
    const action = req.body?.action;
    if (action !== 'stop' && action !== 'resume') return res.status(400).render('unsubscribe/invalid', { title: 'Choose an option' });
    await setOptOut(learner, action === 'stop', 'preference page');
    await renderPage(res, learner, action === 'stop', true);
  });
  return router;
}
