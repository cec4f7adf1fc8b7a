// Shows who is signed in. Public pages are the same for everyone (the edge caches them without cookies),
// so the login state comes from /api/me, a pass route, after the page has loaded.
(function () {
  var nav = document.getElementById('me');
  if (!nav) return;
  function link(href, text) {
    var a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    return a;
  }
  fetch('/api/me', { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .catch(function () { return null; })
    .then(function (me) {
      nav.textContent = '';
      if (me && me.username) {
        nav.append('Signed in as ', link('/' + encodeURIComponent(me.username), me.username), ' · ',
          link('/dashboard', 'Dashboard'));
      } else {
        nav.append(link('/login', 'Log in'), ' · ', link('/signup', 'Sign up'));
      }
    });
})();
