// LTI Client Side postMessages / Platform Storage (1EdTech lti-cs-pm, lti-pm-s): talk to the platform's
// storage frame. Messages go to the frame named by lti_storage_target ('_parent' = the parent window) with the
// platform's OIDC origin as targetOrigin; only answers from that origin with our message_id are accepted.
(function () {
  function targetWindow(target) {
    var parentWin = window.parent !== window ? window.parent : window.opener;
    if (!parentWin) return null;
    if (target === '_parent') return parentWin;
    try { return parentWin.frames[target] || null; } catch (e) { return null; }
  }
  function send(target, origin, message, timeoutMs) {
    return new Promise(function (resolve, reject) {
      var win = targetWindow(target);
      if (!win) return reject(new Error('The platform storage frame "' + target + '" was not found.'));
      var id = 'keepup-' + Math.random().toString(36).slice(2) + Date.now().toString(36);
      var timer = setTimeout(function () { window.removeEventListener('message', onMessage); reject(new Error('The platform storage frame did not answer.')); }, timeoutMs || 3000);
      function onMessage(event) {
        var data = event.data;
        if (event.origin !== origin || !data || typeof data !== 'object' || data.message_id !== id || data.subject !== message.subject + '.response') return;
        clearTimeout(timer);
        window.removeEventListener('message', onMessage);
        if (data.error) return reject(new Error('Platform storage error: ' + (data.error.code || '') + ' ' + (data.error.message || '')));
        resolve(data);
      }
      window.addEventListener('message', onMessage);
      message.message_id = id;
      win.postMessage(message, origin);
    });
  }
  window.KeepupPlatformStorage = {
    put: function (target, origin, key, value) { return send(target, origin, { subject: 'lti.put_data', key: key, value: value }); },
    get: function (target, origin, key) { return send(target, origin, { subject: 'lti.get_data', key: key }).then(function (d) { return d.value; }); },
  };
})();
