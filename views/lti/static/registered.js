// Dynamic Registration ends by telling the platform to close the registration window (LTI DR 1.0 §3.6).
(function () {
  function close() { (window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*'); }
  document.getElementById('keepup-close').addEventListener('click', close);
  close();
})();
