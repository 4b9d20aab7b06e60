// Login step with LTI platform storage: store state and nonce in the platform's frame, then continue to the
// platform's authorization endpoint. If storage fails the redirect still happens (the cookie may work).
(function () {
  var el = document.getElementById('keepup-login');
  var d = el.dataset;
  function go() { window.location.replace(d.authUrl); }
  function start() {
    var ps = window.KeepupPlatformStorage;
    Promise.all([
      ps.put(d.target, d.platformOrigin, 'state_' + d.state, d.state),
      ps.put(d.target, d.platformOrigin, 'nonce_' + d.nonce, d.nonce),
    ]).then(go, go);
  }
  var s = document.createElement('script');
  s.src = '/lti/static/platformStorage.js';
  s.onload = start;
  s.onerror = go;
  document.head.appendChild(s);
})();
