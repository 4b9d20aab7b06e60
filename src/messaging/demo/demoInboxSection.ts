import mongoose from 'mongoose';
import type { DemoSectionProvider } from '../../web/demoSections';

/** Demo page section: the local SMTP sink's inbox, with how many messages arrived. */
export const demoInboxSection: DemoSectionProvider = async () => {
  const db = mongoose.connection.db;
  const count = db ? await db.collection('demo_inbox').countDocuments().catch(() => 0) : 0;
  return {
    title: 'Messages (local mail sink)',
    description:
      'Campaigns sent from the instructor dashboard go through SMTP to a local sink instead of real inboxes. Launch as an instructor, pick a preset such as "Likely to complete but not earn a certificate", write with [:firstname:], preview, send, then open the inbox.',
    links: [{ label: `Demo inbox (${count} messages)`, href: '/demo/inbox' }],
  };
};
