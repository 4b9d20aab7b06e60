// Session for a launched Keepup page. The token arrives in the page (never in a URL) and is only released
// once the browser is confirmed: by the login cookie (checked on the server) or, when third-party cookies are
// blocked, by reading state and nonce back from the platform's storage frame (only the browser that started
// the login holds them). Pages use KeepupSession.ready and KeepupSession.fetch(url, init) (adds the bearer header).
(function () {
  var el = document.getElementById('keepup-session');
  var d = el.dataset;
  var token = d.token;
  el.removeAttribute('data-token');
  var expiresAt = Date.now() + Number(d.expiresIn || 0) * 1000;

  function showMessage(text, kind) {
    var box = document.createElement('section');
    box.className = kind === 'error' ? 'lti-error' : 'lti-notice';
    box.setAttribute('role', 'alert');
    var p = document.createElement('p');
    p.className = kind === 'error' ? 'lti-error-message' : 'lti-notice-message';
    p.textContent = text;
    box.appendChild(p);
    document.body.insertBefore(box, document.body.firstChild);
  }

  function confirmBrowser() {
    if (d.verify !== 'platform-storage') return Promise.resolve();
    var ps = window.KeepupPlatformStorage;
    return Promise.all([
      ps.get(d.storageTarget, d.platformOrigin, 'state_' + d.state),
      ps.get(d.storageTarget, d.platformOrigin, 'nonce_' + d.nonce),
    ]).then(function (values) {
      if (values[0] !== d.state || values[1] !== d.nonce) throw new Error('mismatch');
    });
  }

  var ready = confirmBrowser().then(
    function () {
      el.setAttribute('data-verified', d.verify);
      document.querySelectorAll('[data-keepup-content]').forEach(function (n) { n.hidden = false; });
      return { token: token, role: d.role, expiresAt: expiresAt };
    },
    function () {
      token = null;
      el.setAttribute('data-verified', 'failed');
      document.querySelectorAll('[data-keepup-content]').forEach(function (n) { n.remove(); });
      showMessage('Keepup could not confirm that this launch started in this browser. Open Keepup again from your course.', 'error');
      throw new Error('browser not confirmed');
    }
  );

  function apiFetch(url, init) {
    return ready.then(function () {
      init = init || {};
      var headers = new Headers(init.headers || {});
      headers.set('Authorization', 'Bearer ' + token);
      return fetch(url, Object.assign({}, init, { headers: headers })).then(function (res) {
        if (res.status === 401) {
          return res.clone().json().catch(function () { return {}; }).then(function (body) {
            if (body.error === 'session_expired') showMessage(body.message, 'notice');
            return res;
          });
        }
        return res;
      });
    });
  }

  window.KeepupSession = { ready: ready, fetch: apiFetch, expiresAt: expiresAt };
})();
