import { Router } from 'express';
import mongoose from 'mongoose';

/**
 * `GET /demo/inbox`: what the demo's local SMTP sink received (the `demo_inbox` collection it writes), newest
 * first, so a demo user sees exactly which learners got which message. Mounted only when KEEPUP_DEMO=1.
 */
export function demoInboxRoutes(): Router {
  const router = Router();
  if (process.env.KEEPUP_DEMO !== '1') return router;
  router.get('/demo/inbox', async (_req, res) => {
    const db = mongoose.connection.db;
    const docs = db ? await db.collection('demo_inbox').find({}).sort({ receivedAt: -1 }).limit(500).toArray() : [];
    res.render('dashboard/inbox', {
      title: 'Demo inbox',
      count: docs.length,
      messages: docs.map((m) => ({
        to: m.to,
        from: m.from,
        replyTo: m.replyTo,
        subject: m.subject,
        text: m.text,
        listUnsubscribe: m.listUnsubscribe,
        listUnsubscribePost: m.listUnsubscribePost,
        receivedAt: m.receivedAt instanceof Date ? m.receivedAt.toISOString() : String(m.receivedAt),
      })),
    });
  });
  return router;
}
