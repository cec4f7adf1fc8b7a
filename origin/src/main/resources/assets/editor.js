// Editor care: a live preview of the Markdown (rendered and sanitised by the origin, exactly as it will be
// published), a confirmation before delete, and a warning before leaving with unsaved changes.
(function () {
  var form = document.querySelector('form.editor');
  if (!form) return;
  var body = form.querySelector('textarea[name=body]');
  var pane = document.getElementById('live-preview');
  var csrf = form.querySelector('input[name=csrf]').value;
  var dirty = false;
  var timer = null;
  var sequence = 0;

  function render() {
    var mine = ++sequence;
    fetch('/editor/preview', {
      method: 'POST',
      credentials: 'same-origin',
      body: new URLSearchParams({ csrf: csrf, body: body.value })
    })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { if (mine === sequence) pane.innerHTML = html; })
      .catch(function () { if (mine === sequence) pane.textContent = 'The preview is not available right now.'; });
  }

  form.addEventListener('input', function (e) {
    dirty = true;
    if (e.target === body) {
      clearTimeout(timer);
      timer = setTimeout(render, 300);
    }
  });
  form.addEventListener('submit', function () { dirty = false; });
  window.addEventListener('beforeunload', function (e) {
    if (!dirty) return;
    e.preventDefault();
    e.returnValue = '';
  });
  if (pane) render();

  var remove = document.querySelector('form.delete');
  if (remove) {
    remove.addEventListener('submit', function (e) {
      if (!window.confirm('Delete this post for good? Its address will stop working.')) e.preventDefault();
      else dirty = false;
    });
  }
})();
