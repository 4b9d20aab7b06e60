import { Router } from 'express';
import { esc, page } from '../html';
import type { Simulator } from '../Simulator';
import { FLAVOURS } from '../directory';

/** Name of the platform storage frame the course page offers tools as `lti_storage_target`. */
export const STORAGE_FRAME = 'lti_storage_frame';

/**
 * Pages a person sees: the index (every platform, installed tool and launch link), the course page that
 * frames a tool launch (with the platform storage frame beside it unless `storage=0`), and the storage frame
 * itself, answering `lti.capabilities`, `lti.put_data` and `lti.get_data` (LTI Client Side postMessages /
 * Platform Storage) for registered tool origins, keyed by origin.
 */
export function pageRoutes(sim: Simulator): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const sections = FLAVOURS.map((f) => {
      const p = sim.platforms[f];
      const tools = [...p.tools.values()].map((t) => {
        const link = (user: string, extra = '') => `${p.issuer}/course?tool=${encodeURIComponent(t.clientId)}&user=${user}${extra}`;
        return `<li><strong>${esc(t.name)}</strong> (client <code>${esc(t.clientId)}</code>):
          <a class="launch" data-flavour="${f}" data-role="instructor" href="${esc(link('instructor'))}">Launch as instructor</a> ·
          <a class="launch" data-flavour="${f}" data-role="learner" href="${esc(link('learner'))}">Launch as learner</a> ·
          <a class="launch" data-flavour="${f}" data-role="deep-link" href="${esc(link('instructor', '&deep=1'))}">Add a Keepup item (Deep Linking)</a></li>`;
      }).join('');
      return `<section data-flavour="${f}"><h2>${esc(p.course.title)} on ${esc(f)}</h2><p>Issuer <code>${esc(p.issuer)}</code></p><ul>${tools || '<li>No tool installed yet.</li>'}</ul></section>`;
    }).join('');
    res.type('html').send(page('LMS simulator', `<h1>LMS simulator</h1>${sections}`));
  });

  router.get('/:flavour/course', (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    const tool = p.tools.get(String(req.query.tool ?? '')) ?? [...p.tools.values()][0];
    const user = p.user(String(req.query.user ?? 'learner'));
    if (!tool || !user) return res.status(404).type('html').send(page('Not found', '<p>No such tool or user.</p>'));
    const storage = req.query.storage !== '0';
    const deepLink = req.query.deep === '1';
    const linkId = typeof req.query.link === 'string' ? req.query.link : p.course.resourceLinks[user.role === 'learner' ? 1 : 0].id;
    const src = p.loginInitiationUrl(tool, { user: user.key, clientId: tool.clientId, ...(deepLink ? { deepLink: true } : { link: linkId }) }, storage ? STORAGE_FRAME : undefined);
    const storageFrame = storage ? `<iframe name="${STORAGE_FRAME}" id="storage-frame" src="${esc(p.urls.storage)}" style="display:none"></iframe>` : '';
    res.type('html').send(page(`${p.course.title}`, `<h1>${esc(p.course.title)}</h1><p>${esc(p.flavour)} · signed in as ${esc(user.name ?? user.key)} (${esc(user.role)})</p>
${storageFrame}<iframe class="tool" name="keepup" id="tool-frame" data-src="${esc(src)}" allow="clipboard-write"></iframe>`,
      `(function(){var t=document.getElementById('tool-frame');var s=document.getElementById('storage-frame');function go(){t.src=t.dataset.src;}if(s){s.addEventListener('load',go);}else{go();}})();`));
  });

  router.get('/:flavour/storage', (req, res) => {
    const p = sim.platformOf(req);
    if (!p) return res.status(404).end();
    const origins = [...new Set([...p.tools.values()].map((t) => new URL(t.loginUrl).origin))];
    res.type('html').send(page('Platform storage', '', `(function(){var allowed=${JSON.stringify(origins).replace(/</g, '\\u003c')};var store={};
window.addEventListener('message',function(e){var d=e.data;if(!d||typeof d!=='object'||typeof d.subject!=='string')return;
var r={message_id:d.message_id};
if(allowed.indexOf(e.origin)<0){r.subject=d.subject+'.response';r.error={code:'unauthorized_origin',message:'This origin is not a registered tool'};e.source.postMessage(r,e.origin);return;}
if(d.subject==='lti.capabilities'){r.subject='lti.capabilities.response';r.supported_messages=[{subject:'lti.put_data',frame:'${STORAGE_FRAME}'},{subject:'lti.get_data',frame:'${STORAGE_FRAME}'}];}
else if(d.subject==='lti.put_data'){r.subject='lti.put_data.response';if(!d.key){r.error={code:'bad_request',message:'There is no key specified'};}else{store[e.origin+'|'+d.key]=d.value;r.key=d.key;r.value=d.value;}}
else if(d.subject==='lti.get_data'){r.subject='lti.get_data.response';r.key=d.key;var k=e.origin+'|'+d.key;if(Object.prototype.hasOwnProperty.call(store,k)){r.value=store[k];}else{r.error={code:'bad_request',message:'There is no value stored for this key'};}}
else{return;}
e.source.postMessage(r,e.origin);});})();`));
  });
  return router;
}
