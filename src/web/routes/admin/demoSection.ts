import { demoAdminCredentials } from '../../auth/demoAdmin';
import type { DemoSectionProvider } from '../../demoSections';

/** Demo page block: the demo admin's sign-in (made for this demo run) beside the admin pages it opens. */
export const adminDemoSection: DemoSectionProvider = async () => {
  const credentials = demoAdminCredentials();
  if (!credentials) return null;
  return {
    title: 'Administration',
    description: `The admin pages need a sign-in. This demo run created the admin account ${credentials.email} with the password ${credentials.password} (a new random password every time the demo starts; it exists only in demo mode).`,
    links: [
      { label: 'Sign in: /admin/login', href: '/admin/login' },
      { label: 'Platforms: /admin', href: '/admin' },
      { label: 'Nightly runs: /admin/runs', href: '/admin/runs' },
      { label: 'Data connections: /admin/connections', href: '/admin/connections' },
      { label: 'Canvas messaging: /admin/canvas-messaging', href: '/admin/canvas-messaging' },
      { label: 'Job queues: /admin/queues', href: '/admin/queues' },
      { label: 'Imports: /admin/imports', href: '/admin/imports' },
    ],
    table: [
      ['Email', 'Password'],
      [credentials.email, credentials.password],
    ],
  };
};
