// Deep Linking picker: asks Keepup to sign the LtiDeepLinkingResponse for the chosen items, then form-POSTs
// it as JWT to the platform's deep_link_return_url.
(function () {
  var form = document.getElementById('keepup-deep-link');
  var status = document.querySelector('.keepup-deep-link-status');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var items = Array.prototype.map.call(form.querySelectorAll('input[name=item]:checked'), function (i) { return i.value; });
    status.textContent = 'Adding…';
    window.KeepupSession.fetch('/lti/deep-linking/response', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request: form.dataset.request, items: items }),
    }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) throw new Error(body.message || 'Keepup could not add the item.');
        var post = document.createElement('form');
        post.method = 'POST';
        post.action = body.returnUrl;
        var input = document.createElement('input');
        input.type = 'hidden';
        input.name = 'JWT';
        input.value = body.jwt;
        post.appendChild(input);
        document.body.appendChild(post);
        post.submit();
      });
    }).catch(function (error) { status.textContent = error.message; });
  });
})();
