import { authorize, beginLogin, decodeEntities, fullLaunch, postLaunch, sessionFromPage, useLtiHarness } from './harness';

describe('Deep Linking', () => {
  const h = useLtiHarness();

  it('an instructor picks the video-side widget and the platform accepts the signed LtiResourceLink', async () => {
    const p = h.platform('canvas');
    const launch = await fullLaunch(h, 'canvas', 'instructor', { deepLink: true });
    expect(launch.status).toBe(200);
    expect(launch.html).toContain('Add Keepup to Biology 101: Cells and Systems');
    const request = decodeEntities(/data-request="([^"]+)"/.exec(launch.html)![1]);
    const { token } = sessionFromPage(launch.html);
    const res = await fetch(`${h.keepupUrl}/lti/deep-linking/response`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request, items: ['widget-video'] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { returnUrl: string; jwt: string };
    expect(body.returnUrl).toBe(p.urls.deepLinkReturn);
    const accepted = await fetch(body.returnUrl, { method: 'POST', body: new URLSearchParams({ JWT: body.jwt }) });
    expect(accepted.status).toBe(200);
    expect(await accepted.text()).toContain('Added 1 item(s) to Biology 101');
    const result = p.deepLinkResults.at(-1)!;
    expect(result.items).toEqual([{ type: 'ltiResourceLink', title: 'Keepup: progress next to the video', text: 'A compact Keepup nudge for placing beside a video.', url: `${h.keepupUrl}/lti/launch`, custom: { keepup_placement: 'video' }, iframe: { height: 160 } }]);
    expect(String(result.data)).toMatch(/^dl-/);

    const newLink = p.course.resourceLinks.at(-1)!;
    const tool = h.tool('canvas');
    const login = await fetch(p.loginInitiationUrl(tool, { user: 'learner', clientId: tool.clientId, link: newLink.id }), { redirect: 'manual' });
    const cookie = login.headers.getSetCookie()[0].split(';')[0];
    const learner = await postLaunch(h, await authorize(login.headers.get('location')!), cookie);
    expect(learner.html).toContain('data-placement="video"');
  });

  it('answers a Deep Linking request only once', async () => {
    const launch = await fullLaunch(h, 'moodle', 'instructor', { deepLink: true });
    const request = decodeEntities(/data-request="([^"]+)"/.exec(launch.html)![1]);
    const send = () =>
      fetch(`${h.keepupUrl}/lti/deep-linking/response`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sessionFromPage(launch.html).token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ request, items: ['widget'] }),
      });
    expect((await send()).status).toBe(200);
    const again = await send();
    expect([again.status, (await again.json()).message]).toEqual([404, 'This Deep Linking request is unknown or was already answered; open the selection again from the course.']);
  });

  it('refuses Deep Linking from a learner', async () => {
    const login = await beginLogin(h, 'canvas', { user: 'learner', deepLink: true });
    const r = await postLaunch(h, await authorize(login.authUrl), login.cookie);
    expect([r.status, r.errorCode, r.errorMessage]).toEqual([403, 'not_instructor', 'Only instructors can add Keepup items to a course.']);
  });

  it('refuses to sign a response for a learner token', async () => {
    const learner = sessionFromPage((await fullLaunch(h, 'canvas', 'learner')).html).token;
    const res = await fetch(`${h.keepupUrl}/lti/deep-linking/response`, {
      method: 'POST',
      headers: { authorization: `Bearer ${learner}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request: 'aaaaaaaaaaaaaaaaaaaaaaaa', items: ['widget'] }),
    });
    expect([res.status, (await res.json()).message]).toEqual([403, 'This needs the instructor role.']);
  });
});
